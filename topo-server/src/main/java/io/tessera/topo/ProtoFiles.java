package io.tessera.topo;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

/**
 * Protobuf records stored as files under one root of one connection: typed reads, compare-and-set writes and a
 * read-modify-write loop that retries when another writer got in first.
 */
public final class ProtoFiles {
    /** How often a read-modify-write is retried on a version conflict before giving up. */
    static final int MAX_UPDATE_ATTEMPTS = 64;

    private final TopoConn conn;
    private final String root;

    /**
     * @param conn the connection
     * @param root the directory every path is relative to ({@code ""} for the connection's root)
     */
    public ProtoFiles(TopoConn conn, String root) {
        this.conn = conn;
        this.root = root;
    }

    public TopoConn conn() {
        return conn;
    }

    /** The full path of {@code parts} joined under this root. */
    public String path(String... parts) {
        String rel = TopoPaths.join(parts);
        return root.isEmpty() ? rel : TopoPaths.join(root, rel);
    }

    /**
     * Reads and decodes a record.
     *
     * @throws TopoException {@code NO_NODE} if missing; {@code UNAVAILABLE} if the bytes are not a valid record
     */
    public <M extends Message> Versioned<M> get(String path, Parser<M> parser) throws TopoException {
        VersionedData d = conn.get(path);
        return new Versioned<>(decode(path, d.contents(), parser), d.version());
    }

    /** Creates a record that must not exist yet ({@code NODE_EXISTS} otherwise). */
    public Version create(String path, Message value) throws TopoException {
        return conn.create(path, value.toByteArray());
    }

    /** Writes a record with compare-and-set on {@code expected}, or unconditionally when it is null. */
    public Version update(String path, Message value, Version expected) throws TopoException {
        return conn.update(path, value.toByteArray(), expected);
    }

    /** A change to a record: returns the new value, or the very same instance to leave the record as it is. */
    @FunctionalInterface
    public interface Change<M> {
        M apply(M current) throws TopoException;
    }

    /**
     * Reads, changes and writes a record with compare-and-set, retrying from a fresh read when another writer
     * changed it in between.
     *
     * @param ifMissing the value to start from when the record does not exist, or null to fail with NO_NODE
     * @return the record as written (or as read, if {@code change} left it unchanged)
     * @throws TopoException {@code NO_NODE} if missing and no {@code ifMissing}; {@code BAD_VERSION} if it kept
     *     losing to other writers; whatever {@code change} throws
     */
    public <M extends Message> Versioned<M> update(String path, Parser<M> parser, M ifMissing, Change<M> change)
            throws TopoException {
        TopoException lastConflict = null;
        for (int attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
            Versioned<M> current;
            try {
                current = get(path, parser);
            } catch (TopoException e) {
                if (!e.is(TopoException.Code.NO_NODE) || ifMissing == null) {
                    throw e;
                }
                current = null;
            }
            M before = current == null ? ifMissing : current.value();
            M after = change.apply(before);
            if (after == before && current != null) {
                return current;
            }
            try {
                Version v = current == null ? conn.create(path, after.toByteArray())
                        : conn.update(path, after.toByteArray(), current.version());
                return new Versioned<>(after, v);
            } catch (TopoException e) {
                if (!e.is(TopoException.Code.BAD_VERSION) && !e.is(TopoException.Code.NODE_EXISTS)
                        && !e.is(TopoException.Code.NO_NODE)) {
                    throw e;
                }
                lastConflict = e;
            }
        }
        throw new TopoException(TopoException.Code.BAD_VERSION, path, "gave up updating " + path + " after "
                + MAX_UPDATE_ATTEMPTS + " version conflicts", lastConflict);
    }

    static <M extends Message> M decode(String path, byte[] bytes, Parser<M> parser) throws TopoException {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new TopoException(TopoException.Code.UNAVAILABLE, path, "corrupt record at " + path + ": " + e.getMessage(), e);
        }
    }
}
