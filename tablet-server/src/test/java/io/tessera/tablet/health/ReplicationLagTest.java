package io.tessera.tablet.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.stub.StreamObserver;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.tablet.mysqlctl.ManagedMysqld;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heartbeat lag and health against a real MariaDB primary and replica. */
class ReplicationLagTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration LOW_LAG = Duration.ofSeconds(2);

    /** Shared by all tests, so the template datadir is created once. */
    @TempDir
    static Path root;

    private static long nextUid = 200;

    private final HealthConfig config = HealthConfig.defaults()
            .withHeartbeatInterval(Duration.ofMillis(200))
            .withHealthCheckInterval(Duration.ofMillis(200))
            .withMysqlTimeout(Duration.ofSeconds(2));
    private final Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private MariadbPair pair;
    private long primaryUid;
    private long replicaUid;

    @BeforeEach
    void startServers() throws Exception {
        scheduler = Executors.newScheduledThreadPool(4);
        primaryUid = nextUid++;
        replicaUid = nextUid++;
        pair = MariadbPair.start(root, primaryUid, replicaUid);
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            for (AutoCloseable c : toClose.reversed()) {
                c.close();
            }
            scheduler.shutdownNow();
            assertThat(scheduler.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pair.close();
        }
    }

    private ReplicationTracker tracker(ManagedMysqld mysqld, long uid) {
        ReplicationTracker tracker = new ReplicationTracker(config, mysqld.dba(), "commerce", "0", uid, scheduler,
                clock);
        toClose.add(tracker);
        return tracker;
    }

    private static Duration measured(LagReading reading) {
        assertThat(reading).isInstanceOf(LagReading.Measured.class);
        return ((LagReading.Measured) reading).lag();
    }

    @Test
    void lagStaysLowWhileReplicatingRisesWhileStoppedAndRecoversAfterRestart() throws Exception {
        ReplicationTracker primary = tracker(pair.primary, primaryUid);
        ReplicationTracker replica = tracker(pair.replica, replicaUid);

        // A fresh replica has no heartbeat table: a health error, not a lag.
        replica.makeNonPrimary();
        assertThat(replica.role()).isEqualTo(ReplicationTracker.Role.REPLICA);
        assertThat(replica.lag()).isInstanceOfSatisfying(LagReading.Unavailable.class,
                u -> assertThat(u.reason()).contains("no heartbeat table `_vt`.`heartbeat`"));

        primary.makePrimary();
        assertThat(primary.lag()).isEqualTo(LagReading.none());
        pair.startReplication();
        await().atMost(WAIT).untilAsserted(() -> assertThat(measured(replica.lag())).isLessThan(LOW_LAG));
        assertThat(MariadbPair.query(pair.replica, "SELECT tabletUid FROM _vt.heartbeat WHERE keyspaceShard = "
                + "'commerce:0'")).isEqualTo(Long.toString(primaryUid));

        // The primary keeps writing, but nothing arrives: the lag grows.
        pair.stopReplication();
        await().atMost(WAIT).untilAsserted(() -> assertThat(measured(replica.lag()))
                .isGreaterThan(Duration.ofSeconds(3)));

        pair.startReplication();
        await().atMost(WAIT).untilAsserted(() -> assertThat(measured(replica.lag())).isLessThan(LOW_LAG));
    }

    @Test
    void killedReplicaMysqldIsAHealthErrorUntilItIsBack() throws Exception {
        tracker(pair.primary, primaryUid).makePrimary();
        ReplicationTracker replicaTracker = tracker(pair.replica, replicaUid);
        replicaTracker.makeNonPrimary();
        pair.startReplication();

        Target target = Target.newBuilder().setKeyspace("commerce").setShard("0")
                .setTabletType(TabletType.REPLICA).setCell("zone1").build();
        HealthCheck check = new HealthCheck(config, MysqldProbe.ping(pair.replica.dba(), config.mysqlTimeout()),
                replicaTracker, () -> new TabletState(target, true, Optional.empty()));
        TabletAlias alias = TabletAlias.newBuilder().setCell("zone1").setUid((int) replicaUid).build();
        HealthStreamer streamer = new HealthStreamer(alias, HealthReport.notYetChecked(target));
        toClose.add(streamer);
        HealthMonitor monitor = new HealthMonitor(config, check, streamer, scheduler);
        toClose.add(monitor);
        AtomicReference<StreamHealthResponse> seen = new AtomicReference<>();
        streamer.subscribe(new LatestObserver(seen));
        monitor.start();

        await().atMost(WAIT).untilAsserted(() -> {
            StreamHealthResponse r = seen.get();
            assertThat(r.getServing()).isTrue();
            assertThat(r.getRealtimeStats().getHealthError()).isEmpty();
            assertThat(r.getTarget()).isEqualTo(target);
            assertThat(r.getTabletAlias()).isEqualTo(alias);
        });

        pair.replica.kill();
        await().atMost(WAIT).untilAsserted(() -> {
            StreamHealthResponse r = seen.get();
            assertThat(r.getServing()).isFalse();
            assertThat(r.getRealtimeStats().getHealthError()).contains("mysqld is not reachable");
        });
        assertThat(monitor.lastReport().status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(replicaTracker.lag()).isInstanceOf(LagReading.Unavailable.class);

        // The managed my.cnf skips replica start at boot, so replication is restarted as the tablet would.
        pair.replica.start();
        pair.startReplication();
        await().atMost(WAIT).untilAsserted(() -> {
            StreamHealthResponse r = seen.get();
            assertThat(r.getServing()).isTrue();
            assertThat(r.getRealtimeStats().getHealthError()).isEmpty();
            assertThat(r.getRealtimeStats().getReplicationLagSeconds()).isLessThan(2);
        });
        assertThat(monitor.lastReport().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void theWriterNeverWritesToAReadOnlyServerAndNotAfterItStopped() throws Exception {
        // The replica is read-only: a writer there creates nothing and logs nothing.
        HeartbeatWriter writer = new HeartbeatWriter(new SqlSession(pair.replica.dba(), config.mysqlTimeout()),
                "commerce:0", replicaUid, config.heartbeatInterval(), scheduler, clock);
        String before = MariadbPair.query(pair.replica, "SELECT @@GLOBAL.gtid_binlog_pos");
        assertThat(writer.writeOnce()).isEqualTo(HeartbeatWriter.Outcome.SKIPPED_READ_ONLY);
        assertThat(MariadbPair.query(pair.replica, HeartbeatTable.EXISTS)).isEqualTo("0");
        assertThat(MariadbPair.query(pair.replica, "SELECT @@GLOBAL.gtid_binlog_pos")).isEqualTo(before);

        // Writable: the table is created and the row written, both in the binary log.
        MariadbPair.run(pair.replica, "SET GLOBAL read_only = 0");
        assertThat(writer.writeOnce()).isEqualTo(HeartbeatWriter.Outcome.WRITTEN);
        assertThat(MariadbPair.query(pair.replica, "SELECT tabletUid FROM _vt.heartbeat")).isEqualTo(
                Long.toString(replicaUid));
        String written = MariadbPair.query(pair.replica, "SELECT @@GLOBAL.gtid_binlog_pos");
        assertThat(written).isNotEqualTo(before);

        // Another shard's reader finds the table but no row of its own: a health error too.
        HeartbeatReader otherShard = new HeartbeatReader(new SqlSession(pair.replica.dba(), config.mysqlTimeout()),
                "customer:-80", config.heartbeatInterval(), scheduler, clock);
        otherShard.start();
        try {
            assertThat(otherShard.lag()).isInstanceOfSatisfying(LagReading.Unavailable.class,
                    u -> assertThat(u.reason()).startsWith("no heartbeat for customer:-80 in `_vt`.`heartbeat`"));
        } finally {
            otherShard.stop();
        }
        assertThat(otherShard.lag()).isEqualTo(new LagReading.Unavailable("the heartbeat reader is not running"));

        // Read-only again, as in a demotion whose writer is not stopped yet: the upsert writes nothing.
        MariadbPair.run(pair.replica, "SET GLOBAL read_only = 1");
        assertThat(writer.writeOnce()).isEqualTo(HeartbeatWriter.Outcome.SKIPPED_READ_ONLY);
        assertThat(MariadbPair.query(pair.replica, "SELECT @@GLOBAL.gtid_binlog_pos")).isEqualTo(written);
        writer.stop();

        // Once makeNonPrimary returns, the primary's position no longer moves.
        ReplicationTracker primary = tracker(pair.primary, primaryUid);
        primary.makePrimary();
        String first = MariadbPair.query(pair.primary, "SELECT @@GLOBAL.gtid_binlog_pos");
        await().atMost(WAIT).until(() -> !MariadbPair.query(pair.primary, "SELECT @@GLOBAL.gtid_binlog_pos")
                .equals(first));
        primary.makeNonPrimary();
        String last = MariadbPair.query(pair.primary, "SELECT @@GLOBAL.gtid_binlog_pos");
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(
                () -> MariadbPair.query(pair.primary, "SELECT @@GLOBAL.gtid_binlog_pos").equals(last));
    }

    /** Keeps the latest message of a plain (not flow-controlled) stream. */
    private record LatestObserver(AtomicReference<StreamHealthResponse> latest)
            implements StreamObserver<StreamHealthResponse> {
        @Override
        public void onNext(StreamHealthResponse value) {
            latest.set(value);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    }
}
