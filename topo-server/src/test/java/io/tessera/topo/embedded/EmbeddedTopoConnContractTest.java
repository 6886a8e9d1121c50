package io.tessera.topo.embedded;

import io.tessera.testing.TempDirs;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoConnContractTest;
import io.tessera.topo.local.LocalTopoConn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The topology contract, held against the embedded store in this process (the suite also runs against it behind a
 * real {@code tessera-topo} process elsewhere).
 */
class EmbeddedTopoConnContractTest extends TopoConnContractTest {

    @Override
    protected Backend openBackend() throws Exception {
        Path dir = Files.createTempDirectory("tessera-embedded-contract");
        EmbeddedTopoStore store = EmbeddedTopoStore.open(dir.resolve("data"));
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
            public void close() throws IOException {
                store.close();
                TempDirs.deleteRecursively(dir);
            }
        };
    }
}
