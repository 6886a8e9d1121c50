package io.tessera.tablet.manager;

import static io.tessera.tablet.manager.Sql.app;
import static io.tessera.tablet.manager.Sql.dba;
import static io.tessera.tablet.manager.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard set up and replicating through the tablet manager RPCs, over gRPC, on three real MariaDB servers:
 * 100 primary, 101 replica acknowledging semi-sync, 102 rdonly that does not.
 */
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
}
