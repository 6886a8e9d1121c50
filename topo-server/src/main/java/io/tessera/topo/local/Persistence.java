package io.tessera.topo.local;

import io.tessera.topo.TopoException;

/**
 * Where a {@link LocalStore} keeps its state so it outlives the store object. The store holds its working copy
 * in memory and serves every read from it; a persistence only loads that copy at open and records each change.
 *
 * <p>The store calls these methods one at a time, under its own lock.
 */
public interface Persistence extends AutoCloseable {

    /**
     * Reads everything committed so far.
     *
     * @throws TopoException {@code UNAVAILABLE} if the stored state cannot be read
     */
    StoreSnapshot load() throws TopoException;

    /**
     * Records one change, all of it or none of it. When this returns, the change is as durable as this persistence
     * promises (for a file-backed persistence: on disk, so that a crash right after loses nothing).
     *
     * @throws TopoException {@code UNAVAILABLE} if the change could not be recorded; the store then does not apply
     *     it, and an implementation that cannot tell what reached storage refuses every later write
     */
    void write(Changes changes) throws TopoException;

    /** Releases what the persistence holds open. Nothing is lost: every change was recorded by {@link #write}. */
    @Override
    void close();

    /**
     * A persistence that keeps the state in this JVM's heap: nothing survives the process, but a store closed and
     * opened again over the same instance finds everything it had (tests use this to exercise a restart).
     */
    static Persistence inMemory() {
        return new HeapPersistence();
    }
}
