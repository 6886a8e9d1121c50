package io.tessera.gate.executor;

import io.tessera.proto.query.Field;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the rewriting plan ({@link ResultRewriter.Columns}) of the column definitions results come back with. A
 * statement's results carry the same definitions every time it runs; planning them afresh upper-cased two names of
 * every column and built a renamed copy of every definition, per result. A result whose definitions equal a
 * remembered set gets that set's plan, and with it the very same renamed {@link Field} objects, which lets the
 * MySQL layer keep their encoded form too. Bounded: it starts over when full, so a stream of ever different
 * definitions (ad-hoc queries) costs one plan each, as without it.
 */
final class ColumnsMemo {
    /** Most sets of column definitions remembered at once. */
    static final int MAX_ENTRIES = 1024;

    /** A plan and the keyspaces it was made for (a keyspace created later changes what gets renamed). */
    private record Entry(Set<String> keyspaces, ResultRewriter.Columns columns) {}

    private final ConcurrentHashMap<List<Field>, Entry> entries = new ConcurrentHashMap<>();

    /** The rewriting plan for a result with these column definitions, while {@code keyspaces} are known. */
    ResultRewriter.Columns columns(List<Field> fields, Set<String> keyspaces) {
        Entry e = entries.get(fields);
        if (e != null && (e.keyspaces() == keyspaces || e.keyspaces().equals(keyspaces))) {
            return e.columns();
        }
        ResultRewriter.Columns columns = ResultRewriter.columns(fields, keyspaces);
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        // A copy: the key must not change, and must not keep a whole result alive through a view of it.
        entries.put(List.copyOf(fields), new Entry(keyspaces, columns));
        return columns;
    }

    int size() {
        return entries.size();
    }
}
