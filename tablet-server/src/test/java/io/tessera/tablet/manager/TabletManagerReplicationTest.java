package io.tessera.tablet.manager;

import static io.tessera.tablet.manager.Sql.app;
import static io.tessera.tablet.manager.Sql.dba;
import static io.tessera.tablet.manager.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Context;
import io.tessera.proto.tabletmanagerdata.ChangeTypeRequest;
import io.tessera.proto.tabletmanagerdata.DemotePrimaryRequest;
import io.tessera.proto.tabletmanagerdata.InitPrimaryRequest;
import io.tessera.proto.tabletmanagerdata.InitReplicaRequest;
import io.tessera.proto.tabletmanagerdata.PromoteReplicaRequest;
import io.tessera.proto.tabletmanagerdata.RefreshStateRequest;
import io.tessera.proto.tabletmanagerdata.ReplicaWasPromotedRequest;
import io.tessera.proto.tabletmanagerdata.ReplicaWasRestartedRequest;
import io.tessera.proto.tabletmanagerdata.ResetReplicationParametersRequest;
import io.tessera.proto.tabletmanagerdata.SetReadOnlyRequest;
import io.tessera.proto.tabletmanagerdata.SetReadWriteRequest;
import io.tessera.proto.tabletmanagerdata.SetReplicationSourceRequest;
import io.tessera.proto.tabletmanagerdata.StopReplicationMinimumRequest;
import io.tessera.proto.tabletmanagerdata.StopReplicationRequest;
import io.tessera.proto.topodata.Shard;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.tessera.proto.replicationdata.FullStatus;
import io.tessera.proto.replicationdata.Status;
import io.tessera.proto.replicationdata.StopReplicationMode;
import io.tessera.proto.replicationdata.StopReplicationStatus;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsDbaRequest;
import io.tessera.proto.tabletmanagerdata.FullStatusRequest;
import io.tessera.proto.tabletmanagerdata.PingRequest;
import io.tessera.proto.tabletmanagerdata.PrimaryPositionRequest;
import io.tessera.proto.tabletmanagerdata.PrimaryStatusRequest;
import io.tessera.proto.tabletmanagerdata.ReadReparentJournalInfoRequest;
import io.tessera.proto.tabletmanagerdata.ReplicationStatusRequest;
import io.tessera.proto.tabletmanagerdata.StartReplicationRequest;
import io.tessera.proto.tabletmanagerdata.StopReplicationAndGetStatusRequest;
import io.tessera.proto.tabletmanagerdata.WaitForPositionRequest;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtrpc.Code;
import io.tessera.tablet.flavor.SemiSyncVariables;
import io.tessera.tabletmanager.TabletManagerClient;
import io.tessera.tabletmanager.TabletManagerException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard set up and replicating through the tablet manager RPCs, over gRPC, on three real MariaDB servers:
 * 100 primary, 101 replica acknowledging semi-sync, 102 rdonly that does not.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TabletManagerReplicationTest {
    @TempDir
    static Path root;

    private static ShardFixture shard;

    @BeforeAll
    static void start() throws Exception {
        shard = ShardFixture.start(root);
    }

    @AfterAll
    static void stop() {
        if (shard != null) {
            shard.close();
        }
    }

    private static TabletManagerClient tm(int uid) throws Exception {
        return shard.client(uid);
    }

    private static String position(int uid) throws Exception {
        return tm(uid).primaryPosition(PrimaryPositionRequest.getDefaultInstance()).getPosition();
    }

    private static void waitFor(int uid, String position) throws Exception {
        tm(uid).waitForPosition(WaitForPositionRequest.newBuilder().setPosition(position).build());
    }

    private static FullStatus fullStatus(int uid) throws Exception {
        return tm(uid).fullStatus(FullStatusRequest.getDefaultInstance()).getStatus();
    }

    @Test
    void initialisedShardReplicatesWritesAndReplicasRefuseThem() throws Exception {
        String start = shard.initShard(100);
        assertThat(start).isEmpty();
        assertThat(tm(100).ping(PingRequest.newBuilder().setPayload("hello").build()).getPayload()).isEqualTo("hello");

        tm(100).executeFetchAsApp(app("CREATE TABLE product (id BIGINT PRIMARY KEY, name VARCHAR(64))"));
        var inserted = tm(100).executeFetchAsApp(app("INSERT INTO product VALUES (1, 'apple'), (2, NULL)"))
                .getResult();
        assertThat(inserted.getRowsAffected()).isEqualTo(2);
        String position = position(100);
        assertThat(position).startsWith("MariaDB/0-100-");

        for (int replica : new int[] {101, 102}) {
            waitFor(replica, position);
            var result = tm(replica).executeFetchAsDba(dba("SELECT id, name FROM product ORDER BY id")).getResult();
            assertThat(result.getFieldsList()).extracting(f -> f.getName()).containsExactly("id", "name");
            assertThat(rows(result)).containsExactly(List.of("1", "apple"), java.util.Arrays.asList("2", null));
            assertThatThrownBy(() -> tm(replica).executeFetchAsApp(app("INSERT INTO product VALUES (3, 'pear')")))
                    .isInstanceOfSatisfying(TabletManagerException.class, e -> {
                        assertThat(e.code()).isEqualTo(Code.READ_ONLY);
                        assertThat(e.mysqlErrno()).isEqualTo(1290);
                        assertThat(e.sqlState()).isEqualTo("HY000");
                        assertThat(e.getMessage()).contains("read-only");
                    });
            assertThat(tm(replica).readReparentJournalInfo(ReadReparentJournalInfoRequest.getDefaultInstance())
                    .getLength()).isEqualTo(1);
        }

        // Topology and serving state: 100 is the serving primary of the shard, the others serve reads.
        assertThat(shard.tablet(100).getType()).isEqualTo(TabletType.PRIMARY);
        assertThat(shard.tablet(100).hasPrimaryTermStartTime()).isTrue();
        assertThat(shard.topo().getShard(ShardFixture.KEYSPACE, ShardFixture.SHARD).value().getPrimaryAlias())
                .isEqualTo(ShardFixture.alias(100));
        assertThat(shard.member(100).lastState().acceptsWrites()).isTrue();
        assertThat(shard.member(100).lastState().primaryTermStart()).isPresent();
        assertThat(shard.member(101).lastState().type()).isEqualTo(TabletType.REPLICA);
        assertThat(shard.member(101).lastState().serving()).isTrue();
        assertThat(shard.member(101).lastState().acceptsWrites()).isFalse();
        assertThat(shard.member(102).lastState().type()).isEqualTo(TabletType.RDONLY);
    }

    @Test
    void statusCallsReportTheReplicationTopology() throws Exception {
        shard.initShard(100);
        tm(100).executeFetchAsApp(app("CREATE TABLE t (id INT PRIMARY KEY)"));
        String position = position(100);
        waitFor(101, position);
        waitFor(102, position);

        Status replica = tm(101).replicationStatus(ReplicationStatusRequest.getDefaultInstance()).getStatus();
        assertThat(replica.getPosition()).isEqualTo(position);
        assertThat(replica.getSourceHost()).isEqualTo("127.0.0.1");
        assertThat(replica.getSourcePort()).isEqualTo(shard.tablet(100).getMysqlPort());
        assertThat(replica.getSourceServerId()).isEqualTo(100);
        assertThat(replica.getIoState()).isEqualTo(3);
        assertThat(replica.getSqlState()).isEqualTo(3);
        assertThat(replica.getUsingGtid()).isTrue();
        assertThat(replica.getLastIoError()).isEmpty();
        assertThat(replica.getConnectRetry()).isEqualTo(1);

        var primaryStatus = tm(100).primaryStatus(PrimaryStatusRequest.getDefaultInstance()).getStatus();
        assertThat(primaryStatus.getPosition()).isEqualTo(position);
        assertThat(primaryStatus.getFilePosition()).startsWith("FilePos/");
        assertThatThrownBy(() -> tm(100).replicationStatus(ReplicationStatusRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(TabletManagerException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));

        FullStatus primary = fullStatus(100);
        assertThat(primary.getServerId()).isEqualTo(100);
        assertThat(primary.getVersion()).contains("MariaDB");
        assertThat(primary.getReadOnly()).isFalse();
        assertThat(primary.getLogBinEnabled()).isTrue();
        assertThat(primary.getLogReplicaUpdates()).isTrue();
        assertThat(primary.getBinlogFormat()).isEqualTo("ROW");
        assertThat(primary.getBinlogRowImage()).isEqualTo("FULL");
        assertThat(primary.getGtidMode()).isEqualTo("ON");
        assertThat(primary.getPrimaryStatus().getPosition()).isEqualTo(position);
        assertThat(primary.hasReplicationStatus()).isFalse();
        assertThat(primary.getSemiSyncPrimaryEnabled()).isTrue();
        assertThat(primary.getSemiSyncPrimaryStatus()).isTrue();
        assertThat(primary.getSemiSyncPrimaryClients()).isEqualTo(1);
        assertThat(primary.getSemiSyncPrimaryTimeout()).isEqualTo(SemiSyncVariables.NO_FALLBACK_TIMEOUT_MS);
        assertThat(primary.getSemiSyncWaitForReplicaCount()).isEqualTo(1);
        assertThat(primary.getSemiSyncBlocked()).isFalse();
        assertThat(primary.getTabletType()).isEqualTo(TabletType.PRIMARY);

        FullStatus acking = fullStatus(101);
        assertThat(acking.getReadOnly()).isTrue();
        assertThat(acking.getSemiSyncPrimaryEnabled()).isFalse();
        assertThat(acking.getSemiSyncReplicaEnabled()).isTrue();
        assertThat(acking.getSemiSyncReplicaStatus()).isTrue();
        assertThat(acking.getReplicationStatus().getPosition()).isEqualTo(position);
        assertThat(acking.getTabletType()).isEqualTo(TabletType.REPLICA);

        FullStatus rdonly = fullStatus(102);
        assertThat(rdonly.getReadOnly()).isTrue();
        assertThat(rdonly.getSemiSyncReplicaEnabled()).isFalse();
        assertThat(rdonly.getSemiSyncReplicaStatus()).isFalse();
        assertThat(rdonly.getTabletType()).isEqualTo(TabletType.RDONLY);
    }

    @Test
    void aSemiSyncPrimaryBlocksCommitsWhileNoReplicaAcknowledgesAndNeverFallsBackToAsync() throws Exception {
        shard.initShard(100);
        tm(100).executeFetchAsApp(app("CREATE TABLE orders (id INT PRIMARY KEY)"));

        // The emergency-reparent way of stopping a replica: IO thread only, the applier finishes the relay log.
        StopReplicationStatus stopped = tm(101).stopReplicationAndGetStatus(StopReplicationAndGetStatusRequest
                .newBuilder().setStopReplicationMode(StopReplicationMode.IOTHREADONLY).build()).getStatus();
        assertThat(stopped.getBefore().getIoState()).isEqualTo(3);
        assertThat(stopped.getAfter().getIoState()).isEqualTo(1);
        assertThat(stopped.getAfter().getSqlState()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(20)).until(() -> fullStatus(100).getSemiSyncPrimaryClients() == 0);

        CompletableFuture<Long> insert = CompletableFuture.supplyAsync(() -> {
            try {
                return tm(100).executeFetchAsApp(app("INSERT INTO orders VALUES (1)")).getResult().getRowsAffected();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Bounded wait, not a timing assertion: whatever the machine's speed, the commit must still be waiting.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> !insert.isDone());
        FullStatus blocked = fullStatus(100);
        assertThat(blocked.getSemiSyncPrimaryStatus()).as("semi-sync still in effect, no fallback").isTrue();
        assertThat(blocked.getSemiSyncBlocked()).isTrue();
        assertThat(shard.dbaQuery(100, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_no_times'"))
                .as("times the primary fell back to asynchronous replication").containsExactly(
                        List.of("Rpl_semi_sync_master_no_times", "0"));

        // Demotion cannot finish while a commit waits: it gives up at the caller's deadline and leaves the
        // primary as it was, instead of hanging or half-demoting it.
        assertThatThrownBy(() -> withDeadline(Duration.ofSeconds(3),
                () -> tm(100).demotePrimary(DemotePrimaryRequest.getDefaultInstance())))
                .isInstanceOfSatisfying(TabletManagerException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
        assertThat(fullStatus(100).getReadOnly()).isFalse();
        assertThat(shard.member(100).lastState().acceptsWrites()).isTrue();
        assertThat(insert).isNotDone();

        tm(101).startReplication(StartReplicationRequest.newBuilder().setSemiSync(true).build());
        assertThat(insert.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        String position = position(100);
        waitFor(101, position);
        assertThat(rows(tm(101).executeFetchAsDba(dba("SELECT id FROM orders")).getResult()))
                .containsExactly(List.of("1"));
        assertThat(fullStatus(100).getSemiSyncPrimaryClients()).isEqualTo(1);
    }

    @Test
    void executeFetchAsDbaCanKeepAStatementOutOfTheBinaryLog() throws Exception {
        shard.initShard(100);
        String before = position(100);
        ExecuteFetchAsDbaRequest unlogged = dba("CREATE TABLE local_only (id INT PRIMARY KEY)").toBuilder()
                .setDisableBinlogs(true).build();
        tm(100).executeFetchAsDba(unlogged);
        assertThat(position(100)).isEqualTo(before);
        assertThat(rows(tm(100).executeFetchAsDba(dba("SHOW TABLES LIKE 'local_only'")).getResult())).hasSize(1);

        tm(100).executeFetchAsDba(dba("CREATE TABLE logged (id INT PRIMARY KEY)"));
        waitFor(101, position(100));
        assertThat(rows(tm(101).executeFetchAsDba(dba("SHOW TABLES")).getResult()))
                .containsExactly(List.of("logged"));

        var insert = tm(100).executeFetchAsDba(dba("INSERT INTO logged VALUES (1), (2), (3)")).getResult();
        assertThat(insert.getRowsAffected()).isEqualTo(3);
        assertThatThrownBy(() -> tm(100).executeFetchAsDba(dba("SELECT * FROM logged").toBuilder().setMaxRows(2)
                .build())).isInstanceOfSatisfying(TabletManagerException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
        assertThatThrownBy(() -> tm(100).executeFetchAsDba(dba("SELEKT 1")))
                .isInstanceOfSatisfying(TabletManagerException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
                    assertThat(e.mysqlErrno()).isEqualTo(1064);
                    assertThat(e.sqlState()).isEqualTo("42000");
                });
        assertThat(rows(tm(100).executeFetchAsDba(dba("SELECT COUNT(*) FROM reparent_journal").toBuilder()
                .setDbName("_vt").build()).getResult())).containsExactly(List.of("1"));
    }

    @Test
    void typeChangesFollowTheDurabilityRulesAndTabletControlsReachTheListener() throws Exception {
        shard.initShard(100);

        for (ThrowingCall call : List.<ThrowingCall>of(
                () -> tm(102).changeType(ChangeTypeRequest.newBuilder().setTabletType(TabletType.PRIMARY).build()),
                () -> tm(102).promoteReplica(PromoteReplicaRequest.newBuilder().setSemiSync(true).build()),
                () -> tm(102).initPrimary(InitPrimaryRequest.getDefaultInstance()),
                () -> tm(102).replicaWasPromoted(ReplicaWasPromotedRequest.getDefaultInstance()),
                () -> tm(102).startReplication(StartReplicationRequest.newBuilder().setSemiSync(true).build()))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(TabletManagerException.class, e -> {
                assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION);
                assertThat(e.getMessage()).contains("zone1-0000000102", "rdonly");
            });
        }
        assertThat(shard.tablet(102).getType()).isEqualTo(TabletType.RDONLY);
        assertThat(fullStatus(102).getSemiSyncReplicaEnabled()).isFalse();

        // As a REPLICA it may acknowledge; the primary then has two semi-sync replicas.
        tm(102).changeType(ChangeTypeRequest.newBuilder().setTabletType(TabletType.REPLICA).setSemiSync(true).build());
        assertThat(shard.tablet(102).getType()).isEqualTo(TabletType.REPLICA);
        assertThat(shard.member(102).lastState().type()).isEqualTo(TabletType.REPLICA);
        await().atMost(Duration.ofSeconds(20)).until(() -> fullStatus(100).getSemiSyncPrimaryClients() == 2);
        assertThat(fullStatus(102).getSemiSyncReplicaStatus()).isTrue();
        tm(102).changeType(ChangeTypeRequest.newBuilder().setTabletType(TabletType.RDONLY).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> fullStatus(100).getSemiSyncPrimaryClients() == 1);
        assertThat(fullStatus(102).getSemiSyncReplicaEnabled()).isFalse();

        // Tablet controls on the shard reach the query service through RefreshState.
        shard.topo().updateShardFields(ShardFixture.KEYSPACE, ShardFixture.SHARD, s -> s.toBuilder()
                .addTabletControls(Shard.TabletControl.newBuilder().setTabletType(TabletType.RDONLY)
                        .setDisableQueryService(true).addDeniedTables("secret"))
                .build());
        tm(102).refreshState(RefreshStateRequest.getDefaultInstance());
        ServingState controlled = shard.member(102).lastState();
        assertThat(controlled.serving()).isFalse();
        assertThat(controlled.reason()).contains("disabled");
        assertThat(controlled.deniedTables()).containsExactly("secret");
        tm(101).refreshState(RefreshStateRequest.getDefaultInstance());
        assertThat(shard.member(101).lastState().serving()).as("the control is for rdonly tablets only").isTrue();
        shard.topo().updateShardFields(ShardFixture.KEYSPACE, ShardFixture.SHARD, s -> s.toBuilder()
                .clearTabletControls().build());
        tm(102).refreshState(RefreshStateRequest.getDefaultInstance());
        assertThat(shard.member(102).lastState().serving()).isTrue();

        // A SPARE serves nothing; a PRIMARY that changes type is made read-only.
        tm(101).changeType(ChangeTypeRequest.newBuilder().setTabletType(TabletType.SPARE).build());
        assertThat(shard.member(101).lastState().serving()).isFalse();
        tm(101).changeType(ChangeTypeRequest.newBuilder().setTabletType(TabletType.REPLICA).setSemiSync(true).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> fullStatus(100).getSemiSyncPrimaryClients() == 1);

        // An outside promotion is recorded, then undone as a restarted replica would be.
        tm(101).replicaWasPromoted(ReplicaWasPromotedRequest.getDefaultInstance());
        assertThat(shard.tablet(101).getType()).isEqualTo(TabletType.PRIMARY);
        assertThat(shard.topo().getShard(ShardFixture.KEYSPACE, ShardFixture.SHARD).value().getPrimaryAlias())
                .as("the newest term claims the shard").isEqualTo(ShardFixture.alias(101));
        tm(101).replicaWasRestarted(ReplicaWasRestartedRequest.newBuilder().setParent(ShardFixture.alias(100))
                .build());
        assertThat(shard.tablet(101).getType()).isEqualTo(TabletType.REPLICA);
        assertThat(shard.tablet(101).hasPrimaryTermStartTime()).isFalse();
        assertThat(fullStatus(101).getReadOnly()).isTrue();
    }

    @Test
    void replicationCanBeStoppedStartedRepointedAndWaitedFor() throws Exception {
        shard.initShard(100);
        tm(100).executeFetchAsApp(app("CREATE TABLE t (id INT PRIMARY KEY)"));
        String position = position(100);

        tm(101).stopReplication(StopReplicationRequest.getDefaultInstance());
        Status stopped = tm(101).replicationStatus(ReplicationStatusRequest.getDefaultInstance()).getStatus();
        assertThat(stopped.getIoState()).isEqualTo(1);
        assertThat(stopped.getSqlState()).isEqualTo(1);
        StopReplicationStatus again = tm(101).stopReplicationAndGetStatus(
                StopReplicationAndGetStatusRequest.getDefaultInstance()).getStatus();
        assertThat(again.getAfter()).as("nothing left to stop").isEqualTo(again.getBefore());
        tm(101).startReplication(StartReplicationRequest.newBuilder().setSemiSync(true).build());
        waitFor(101, position);
        StopReplicationStatus both = tm(101).stopReplicationAndGetStatus(
                StopReplicationAndGetStatusRequest.getDefaultInstance()).getStatus();
        assertThat(both.getBefore().getSqlState()).isEqualTo(3);
        assertThat(both.getAfter().getIoState()).isEqualTo(1);
        assertThat(both.getAfter().getSqlState()).isEqualTo(1);
        assertThat(both.getAfter().getPosition()).isEqualTo(position);
        tm(101).startReplication(StartReplicationRequest.newBuilder().setSemiSync(true).build());

        String reached = tm(102).stopReplicationMinimum(StopReplicationMinimumRequest.newBuilder()
                .setPosition(position).setWaitTimeout(Duration.ofSeconds(30).toNanos()).build()).getPosition();
        assertThat(reached).isEqualTo(position);
        assertThat(tm(102).replicationStatus(ReplicationStatusRequest.getDefaultInstance()).getStatus()
                .getSqlState()).isEqualTo(1);

        // Forgotten source: not a replica any more, until pointed at the primary again.
        tm(102).resetReplicationParameters(ResetReplicationParametersRequest.getDefaultInstance());
        assertThatThrownBy(() -> tm(102).replicationStatus(ReplicationStatusRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(TabletManagerException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
        tm(100).executeFetchAsApp(app("INSERT INTO t VALUES (1)"));
        String later = position(100);
        tm(102).setReplicationSource(SetReplicationSourceRequest.newBuilder().setParent(ShardFixture.alias(100))
                .setWaitPosition(later).setHeartbeatInterval(0.5).build());
        assertThat(rows(tm(102).executeFetchAsDba(dba("SELECT id FROM t")).getResult())).containsExactly(List.of("1"));

        // A position far ahead is not reached before the caller's deadline.
        assertThatThrownBy(() -> withDeadline(Duration.ofSeconds(2), () -> tm(101).waitForPosition(
                WaitForPositionRequest.newBuilder().setPosition("MariaDB/0-100-999999").build())))
                .isInstanceOfSatisfying(TabletManagerException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
        assertThatThrownBy(() -> waitFor(101, "0-100-1")).isInstanceOfSatisfying(TabletManagerException.class,
                e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> tm(101).setReplicationSource(SetReplicationSourceRequest.newBuilder()
                .setParent(ShardFixture.alias(101)).build())).isInstanceOfSatisfying(TabletManagerException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
        // Starting a replica over would erase what it holds beyond the given position.
        assertThatThrownBy(() -> tm(102).initReplica(InitReplicaRequest.newBuilder()
                .setParent(ShardFixture.alias(100)).setReplicationPosition("").build()))
                .isInstanceOfSatisfying(TabletManagerException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("ResetReplication");
                });

        tm(102).setReadWrite(SetReadWriteRequest.getDefaultInstance());
        assertThat(fullStatus(102).getReadOnly()).isFalse();
        tm(102).setReadOnly(SetReadOnlyRequest.getDefaultInstance());
        assertThat(fullStatus(102).getReadOnly()).isTrue();
    }

    /** Runs {@code call} with a gRPC deadline, as the control daemon bounds each reparent step. */
    private static <T> T withDeadline(Duration timeout, Callable<T> call) throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (Context.CancellableContext context = Context.current().withDeadlineAfter(timeout.toMillis(),
                TimeUnit.MILLISECONDS, timer)) {
            return context.call(call);
        } finally {
            timer.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
