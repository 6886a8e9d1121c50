package io.tessera.topo.etcd;

import io.tessera.testing.EtcdProcess;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoConnContractTest;
import io.tessera.topo.TopoConnFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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
            lockInAnotherProcessAndKillIt("etcd://" + etcd.endpoint() + root, dirPath, ttl);
        }

        @Override
        public void close() {
            // Nothing to stop: the etcd process belongs to the class, and the next test uses another root.
        }
    }
}
