package io.tessera.topo;

import java.util.List;
import java.util.function.Consumer;

/**
 * The topology primitives every backend provides: versioned files in a tree of directories, watches, and
 * lease-based locks. Paths are relative to the connection's root, use {@code /} between segments, and have no
 * leading or trailing slash, no empty segment and no {@code .} or {@code ..} segment (see {@link TopoPaths}).
 *
 * <p>Directories are implicit: a directory exists while some file lives below it, so there is no call to
 * create or delete one.
 *
 * <p>Every method is safe to call from many threads. Implementations: {@code memory} (tests), {@code etcd}
 * (production), {@code remote} (a gRPC client of {@code tessera-topo}), all held to one contract suite.
 */
public interface TopoConn extends AutoCloseable {

    /**
     * Creates a file that does not exist yet.
     *
     * @return the version of the new file
     * @throws TopoException {@code NODE_EXISTS} if the file exists; {@code INVALID_ARGUMENT} for a bad path;
     *     {@code TIMEOUT}, {@code INTERRUPTED} or {@code UNAVAILABLE} if the backend did not answer
     */
    Version create(String path, byte[] contents) throws TopoException;

    /**
     * Reads a file.
     *
     * @throws TopoException {@code NO_NODE} if the file does not exist; {@code INVALID_ARGUMENT},
     *     {@code TIMEOUT}, {@code INTERRUPTED}, {@code UNAVAILABLE}
     */
    VersionedData get(String path) throws TopoException;

    /**
     * Writes a file if its version is still {@code expected} (compare-and-set). With {@code expected == null} the
     * write is unconditional and creates the file if it is missing. Of many writers that read the same version,
     * exactly one succeeds.
     *
     * @return the new version
     * @throws TopoException {@code BAD_VERSION} if the file's version differs from {@code expected};
     *     {@code NO_NODE} if {@code expected} is given and the file does not exist; {@code INVALID_ARGUMENT},
     *     {@code TIMEOUT}, {@code INTERRUPTED}, {@code UNAVAILABLE}
     */
    Version update(String path, byte[] contents, Version expected) throws TopoException;

    /**
     * Deletes a file if its version is still {@code expected}, or unconditionally when {@code expected == null}.
     *
     * @throws TopoException {@code NO_NODE} if the file does not exist; {@code BAD_VERSION} if its version
     *     differs; {@code INVALID_ARGUMENT}, {@code TIMEOUT}, {@code INTERRUPTED}, {@code UNAVAILABLE}
     */
    void delete(String path, Version expected) throws TopoException;

    /**
     * Lists the entries directly under a directory, sorted by name. Use {@code ""} for the root.
     *
     * @throws TopoException {@code NO_NODE} if nothing lives under the directory; {@code INVALID_ARGUMENT},
     *     {@code TIMEOUT}, {@code INTERRUPTED}, {@code UNAVAILABLE}
     */
    List<DirEntry> listDir(String dirPath) throws TopoException;

    /**
     * Watches a file: returns its current value and then reports <em>every</em> later change to it, in version
     * order, to {@code listener} on one delivery thread (a slow listener delays later events; it never loses
     * them). A {@link WatchEvent.Deleted} or {@link WatchEvent.Failed} event ends the watch. A watcher that
     * falls so far behind that the backend cannot keep every change for it gets {@code Failed} rather than a
     * silent gap.
     *
     * @throws TopoException {@code NO_NODE} if the file does not exist; {@code INVALID_ARGUMENT},
     *     {@code TIMEOUT}, {@code INTERRUPTED}, {@code UNAVAILABLE}
     */
    TopoWatch watch(String path, Consumer<WatchEvent> listener) throws TopoException;

    /**
     * Locks a directory, waiting up to {@code options.waitTimeout()} while another holder has it. Lockers are
     * served in arrival order. The lock lives on a lease of {@code options.ttl()} that this connection renews;
     * when the holder dies, the lock is released once the lease expires. {@code contents} (normally a JSON
     * {@code LockInfo}) is stored in the lock so others can see who holds it and why.
     *
     * @throws TopoException {@code NO_NODE} if the directory does not exist; {@code TIMEOUT} if the lock stayed
     *     held by someone else; {@code INTERRUPTED}; {@code INVALID_ARGUMENT}; {@code UNAVAILABLE}
     */
    LockHandle lock(String dirPath, String contents, LockOptions options) throws TopoException;

    /** Releases the connection: cancels its watches and releases its locks. */
    @Override
    void close();
}
