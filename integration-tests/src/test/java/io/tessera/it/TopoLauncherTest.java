package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.topodata.Keyspace;
import io.tessera.testing.EtcdProcess;
import io.tessera.testing.FreePorts;
import io.tessera.testing.ManagedProcess;
import io.tessera.topo.TopoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/tessera-topo} as an operator runs it. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TopoLauncherTest {
    @TempDir
    Path tmp;

    @Test
    void helpListsTheFlags() throws Exception {
        try (ManagedProcess p = Launchers.start("tessera-topo", tmp, "help.log", "--help")) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.tail()).isZero();
            String help = p.logText();
            assertThat(help).contains("--port", "--backend", "--data-dir", "--etcd-endpoints", "--etcd-root",
                    "--bind-address", "--config");
            // The exact text is snapshotted in topo-server's TopoMainTest; here the packaged launcher must print it.
            assertThat(help).contains("Usage: tessera-topo");
        }
    }

    @Test
    void unknownFlagIsAUsageErrorWithExitCodeOne() throws Exception {
        try (ManagedProcess p = Launchers.start("tessera-topo", tmp, "bad.log", "--no-such-flag")) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).as(p.tail()).isEqualTo(1);
            assertThat(p.logText()).contains("no-such-flag");
        }
    }

    @Test
    void secondDaemonOnTheSameDataDirIsRefusedWhileTheFirstKeepsServing() throws Exception {
        Path dataDir = tmp.resolve("topo-data");
        int port1 = FreePorts.next();
        try (ManagedProcess first = Launchers.start("tessera-topo", tmp, "first.log",
                "--backend", "embedded", "--data-dir", dataDir.toString(), "--port", Integer.toString(port1))) {
            first.awaitReady(() -> FreePorts.isListening(port1), Duration.ofSeconds(60));
            assertThat(first.logText()).contains(dataDir.toString());

            int port2 = FreePorts.next();
            try (ManagedProcess second = Launchers.start("tessera-topo", tmp, "second.log",
                    "--backend", "embedded", "--data_dir", dataDir.toString(), "-port", Integer.toString(port2))) {
                assertThat(second.waitFor(Duration.ofSeconds(60))).as(second.tail()).isEqualTo(1);
                assertThat(second.logText()).contains("in use").contains(dataDir.toString());
                assertThat(FreePorts.isListening(port2)).isFalse();
            }

            assertThat(first.isAlive()).isTrue();
            try (TopoServer ts = TopoServer.open("grpc://127.0.0.1:" + port1)) {
                ts.createKeyspace("commerce", Keyspace.getDefaultInstance());
                assertThat(ts.getKeyspaceNames()).containsExactly("commerce");
            }
        }
        assertThat(Files.exists(dataDir)).isTrue();
    }

    @Test
    void daemonFrontsEtcdAndEveryoneSeesTheSameRecords() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start()) {
            int port = FreePorts.next();
            try (ManagedProcess topo = Launchers.start("tessera-topo", tmp, "etcd-topo.log",
                    "--backend", "etcd", "--etcd-endpoints", etcd.endpoint(), "--etcd-root", "/it",
                    "--port", Integer.toString(port))) {
                topo.awaitReady(() -> FreePorts.isListening(port), Duration.ofSeconds(60));
                assertThat(topo.logText()).contains(etcd.endpoint());
                try (TopoServer viaDaemon = TopoServer.open("grpc://127.0.0.1:" + port);
                        TopoServer direct = TopoServer.open("etcd://" + etcd.endpoint() + "/it")) {
                    viaDaemon.createKeyspace("customer", Keyspace.newBuilder().setDurabilityPolicy("semi_sync").build());
                    viaDaemon.createShard("customer", "-80");
                    assertThat(direct.getKeyspace("customer").value().getDurabilityPolicy()).isEqualTo("semi_sync");
                    assertThat(direct.getShardNames("customer")).containsExactly("-80");
                    direct.createShard("customer", "80-");
                    assertThat(viaDaemon.getShardNames("customer")).containsExactly("-80", "80-");
                }
            }
        }
    }
}
