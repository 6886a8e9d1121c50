package io.tessera.topo.local;

import io.tessera.topo.TopoException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A heap persistence that records every change it is given and can be told to refuse writes. */
final class TestPersistence implements Persistence {
    private final Persistence delegate = Persistence.inMemory();
    private final List<Changes> written = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    void failWrites(boolean fail) {
        failing = fail;
    }

    List<Changes> written() {
        return written;
    }

    @Override
    public StoreSnapshot load() throws TopoException {
        return delegate.load();
    }

    @Override
    public void write(Changes changes) throws TopoException {
        if (failing) {
            throw new TopoException(TopoException.Code.UNAVAILABLE, "", "test persistence refuses writes");
        }
        delegate.write(changes);
        written.add(changes);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
