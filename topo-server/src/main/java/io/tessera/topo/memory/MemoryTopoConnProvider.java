package io.tessera.topo.memory;

import io.tessera.topo.DirEntry;
import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoAddress;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoConnProvider;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.Version;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import java.util.List;
import java.util.function.Consumer;

/**
 * Serves {@code memory://}: every address opens a private, empty in-memory store that lives as long as its one
 * connection. Meant for tests and trying things out; nothing is shared between processes or survives.
 */
public final class MemoryTopoConnProvider implements TopoConnProvider {
    @Override
    public String scheme() {
        return "memory";
    }

    @Override
    public TopoConn open(TopoAddress address) {
        MemoryTopoStore store = new MemoryTopoStore();
        return new StoreOwningConn(store, store.connect());
    }

    /** A connection that closes its private store when it is closed. */
    private record StoreOwningConn(MemoryTopoStore store, TopoConn conn) implements TopoConn {
        @Override
        public Version create(String path, byte[] contents) throws TopoException {
            return conn.create(path, contents);
        }

        @Override
        public VersionedData get(String path) throws TopoException {
            return conn.get(path);
        }

        @Override
        public Version update(String path, byte[] contents, Version expected) throws TopoException {
            return conn.update(path, contents, expected);
        }

        @Override
        public void delete(String path, Version expected) throws TopoException {
            conn.delete(path, expected);
        }

        @Override
        public List<DirEntry> listDir(String dirPath) throws TopoException {
            return conn.listDir(dirPath);
        }

        @Override
        public TopoWatch watch(String path, Consumer<WatchEvent> listener) throws TopoException {
            return conn.watch(path, listener);
        }

        @Override
        public LockHandle lock(String dirPath, String contents, LockOptions options) throws TopoException {
            return conn.lock(dirPath, contents, options);
        }

        @Override
        public void close() {
            conn.close();
            store.close();
        }
    }
}
