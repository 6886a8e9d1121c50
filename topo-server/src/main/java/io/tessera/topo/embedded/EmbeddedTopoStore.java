package io.tessera.topo.embedded;

import io.tessera.topo.TopoException;
import io.tessera.topo.local.LocalStore;
import io.tessera.topo.local.LocalTopoConn;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * The durable single-machine topology store behind {@code tessera-topo}'s default: the full
 * {@link io.tessera.topo.TopoConn} behaviour over an H2 MVStore file in a data directory.
 *
 * <p>Files, versions, the revision counter and leases all persist, and every acknowledged write is on disk (committed
 * and fsynced) before the call returns. A lock outlives a crash or restart of the store for as long as its lease
 * runs: lease deadlines are wall-clock times, so on open the leases that ran out meanwhile are expired and the
 * others expire once their ttl passes unless their holder renews them.
 *
 * <p>One store owns its data directory: {@link #open} takes an OS lock on {@code <dataDir>/LOCK} (which names the
 * owner's pid) and fails with {@code UNAVAILABLE} while another process or another store in this process has it.
 */
public final class EmbeddedTopoStore implements AutoCloseable {
    private final DataDirLock dirLock;
    private final LocalStore store;

    private EmbeddedTopoStore(DataDirLock dirLock, LocalStore store) {
        this.dirLock = dirLock;
        this.store = store;
    }

    /**
     * Opens the store in {@code dataDir}, creating the directory and an empty store if missing.
     *
     * @throws TopoException {@code UNAVAILABLE} if the directory is in use, cannot be created or locked, or the
     *     store file cannot be read
     */
    public static EmbeddedTopoStore open(Path dataDir) throws TopoException {
        return open(dataDir, InstantSource.system(), StorageTuning.DEFAULT);
    }

    static EmbeddedTopoStore open(Path dataDir, InstantSource clock, StorageTuning tuning) throws TopoException {
        DataDirLock dirLock = DataDirLock.acquire(dataDir);
        try {
            MvStorePersistence persistence =
                    MvStorePersistence.open(dirLock.dir().resolve(MvStorePersistence.FILE_NAME), tuning);
            // LocalStore owns the persistence from here on, and closes it if it fails to open.
            return new EmbeddedTopoStore(dirLock, LocalStore.open(persistence, clock));
        } catch (TopoException | RuntimeException e) {
            dirLock.close();
            throw e;
        }
    }

    /**
     * Opens a new connection. Closing it releases its locks and cancels its watches; the store and its data stay.
     */
    public LocalTopoConn connect() {
        return store.connect();
    }

    /** The data directory this store owns (as a real path). */
    public Path dataDir() {
        return dirLock.dir();
    }

    /**
     * Closes the store and releases the data directory. Watches end with {@code Failed}; locks are not released
     * but stay on disk until their leases expire, as after a crash. Idempotent.
     */
    @Override
    public void close() {
        try {
            store.close();
        } finally {
            dirLock.close();
        }
    }
}
