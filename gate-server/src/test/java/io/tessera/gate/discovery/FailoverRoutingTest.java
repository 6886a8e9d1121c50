package io.tessera.gate.discovery;

import static io.tessera.gate.discovery.FakeCluster.execute;
import static io.tessera.gate.discovery.FakeCluster.inRotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.buffer.BufferConfig;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtrpc.Code;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PRIMARY traffic while a shard changes primary, with and without the failover buffer. */
class FailoverRoutingTest {
    private static final BufferConfig BUFFER_ON = BufferConfig.defaults().withEnabled(true)
            .withWindow(Duration.ofSeconds(30)).withMaxFailoverDuration(Duration.ofSeconds(60));

    private FakeCluster cluster;
    private FakeTablet old;
    private FakeTablet next;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new FakeCluster();
        old = cluster.tablet("zone1", 101, TabletType.PRIMARY);
        next = cluster.tablet("zone1", 102, TabletType.REPLICA);
        old.primary(1000);
        next.serving(TabletType.REPLICA, 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    private DiscoveryGateway gateway(BufferConfig buffer) {
        DiscoveryGateway gateway = cluster.gateway(FakeCluster.config(), buffer);
        await().until(() -> inRotation(gateway, TabletType.PRIMARY).equals(List.of(old.alias)));
        return gateway;
    }

    /** The old primary starts refusing writes, as a tablet does when a planned reparent demotes it. */
    private void demotionStarts() {
        old.queries.failWith(() -> TesseraException.of(ErrorKind.NOT_SERVING, old.name(),
                "primary is not serving, there is a reparent operation in progress"));
    }

    /** The rest of the reparent: the old primary becomes a replica, the new one reports its newer term. */
    private void reparentCompletes(DiscoveryGateway gateway) {
        old.report(TabletType.PRIMARY, false, 0, "", 1000);
        old.serving(TabletType.REPLICA, 0);
        next.primary(2000);
        await().until(() -> inRotation(gateway, TabletType.PRIMARY).equals(List.of(next.alias)));
    }

    private static CompletableFuture<String> write(DiscoveryGateway gateway) {
        return CompletableFuture.supplyAsync(() -> execute(gateway, TabletType.PRIMARY),
                task -> Thread.ofVirtual().start(task));
    }

    private static TesseraException failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return (TesseraException) e.getCause();
        }
        throw new AssertionError("expected the write to fail");
    }

    @Test
    void withBufferingAPlannedReparentLosesNoWrite() throws Exception {
        DiscoveryGateway gateway = gateway(BUFFER_ON);
        int writers = 8;
        int afterSwitch = 5;
        AtomicBoolean switched = new AtomicBoolean();
        CyclicBarrier secondPhase = new CyclicBarrier(writers + 1);
        List<String> during = Collections.synchronizedList(new ArrayList<>());
        List<String> after = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            running.add(CompletableFuture.runAsync(() -> {
                while (!switched.get()) {
                    during.add(execute(gateway, TabletType.PRIMARY));
                }
                try {
                    secondPhase.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < afterSwitch; i++) {
                    after.add(execute(gateway, TabletType.PRIMARY));
                }
            }, task -> Thread.ofVirtual().start(task)));
        }
        await().until(() -> old.queries.successes() >= 20);

        demotionStarts();
        await().until(() -> gateway.buffer().bufferedRequests() > 0);
        reparentCompletes(gateway);
        switched.set(true);
        secondPhase.await(30, TimeUnit.SECONDS); // every writer is done with the writes begun before the switch
        int oldCallsAtSwitch = old.queries.calls();
        for (CompletableFuture<Void> r : running) {
            r.get(30, TimeUnit.SECONDS); // no writer saw an error
        }

        assertThat(after).hasSize(writers * afterSwitch).containsOnly(next.name());
        assertThat(old.queries.calls()).isEqualTo(oldCallsAtSwitch);
        assertThat(during).containsOnly(old.name(), next.name()).contains(next.name());
        assertThat(old.queries.successes() + next.queries.successes()).isEqualTo(during.size() + after.size());
        Map<String, String> shard = Map.of("keyspace", FakeCluster.KEYSPACE, "shard", FakeCluster.SHARD);
        assertThat(cluster.metric("tessera_gate_buffer_failovers_total", shard)).isEqualTo(1.0);
        assertThat(cluster.metric("tessera_gate_buffer_requests_total", Map.of("keyspace", FakeCluster.KEYSPACE,
                "shard", FakeCluster.SHARD, "outcome", "drained"))).isPositive();
    }

    @Test
    void withoutBufferingWritersSeeTheError() throws Exception {
        DiscoveryGateway gateway = gateway(BufferConfig.defaults());
        demotionStarts();

        List<CompletableFuture<String>> writes = List.of(write(gateway), write(gateway), write(gateway));
        for (CompletableFuture<String> w : writes) {
            TesseraException e = failure(w);
            assertThat(e.code()).isEqualTo(Code.CLUSTER_EVENT);
            assertThat(e.kind()).isEqualTo(ErrorKind.NOT_SERVING);
        }

        reparentCompletes(gateway);
        assertThat(execute(gateway, TabletType.PRIMARY)).isEqualTo(next.name());
    }

    @Test
    void withoutBufferingARefusalIsResentOnlyToANewerPrimary() throws Exception {
        DiscoveryGateway gateway = gateway(BufferConfig.defaults());
        // The refusal reaches the gate only after it already routes to the new primary.
        old.queries.failWith(() -> {
            next.primary(2000);
            await().until(() -> inRotation(gateway, TabletType.PRIMARY).equals(List.of(next.alias)));
            return TesseraException.of(ErrorKind.NOT_SERVING, old.name(), "demoted");
        });

        assertThat(execute(gateway, TabletType.PRIMARY)).isEqualTo(next.name());
        assertThat(old.queries.calls()).isEqualTo(1);
    }

    @Test
    void aReadOnlyRefusalIsBufferedToo() throws Exception {
        DiscoveryGateway gateway = gateway(BUFFER_ON);
        old.queries.failWith(() -> TesseraException.mysql(1290, "HY000",
                "The MariaDB server is running with the --read-only option so it cannot execute this statement",
                null));

        CompletableFuture<String> w = write(gateway);
        await().until(() -> gateway.buffer().bufferedRequests() == 1);
        reparentCompletes(gateway);

        assertThat(w.get(30, TimeUnit.SECONDS)).isEqualTo(next.name());
    }

    @Test
    void aPrimaryThatGoesAwayIsBufferedUntilTheNextOne() throws Exception {
        DiscoveryGateway gateway = gateway(BUFFER_ON);

        old.close(); // its health stream breaks, and reconnecting fails
        await().until(() -> gateway.buffer().isFailingOver(FakeCluster.KEYSPACE, FakeCluster.SHARD));
        CompletableFuture<String> w = write(gateway);
        await().until(() -> gateway.buffer().bufferedRequests() == 1);
        next.primary(2000);

        assertThat(w.get(30, TimeUnit.SECONDS)).isEqualTo(next.name());
        assertThat(old.queries.calls()).isZero();
    }

    @Test
    void aWriteWaitsAtMostTheBufferWindow() throws Exception {
        DiscoveryGateway gateway = gateway(BUFFER_ON.withWindow(Duration.ofMillis(300)));
        demotionStarts();

        TesseraException e = failure(write(gateway));

        assertThat(e.kind()).isEqualTo(ErrorKind.BUFFER_WINDOW_EXCEEDED);
        assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
    }

    @Test
    void aFullBufferRefusesMoreWrites() throws Exception {
        DiscoveryGateway gateway = gateway(BUFFER_ON.withSize(2));
        demotionStarts();
        List<CompletableFuture<String>> waiting = List.of(write(gateway), write(gateway));
        await().until(() -> gateway.buffer().bufferedRequests() == 2);

        assertThatThrownBy(() -> execute(gateway, TabletType.PRIMARY))
                .isInstanceOfSatisfying(TesseraException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.BUFFER_FULL));

        reparentCompletes(gateway);
        for (CompletableFuture<String> w : waiting) {
            assertThat(w.get(30, TimeUnit.SECONDS)).isEqualTo(next.name());
        }
    }

    @Test
    void anUnreachablePrimaryIsNotRetried() throws Exception {
        DiscoveryGateway gateway = gateway(BUFFER_ON);
        old.queries.failWith(() -> TesseraException.uncatalogued(Code.UNAVAILABLE, 1105, "HY000", "",
                "connection reset", null));

        TesseraException e = failure(write(gateway));

        assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(old.queries.calls()).isEqualTo(1);
        assertThat(gateway.buffer().isFailingOver(FakeCluster.KEYSPACE, FakeCluster.SHARD)).isFalse();
    }
}
