package io.tessera.topo.memory;

import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoConnContractTest;
import io.tessera.topo.local.LocalTopoConn;
import java.time.Duration;

/** The topology contract, held against the in-memory store. */
class MemoryTopoConnContractTest extends TopoConnContractTest {

    @Override
    protected Backend openBackend() {
        MemoryTopoStore store = new MemoryTopoStore();
        return new Backend() {
            @Override
            public TopoConn connect() {
                return store.connect();
            }

            @Override
            public void lockAndDie(String dirPath, Duration ttl) throws Exception {
                LocalTopoConn holder = store.connect();
                holder.lock(dirPath, "{\"Action\":\"lockAndDie\"}", new LockOptions(ttl, Duration.ofSeconds(30)));
                holder.abandon();
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }
}
