package io.tessera.topo.server;

import io.tessera.testing.TempDirs;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoConnContractTest;
import io.tessera.topo.remote.RemoteTopoConn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The topology contract against the embedded store behind a real {@code tessera-topo} process, reached through
 * {@link RemoteTopoConn}: each test gets a new daemon on a fresh data dir. A lock holder that dies is a separate
 * JVM killed with SIGKILL, so its lock goes away only because nobody keeps it alive any more.
 */
class EmbeddedDaemonContractTest extends TopoConnContractTest {

    @Override
    protected Backend openBackend() throws Exception {
        Path root = Files.createTempDirectory("tessera-topo-contract");
        TopoDaemonProcess daemon;
        try {
            daemon = TopoDaemonProcess.start(root.resolve("data"));
        } catch (RuntimeException | AssertionError e) {
            TempDirs.deleteRecursively(root);
            throw e;
        }
        return new Backend() {
            @Override
            public TopoConn connect() {
                return RemoteTopoConn.connect(daemon.address());
            }

            @Override
            public void lockAndDie(String dirPath, Duration ttl) throws Exception {
                lockInAnotherProcessAndKillIt(daemon.address(), dirPath, ttl);
            }

            @Override
            public void close() {
                daemon.close();
                TempDirs.deleteRecursively(root);
            }
        };
    }
}
