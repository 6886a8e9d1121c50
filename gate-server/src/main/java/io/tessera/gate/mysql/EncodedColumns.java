package io.tessera.gate.mysql;

import io.tessera.proto.query.Field;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The encoded column definitions one connection sent, for sets of definitions that come back as the very same
 * objects (the executor hands out one set of renamed definitions per distinct set it sees), so a statement run
 * again and again encodes its column definitions once rather than per result. Identity, not equality: comparing
 * the definitions would cost about what encoding them does. A set is kept only the second time it is seen, so
 * definitions made afresh for every result cost nothing more than a lookup. Bounded per connection.
 */
final class EncodedColumns {
    /** Most sets kept per connection. */
    static final int MAX_SETS = 16;

    /** One set of definitions by identity, and their packets' payloads once seen twice (else null). */
    private record Entry(List<Field> fields, byte[][] payloads) {}

    /** By the set's first definition; made on first use, so connections that never read a result hold nothing. */
    private Map<Field, Entry> sets;

    /** The payloads kept for exactly these definition objects, or null. */
    byte[][] get(List<Field> fields) {
        if (sets == null || fields.isEmpty()) {
            return null;
        }
        Entry e = sets.get(fields.get(0));
        return e != null && e.payloads() != null && FieldIdentity.sameObjects(e.fields(), fields) ? e.payloads() : null;
    }

    /**
     * Notes a set that {@link #get} had nothing for: true if it was seen before (the caller should then encode it
     * into payloads it hands to {@link #keep}), false on first sight, which only remembers the objects.
     */
    boolean seenBefore(List<Field> fields) {
        if (fields.isEmpty()) {
            return false;
        }
        if (sets == null) {
            sets = new IdentityHashMap<>();
        }
        Entry e = sets.get(fields.get(0));
        if (e != null && FieldIdentity.sameObjects(e.fields(), fields)) {
            return true;
        }
        if (sets.size() >= MAX_SETS) {
            sets.clear();
        }
        sets.put(fields.get(0), new Entry(List.copyOf(fields), null));
        return false;
    }

    /** Keeps the payloads of a set {@link #seenBefore} said was seen before. */
    void keep(List<Field> fields, byte[][] payloads) {
        Entry e = sets.get(fields.get(0));
        if (e != null && FieldIdentity.sameObjects(e.fields(), fields)) {
            sets.put(fields.get(0), new Entry(e.fields(), payloads));
        }
    }
}
