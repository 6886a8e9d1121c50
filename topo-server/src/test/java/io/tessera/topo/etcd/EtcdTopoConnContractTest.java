package io.tessera.topo.etcd;

import io.tessera.testing.EtcdProcess;
import io.tessera.testing.ManagedProcess;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoConnContractTest;
import io.tessera.topo.TopoConnFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The topology contract on a real etcd: one etcd process for the class, a fresh root per test, connections
 * opened through the {@code etcd://} address as every process opens them.
 */
class EtcdTopoConnContractTest extends TopoConnContractTest {
    private static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.start();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected Backend openBackend() {
        return new EtcdBackend(etcd, "/contract/" + UUID.randomUUID());
    }

    /** One test's namespace: a root of its own on the shared etcd. */
    private record EtcdBackend(EtcdProcess etcd, String root) implements Backend {
        private static final TopoConnFactory FACTORY = new TopoConnFactory(List.of(new EtcdTopoConnProvider()));

        @Override
        public TopoConn connect() throws Exception {
            return FACTORY.open("etcd://" + etcd.endpoint() + root);
        }

        /** Holds the lock in another JVM and kills it with SIGKILL, so its lease is never revoked. */
        @Override
        public void lockAndDie(String dirPath, Duration ttl) throws Exception {
            Path dir = Files.createTempDirectory("tessera-etcd-lockholder");
            try (ManagedProcess holder = ManagedProcess.start("etcd lock holder",
                    // The killed JVM cannot remove its temporary files (Vert.x's cache under jetcd): keep them
                    // in a directory this method deletes.
                    ManagedProcess.javaCommand(EtcdLockHolderMain.class.getName(),
                            List.of("-Xmx64m", "-Djava.io.tmpdir=" + dir),
                            List.of(etcd.endpoint(), root, dirPath, Long.toString(ttl.toMillis()))),
                    Map.of(), dir, dir.resolve("holder.log"))) {
                holder.awaitReady(() -> holder.logText().contains("LOCKED "), Duration.ofSeconds(60));
                holder.killHard();
            } finally {
                deleteRecursively(dir);
            }
        }

        @Override
        public void close() {
            // Nothing to stop: the etcd process belongs to the class, and the next test uses another root.
        }

        private static void deleteRecursively(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + dir, e);
            }
        }
    }
}
