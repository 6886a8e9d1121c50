package io.tessera.tablet.manager;

import io.tessera.replication.GtidPosition;
import io.tessera.replication.MariadbGtidPosition;
import io.tessera.replication.Positions;

import static io.tessera.tablet.manager.Sql.app;
import static io.tessera.tablet.manager.Sql.dba;
import static io.tessera.tablet.manager.Sql.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.proto.replicationdata.Status;
import io.tessera.proto.tabletmanagerdata.DemotePrimaryRequest;
import io.tessera.proto.tabletmanagerdata.PopulateReparentJournalRequest;
import io.tessera.proto.tabletmanagerdata.PrimaryPositionRequest;
import io.tessera.proto.tabletmanagerdata.PromoteReplicaRequest;
import io.tessera.proto.tabletmanagerdata.ReadReparentJournalInfoRequest;
import io.tessera.proto.tabletmanagerdata.ReplicationStatusRequest;
import io.tessera.proto.tabletmanagerdata.SetReplicationSourceRequest;
import io.tessera.proto.tabletmanagerdata.UndoDemotePrimaryRequest;
import io.tessera.proto.tabletmanagerdata.WaitForPositionRequest;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtrpc.Code;
import io.tessera.tabletmanager.TabletManagerClient;
import io.tessera.tabletmanager.TabletManagerException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planned reparents done RPC by RPC, as the control daemon's PlannedReparentShard will do them, on three real
 * MariaDB servers.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PlannedReparentTest {
    @TempDir
    static Path root;

    private static ShardFixture shard;

    private final List<String> written = new ArrayList<>();

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

    /** Inserts rows through the primary's app user and remembers them, so none can go missing unnoticed. */
    private void write(int primary, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String id = Integer.toString(written.size() + 1);
            tm(primary).executeFetchAsApp(app("INSERT INTO product VALUES (" + id + ", 'item " + id + "')"));
            written.add(id);
        }
    }

    private void assertHoldsEveryRow(int uid) throws Exception {
        List<String> ids = rows(tm(uid).executeFetchAsDba(dba("SELECT id FROM product ORDER BY id")).getResult())
                .stream().map(r -> r.getFirst()).toList();
        assertThat(ids).as("rows on tablet %d", uid).containsExactlyElementsOf(written);
    }

    /** MariaDB's own view: what the server applied as a replica, and everything it has in its binary log. */
    private static GtidPosition replicaPosition(int uid) throws Exception {
        return MariadbGtidPosition.parse(shard.dbaValue(uid, "SELECT @@GLOBAL.gtid_slave_pos"));
    }

    private static GtidPosition executedPosition(int uid) throws Exception {
        return MariadbGtidPosition.parse(shard.dbaValue(uid, "SELECT @@GLOBAL.gtid_binlog_pos"));
    }

    /**
     * The planned switch, step by step: demote, let the candidate catch up to the exact final position, promote,
     * point everyone else (the old primary included) at the new primary, write the journal row.
     */
    private void plannedSwitch(int oldPrimary, int newPrimary, int rdonly) throws Exception {
        String finalPosition = tm(oldPrimary).demotePrimary(DemotePrimaryRequest.getDefaultInstance())
                .getPrimaryStatus().getPosition();
        ServingState demoted = shard.member(oldPrimary).lastState();
        assertThat(demoted.type()).isEqualTo(TabletType.PRIMARY);
        assertThat(demoted.serving()).as("a demoted primary stops serving").isFalse();
        assertThatThrownBy(() -> tm(oldPrimary).executeFetchAsApp(app("INSERT INTO product VALUES (0, 'late')")))
                .isInstanceOfSatisfying(TabletManagerException.class, e -> assertThat(e.code())
                        .isEqualTo(Code.READ_ONLY));

        waitFor(newPrimary, finalPosition);
        String newPosition = tm(newPrimary).promoteReplica(PromoteReplicaRequest.newBuilder().setSemiSync(true)
                .build()).getPosition();
        assertThat(Positions.decode(newPosition).contains(Positions.decode(finalPosition))).isTrue();

        // The demoted primary's replica position is stale: it misses what the server wrote as primary. Watch,
        // in the new primary's general log, which position it asks to resume from.
        GtidPosition executed = executedPosition(oldPrimary);
        assertThat(replicaPosition(oldPrimary).contains(executed)).isFalse();
        // (No TRUNCATE of the log: on a semi-sync primary without a replica it would wait for an acknowledgement.)
        String since = shard.dbaValue(newPrimary, "SELECT NOW(6)");
        shard.dbaExecute(newPrimary, "SET GLOBAL log_output = 'TABLE'");
        shard.dbaExecute(newPrimary, "SET GLOBAL general_log = ON");
        tm(oldPrimary).setReplicationSource(SetReplicationSourceRequest.newBuilder()
                .setParent(ShardFixture.alias(newPrimary)).setSemiSync(true).setForceStartReplication(true).build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(connectStates(newPrimary, since))
                .as("positions the demoted primary asked to resume from").isNotEmpty()
                .allMatch(state -> state.equals("SET @slave_connect_state='" + executed + "'")));
        shard.dbaExecute(newPrimary, "SET GLOBAL general_log = OFF");
        tm(rdonly).setReplicationSource(SetReplicationSourceRequest.newBuilder()
                .setParent(ShardFixture.alias(newPrimary)).setSemiSync(false).build());

        long timeCreatedNs = System.currentTimeMillis() * 1_000_000L;
        tm(newPrimary).populateReparentJournal(PopulateReparentJournalRequest.newBuilder()
                .setTimeCreatedNs(timeCreatedNs).setActionName("PlannedReparentShard")
                .setPrimaryAlias(ShardFixture.alias(newPrimary)).setReplicationPosition(newPosition).build());

        assertThat(shard.tablet(newPrimary).getType()).isEqualTo(TabletType.PRIMARY);
        assertThat(shard.tablet(oldPrimary).getType()).isEqualTo(TabletType.REPLICA);
        assertThat(shard.tablet(rdonly).getType()).isEqualTo(TabletType.RDONLY);
        Shard record = shard.topo().getShard(ShardFixture.KEYSPACE, ShardFixture.SHARD).value();
        assertThat(record.getPrimaryAlias()).isEqualTo(ShardFixture.alias(newPrimary));
        assertThat(record.getPrimaryTermStartTime()).isEqualTo(shard.tablet(newPrimary).getPrimaryTermStartTime());
        assertThat(shard.member(newPrimary).lastState().acceptsWrites()).isTrue();
        assertThat(shard.member(oldPrimary).lastState().type()).isEqualTo(TabletType.REPLICA);
        assertThat(shard.member(oldPrimary).lastState().serving()).isTrue();

        // Writes on the new primary reach both others, and the old primary replicates without an error.
        write(newPrimary, 5);
        String position = position(newPrimary);
        for (int uid : new int[] {oldPrimary, rdonly}) {
            waitFor(uid, position);
            Status status = tm(uid).replicationStatus(ReplicationStatusRequest.getDefaultInstance()).getStatus();
            assertThat(status.getSourcePort()).isEqualTo(shard.tablet(newPrimary).getMysqlPort());
            assertThat(status.getLastIoError()).isEmpty();
            assertThat(status.getLastSqlError()).isEmpty();
            assertThat(tm(uid).readReparentJournalInfo(ReadReparentJournalInfoRequest.getDefaultInstance())
                    .getLength()).isEqualTo(journalRows(newPrimary));
        }
        // The old primary now acknowledges for the new one; the rdonly never does.
        assertThat(shard.dbaQuery(newPrimary, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_clients'"))
                .containsExactly(List.of("Rpl_semi_sync_master_clients", "1"));
    }

    private static int journalRows(int uid) throws Exception {
        return tm(uid).readReparentJournalInfo(ReadReparentJournalInfoRequest.getDefaultInstance()).getLength();
    }

    /** What replicas sent the server as their starting GTID position, from its general log. */
    private static List<String> connectStates(int uid, String since) throws Exception {
        return shard.dbaQuery(uid, "SELECT CONVERT(argument USING utf8mb4) FROM mysql.general_log"
                + " WHERE argument LIKE 'SET @slave_connect_state=%' AND event_time >= '" + since + "'")
                .stream().map(r -> r.getFirst()).toList();
    }

    @Test
    void switchingToAReplicaAndBackLosesNoRowAndNeverResumesFromAStalePosition() throws Exception {
        shard.initShard(100);
        tm(100).executeFetchAsApp(app("CREATE TABLE product (id BIGINT PRIMARY KEY, name VARCHAR(64))"));
        write(100, 10);

        plannedSwitch(100, 101, 102);
        write(101, 10);

        plannedSwitch(101, 100, 102);
        write(100, 10);
        String position = position(100);
        for (int uid : new int[] {100, 101, 102}) {
            if (uid != 100) {
                waitFor(uid, position);
            }
            assertHoldsEveryRow(uid);
        }
        assertThat(written).hasSize(40);
        String checksum = shard.dbaQuery(100, "CHECKSUM TABLE " + ShardFixture.DB + ".product").getFirst().get(1);
        assertThat(shard.dbaQuery(101, "CHECKSUM TABLE " + ShardFixture.DB + ".product").getFirst().get(1))
                .isEqualTo(checksum);
        assertThat(shard.dbaQuery(102, "CHECKSUM TABLE " + ShardFixture.DB + ".product").getFirst().get(1))
                .isEqualTo(checksum);
        assertThat(journalRows(100)).isEqualTo(3);
    }

    @Test
    void undoDemotePrimaryRestoresWritesAndIsRefusedOnceTheTabletReplicates() throws Exception {
        shard.initShard(100);
        tm(100).executeFetchAsApp(app("CREATE TABLE product (id BIGINT PRIMARY KEY, name VARCHAR(64))"));
        write(100, 2);
        tm(100).demotePrimary(DemotePrimaryRequest.getDefaultInstance());
        assertThatThrownBy(() -> write(100, 1)).isInstanceOfSatisfying(TabletManagerException.class,
                e -> assertThat(e.code()).isEqualTo(Code.READ_ONLY));

        tm(100).undoDemotePrimary(UndoDemotePrimaryRequest.newBuilder().setSemiSync(true).build());
        assertThat(shard.member(100).lastState().acceptsWrites()).isTrue();
        write(100, 3);
        String position = position(100);
        waitFor(101, position);
        waitFor(102, position);
        assertHoldsEveryRow(101);
        assertHoldsEveryRow(102);

        // A replica is not a demoted primary: making it writable would give the shard two primaries.
        assertThatThrownBy(() -> tm(101).undoDemotePrimary(UndoDemotePrimaryRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(TabletManagerException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION);
                    assertThat(e.getMessage()).contains("two primaries");
                });
    }

    @Test
    void demotePrimaryEndsTheClientSessionsWhoseTableLocksKeepItWritable() throws Exception {
        shard.initShard(100);
        tm(100).executeFetchAsApp(app("CREATE TABLE product (id BIGINT PRIMARY KEY, name VARCHAR(64))"));
        write(100, 2);
        try (Connection holder = shard.member(100).mysqld().app().connect();
                Statement st = holder.createStatement()) {
            st.execute("LOCK TABLES product WRITE");
            // The tablet daemon ends its client sessions when the tablet stops serving; here the holder plays that
            // part, so the lock goes only once the manager has stopped serving.
            CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
                await().atMost(Duration.ofSeconds(60)).until(() -> !shard.member(100).lastState().acceptsWrites());
                try {
                    holder.close();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            String finalPosition = tm(100).demotePrimary(DemotePrimaryRequest.getDefaultInstance())
                    .getPrimaryStatus().getPosition();
            assertThat(ended).isDone();
            assertThat(shard.dbaValue(100, "SELECT @@GLOBAL.read_only")).isEqualTo("1");
            assertThat(finalPosition).isEqualTo(Positions.encode(executedPosition(100)));
            assertThatThrownBy(() -> write(100, 1)).isInstanceOfSatisfying(TabletManagerException.class,
                    e -> assertThat(e.code()).isEqualTo(Code.READ_ONLY));
        }
        tm(100).undoDemotePrimary(UndoDemotePrimaryRequest.newBuilder().setSemiSync(true).build());
        assertThat(shard.member(100).lastState().acceptsWrites()).isTrue();
        write(100, 1);
    }
}
