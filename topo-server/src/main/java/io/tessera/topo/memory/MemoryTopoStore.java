package io.tessera.topo.memory;

import io.tessera.topo.TopoException;
import io.tessera.topo.local.LocalStore;
import io.tessera.topo.local.LocalTopoConn;
import io.tessera.topo.local.Persistence;
import java.time.InstantSource;

/**
 * A topology store in this JVM's heap, for tests: the full {@link io.tessera.topo.TopoConn} behaviour (versions,
 * watches, leases, locks), and nothing survives the store. Connections from {@link #connect()} are independent
 * sessions over the same data, like separate processes sharing one topology server.
 */
public final class MemoryTopoStore implements AutoCloseable {
    private final LocalStore store;

    /** Creates an empty store whose leases run on the system clock. */
    public MemoryTopoStore() {
        this(InstantSource.system());
    }

    /** Creates an empty store whose lease deadlines are read from {@code clock} (tests move it by hand). */
    MemoryTopoStore(InstantSource clock) {
        try {
            store = LocalStore.open(Persistence.inMemory(), clock);
        } catch (TopoException e) {
            // An empty heap persistence has nothing to read or fail on.
            throw new IllegalStateException("cannot open an in-memory topology store", e);
        }
    }

    /**
     * Opens a new connection. Closing it releases its locks and cancels its watches; the store and its data stay.
     */
    public LocalTopoConn connect() {
        return store.connect();
    }

    /** Closes the store: its watches end with {@code Failed} and every later call fails with {@code UNAVAILABLE}. */
    @Override
    public void close() {
        store.close();
    }
}
