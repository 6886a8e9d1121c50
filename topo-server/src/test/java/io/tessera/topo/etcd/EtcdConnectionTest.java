package io.tessera.topo.etcd;

import static io.tessera.topo.etcd.EtcdFilesTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.testing.EtcdProcess;
import io.tessera.testing.FreePorts;
import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoConnFactory;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Addresses, endpoints and connection life cycle. */
class EtcdConnectionTest extends EtcdTestBase {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void anEtcdAddressOpensAConnectionUnderItsRoot() throws Exception {
        // Through the class path's provider registry, as every daemon opens its topology.
        try (TopoConn viaAddress = TopoConnFactory.fromClassPath().open("etcd://" + etcd.endpoint() + root)) {
            assertThat(viaAddress).isInstanceOf(EtcdTopoConn.class);
            viaAddress.create("f", bytes("x"));
        }
        assertThat(text(connect().get("f").contents())).isEqualTo("x");
    }

    @Test
    void anUnreachableEndpointBesideAWorkingOneIsSkipped() throws Exception {
        int dead = FreePorts.next();
        try (EtcdTopoConn conn = EtcdTopoConn.connect(List.of("127.0.0.1:" + dead, etcd.endpoint()), root)) {
            conn.create("f", bytes("x"));
            for (int i = 0; i < 5; i++) {
                assertThat(text(conn.get("f").contents())).isEqualTo("x");
            }
        }
    }

    @Test
    void anUnreachableClusterIsUnavailableAndTheMessageNamesPathAndEndpoint() {
        String endpoint = "127.0.0.1:" + FreePorts.next();
        try (EtcdTopoConn conn = EtcdTopoConn.connect(List.of(endpoint), root)) {
            assertThatThrownBy(() -> conn.get("keyspaces/ks/Keyspace"))
                    .isInstanceOfSatisfying(TopoException.class, e -> {
                        assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
                        assertThat(e.path()).isEqualTo("keyspaces/ks/Keyspace");
                        assertThat(e.getMessage()).contains("keyspaces/ks/Keyspace").contains(endpoint);
                    });
        }
    }

    @Test
    void malformedEndpointsAreRejectedAtConnect() {
        assertThatThrownBy(() -> EtcdTopoConn.connect(List.of(), "/r"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EtcdTopoConn.connect(List.of("no-port"), "/r"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingTheConnectionStopsALockerWaitingOnIt() throws Exception {
        TopoConn holder = connect();
        EtcdTopoConn waiter = connect();
        holder.create("d/f", bytes("x"));
        try (LockHandle held = holder.lock("d", "holder", LockOptions.DEFAULT)) {
            CompletableFuture<TopoException> failure = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    // A lease far longer than this test waits: only withdrawal can remove the node in time.
                    waiter.lock("d", "waiter", new LockOptions(Duration.ofMinutes(5), Duration.ofMinutes(10)));
                    failure.complete(null);
                } catch (TopoException e) {
                    failure.complete(e);
                }
            });
            await("the waiter queues up").atMost(WAIT).until(() -> holder.listDir("d/locks").size() == 2);

            waiter.close();

            TopoException e = failure.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
            await("the waiter's node is withdrawn").atMost(WAIT).until(() -> holder.listDir("d/locks").size() == 1);
            held.check();
        }
    }

    @Test
    void theFixtureStopsEtcdAndDeletesItsDataWhenClosed() {
        EtcdProcess other = EtcdProcess.start();
        Path dir = other.log().getParent();
        int port = other.clientPort();
        assertThat(FreePorts.isListening(port)).isTrue();
        assertThat(other.endpoint()).isEqualTo("127.0.0.1:" + port);

        other.close();

        assertThat(other.isAlive()).isFalse();
        assertThat(FreePorts.isListening(port)).isFalse();
        assertThat(Files.exists(dir)).isFalse();
    }
}
