package io.tessera.tablet.flavor;

import io.tessera.replication.BinlogFilePosition;
import io.tessera.replication.GtidPosition;
import io.tessera.replication.MariadbGtidPosition;
import io.tessera.replication.MysqlGtidPosition;

import static io.tessera.tablet.flavor.MysqlStatusFixtures.REPLICA_UUID;
import static io.tessera.tablet.flavor.MysqlStatusFixtures.SOURCE_UUID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MysqlFlavorTest {
    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private final MysqlFlavor mysql57 = new MysqlFlavor(new ServerVersion(5, 7, 44));
    private final MysqlFlavor mysql8021 = new MysqlFlavor(new ServerVersion(8, 0, 21));
    private final MysqlFlavor mysql8022 = new MysqlFlavor(new ServerVersion(8, 0, 22));
    private final MysqlFlavor mysql8025 = new MysqlFlavor(new ServerVersion(8, 0, 25));
    private final MysqlFlavor mysql8036 = new MysqlFlavor(new ServerVersion(8, 0, 36));
    private final MysqlFlavor mysql84 = new MysqlFlavor(new ServerVersion(8, 4, 3));
    private final ReplicationSource source = new ReplicationSource("db-101", 17101, "vt_repl", "pw",
            Duration.ofSeconds(10), Duration.ofMillis(1500));

    @Test
    void readsPositionsAndIdentity() {
        assertThat(mysql8036.primaryPositionQuery()).isEqualTo("SELECT @@GLOBAL.gtid_executed");
        assertThat(mysql8036.serverUuidQuery()).contains("SELECT @@GLOBAL.server_uuid");
        assertThat(mysql8036.parsePosition(UUID + ":1-5,\n" + SOURCE_UUID + ":1"))
                .isEqualTo(MysqlGtidPosition.parse(UUID + ":1-5," + SOURCE_UUID + ":1"));
        assertThat(mysql8036.name()).isEqualTo("MySQL");
    }

    @Test
    void readsTheBinlogFilePositionUnderEachName() {
        assertThat(mysql57.binlogStatusQuery()).isEqualTo("SHOW MASTER STATUS");
        assertThat(mysql8036.binlogStatusQuery()).isEqualTo("SHOW MASTER STATUS");
        assertThat(mysql84.binlogStatusQuery()).isEqualTo("SHOW BINARY LOG STATUS");
        assertThat(mysql84.parseBinlogStatus(List.of(Map.of("File", "binlog.000003", "Position", "157",
                "Binlog_Do_DB", "", "Binlog_Ignore_DB", "", "Executed_Gtid_Set", UUID + ":1-5"))))
                .contains(new BinlogFilePosition("binlog.000003", 157));
    }

    @Test
    void usesSlaveTermsBefore8022AndReplicaTermsAfter() {
        for (MysqlFlavor old : List.of(mysql57, mysql8021)) {
            assertThat(old.startReplication()).containsExactly("START SLAVE");
            assertThat(old.stopReplication()).containsExactly("STOP SLAVE");
            assertThat(old.startIoThread()).containsExactly("START SLAVE IO_THREAD");
            assertThat(old.stopIoThread()).containsExactly("STOP SLAVE IO_THREAD");
            assertThat(old.resetReplicationParameters()).containsExactly("STOP SLAVE", "RESET SLAVE ALL");
            assertThat(old.replicationStatusQuery()).isEqualTo("SHOW SLAVE STATUS");
        }
        for (MysqlFlavor current : List.of(mysql8022, mysql8036, mysql84)) {
            assertThat(current.startReplication()).containsExactly("START REPLICA");
            assertThat(current.stopReplication()).containsExactly("STOP REPLICA");
            assertThat(current.startIoThread()).containsExactly("START REPLICA IO_THREAD");
            assertThat(current.stopIoThread()).containsExactly("STOP REPLICA IO_THREAD");
            assertThat(current.resetReplicationParameters()).containsExactly("STOP REPLICA", "RESET REPLICA ALL");
            assertThat(current.replicationStatusQuery()).isEqualTo("SHOW REPLICA STATUS");
        }
    }

    @Test
    void promotesAndResets() {
        assertThat(mysql8036.promoteToPrimary()).containsExactly("STOP REPLICA", "RESET REPLICA ALL", "FLUSH BINARY LOGS");
        assertThat(mysql57.resetReplication()).containsExactly("STOP SLAVE", "RESET SLAVE ALL", "RESET MASTER");
        assertThat(mysql8036.resetReplication()).containsExactly("STOP REPLICA", "RESET REPLICA ALL", "RESET MASTER");
        assertThat(mysql84.resetReplication())
                .containsExactly("STOP REPLICA", "RESET REPLICA ALL", "RESET BINARY LOGS AND GTIDS");
    }

    @Test
    void setsTheReplicationPositionThroughGtidPurged() {
        GtidPosition position = MysqlGtidPosition.parse(UUID + ":1-176");
        assertThat(mysql8036.setReplicationPosition(position))
                .containsExactly("RESET MASTER", "SET GLOBAL gtid_purged = '" + UUID + ":1-176'");
        assertThat(mysql84.setReplicationPosition(position))
                .containsExactly("RESET BINARY LOGS AND GTIDS", "SET GLOBAL gtid_purged = '" + UUID + ":1-176'");
        assertThat(mysql8036.setReplicationPosition(GtidPosition.EMPTY)).containsExactly("RESET MASTER");
    }

    @Test
    void pointsAt57SourcesWithChangeMaster() {
        assertThat(mysql57.setReplicationSource(source, ResumeFrom.REPLICA_POSITION)).containsExactly(
                "CHANGE MASTER TO MASTER_HOST = 'db-101', MASTER_PORT = 17101, MASTER_USER = 'vt_repl', "
                        + "MASTER_PASSWORD = 'pw', MASTER_CONNECT_RETRY = 10, MASTER_HEARTBEAT_PERIOD = 1.5, "
                        + "MASTER_AUTO_POSITION = 1");
    }

    @Test
    void asksEarly80SourcesForTheirPublicKey() {
        assertThat(mysql8022.setReplicationSource(source, ResumeFrom.REPLICA_POSITION)).containsExactly(
                "CHANGE MASTER TO MASTER_HOST = 'db-101', MASTER_PORT = 17101, MASTER_USER = 'vt_repl', "
                        + "MASTER_PASSWORD = 'pw', MASTER_CONNECT_RETRY = 10, MASTER_HEARTBEAT_PERIOD = 1.5, "
                        + "MASTER_AUTO_POSITION = 1, GET_MASTER_PUBLIC_KEY = 1");
    }

    @Test
    void usesChangeReplicationSourceFrom8023() {
        String expected = "CHANGE REPLICATION SOURCE TO SOURCE_HOST = 'db-101', SOURCE_PORT = 17101, "
                + "SOURCE_USER = 'vt_repl', SOURCE_PASSWORD = 'pw', SOURCE_CONNECT_RETRY = 10, "
                + "SOURCE_HEARTBEAT_PERIOD = 1.5, SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1";
        assertThat(mysql8025.setReplicationSource(source, ResumeFrom.REPLICA_POSITION)).containsExactly(expected);
        assertThat(mysql84.setReplicationSource(source, ResumeFrom.REPLICA_POSITION)).containsExactly(expected);
    }

    @Test
    void aDemotedPrimaryNeedsNothingExtraBecauseAutoPositionSendsGtidExecuted() {
        assertThat(mysql8036.setReplicationSource(source, ResumeFrom.EXECUTED_POSITION))
                .isEqualTo(mysql8036.setReplicationSource(source, ResumeFrom.REPLICA_POSITION));
    }

    @Test
    void omitsTheHeartbeatToKeepTheServerDefault() {
        ReplicationSource plain = ReplicationSource.of("db-101", 17101, "vt_repl", "p'w", Duration.ofSeconds(1));
        assertThat(mysql8036.setReplicationSource(plain, ResumeFrom.REPLICA_POSITION)).containsExactly(
                "CHANGE REPLICATION SOURCE TO SOURCE_HOST = 'db-101', SOURCE_PORT = 17101, "
                        + "SOURCE_USER = 'vt_repl', SOURCE_PASSWORD = 'p''w', SOURCE_CONNECT_RETRY = 1, "
                        + "SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1");
    }

    @Test
    void waitsInWholeSeconds() {
        GtidPosition position = MysqlGtidPosition.parse(UUID + ":1-42");
        assertThat(mysql8036.waitForPositionQuery(position, Duration.ofSeconds(30)))
                .isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET('" + UUID + ":1-42', 30)");
        assertThat(mysql57.waitForPositionQuery(position, Duration.ofMillis(1200)))
                .isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET('" + UUID + ":1-42', 2)");
        assertThat(mysql57.waitForPositionQuery(position, Duration.ofMillis(1)))
                .isEqualTo("SELECT WAIT_FOR_EXECUTED_GTID_SET('" + UUID + ":1-42', 1)");
        assertThatThrownBy(() -> mysql8036.waitForPositionQuery(position, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(mysql8036.parseWaitResult("0")).isEqualTo(WaitOutcome.REACHED);
        assertThat(mysql8036.parseWaitResult("1")).isEqualTo(WaitOutcome.TIMED_OUT);
        assertThatThrownBy(() -> mysql8036.parseWaitResult("-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WAIT_FOR_EXECUTED_GTID_SET");
    }

    @Test
    void refusesMariadbPositions() {
        GtidPosition mariadb = MariadbGtidPosition.parse("0-100-1");
        assertThatThrownBy(() -> mysql8036.setReplicationPosition(mariadb))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MySQL flavor");
        assertThatThrownBy(() -> mysql8036.waitForPositionQuery(mariadb, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MySQL flavor");
    }

    @Test
    void semiSyncUsesMasterSlaveNamesBefore8026() {
        assertThat(mysql8025.semiSyncPlugins()).containsExactly(
                new SemiSyncPlugin("rpl_semi_sync_master", "semisync_master.so"),
                new SemiSyncPlugin("rpl_semi_sync_slave", "semisync_slave.so"));
        assertThat(mysql57.setPrimarySemiSync(true)).containsExactly(
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC",
                "SET GLOBAL rpl_semi_sync_master_wait_no_slave = ON",
                "SET GLOBAL rpl_semi_sync_master_timeout = 4294967295",
                "SET GLOBAL rpl_semi_sync_master_enabled = ON");
        assertThat(mysql8021.setReplicaSemiSync(true, true)).containsExactly(
                "SET GLOBAL rpl_semi_sync_slave_enabled = ON", "STOP SLAVE IO_THREAD", "START SLAVE IO_THREAD");
        assertThat(mysql8025.setReplicaSemiSync(false, true)).containsExactly(
                "SET GLOBAL rpl_semi_sync_slave_enabled = OFF", "STOP REPLICA IO_THREAD", "START REPLICA IO_THREAD");
        assertThat(mysql8025.semiSyncVariables()).isEqualTo(SemiSyncVariables.MASTER_SLAVE);
    }

    @Test
    void semiSyncUsesSourceReplicaNamesFrom8026() {
        MysqlFlavor mysql8026 = new MysqlFlavor(new ServerVersion(8, 0, 26));
        assertThat(mysql8026.semiSyncPlugins()).containsExactly(
                new SemiSyncPlugin("rpl_semi_sync_source", "semisync_source.so"),
                new SemiSyncPlugin("rpl_semi_sync_replica", "semisync_replica.so"));
        assertThat(mysql8026.semiSyncPlugins().getFirst().installStatement())
                .isEqualTo("INSTALL PLUGIN rpl_semi_sync_source SONAME 'semisync_source.so'");
        assertThat(mysql8026.semiSyncPlugins().getFirst().statusQuery()).isEqualTo(
                "SELECT PLUGIN_STATUS FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'rpl_semi_sync_source'");
        assertThat(mysql84.setPrimarySemiSync(true)).containsExactly(
                "SET GLOBAL rpl_semi_sync_source_wait_point = AFTER_SYNC",
                "SET GLOBAL rpl_semi_sync_source_wait_no_replica = ON",
                "SET GLOBAL rpl_semi_sync_source_timeout = 4294967295",
                "SET GLOBAL rpl_semi_sync_source_enabled = ON");
        assertThat(mysql84.setPrimarySemiSync(false)).containsExactly("SET GLOBAL rpl_semi_sync_source_enabled = OFF");
        assertThat(mysql84.setReplicaSemiSync(true, false)).containsExactly("SET GLOBAL rpl_semi_sync_replica_enabled = ON");
        assertThat(mysql84.semiSyncVariables()).isEqualTo(SemiSyncVariables.SOURCE_REPLICA);
    }

    @Test
    void readOnlyUsesSuperReadOnly() {
        assertThat(mysql57.setReadOnly(true)).containsExactly("SET GLOBAL super_read_only = ON");
        assertThat(mysql8036.setReadOnly(false))
                .containsExactly("SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF");
    }

    @Test
    void parsesAn80ReplicaStatus() {
        ReplicationStatus status = mysql8036.parseReplicationStatus(
                VerticalResult.parse(MysqlStatusFixtures.MYSQL80_APPLYING)).orElseThrow();
        assertThat(status.position())
                .isEqualTo(MysqlGtidPosition.parse(REPLICA_UUID + ":1-3," + SOURCE_UUID + ":1-115"));
        assertThat(status.relayLogPosition())
                .isEqualTo(MysqlGtidPosition.parse(REPLICA_UUID + ":1-3," + SOURCE_UUID + ":1-120"));
        assertThat(status.filePosition()).contains(new BinlogFilePosition("binlog.000007", 91544));
        assertThat(status.relayLogSourceBinlogEquivalentPosition()).contains(new BinlogFilePosition("binlog.000007", 98123));
        assertThat(status.relayLogFilePosition()).contains(new BinlogFilePosition("relay.000004", 45012));
        assertThat(status.sourceHost()).isEqualTo("db-101.example.internal");
        assertThat(status.sourcePort()).isEqualTo(17101);
        assertThat(status.sourceUser()).isEqualTo("vt_repl");
        assertThat(status.connectRetrySeconds()).isEqualTo(10);
        assertThat(status.sourceServerId()).isEqualTo(101);
        assertThat(status.sourceUuid()).isEqualTo(SOURCE_UUID);
        assertThat(status.ioState()).isEqualTo(ReplicationState.RUNNING);
        assertThat(status.sqlState()).isEqualTo(ReplicationState.RUNNING);
        assertThat(status.lastIoError()).isEqualTo(ReplicationError.NONE);
        assertThat(status.lastSqlError()).isEqualTo(ReplicationError.NONE);
        assertThat(status.secondsBehindSource()).isEqualTo(OptionalLong.of(3));
        assertThat(status.autoPosition()).isTrue();
        assertThat(status.usingGtid()).isTrue();
        assertThat(status.sslAllowed()).isTrue();
        assertThat(status.hasReplicationFilters()).isFalse();
        assertThat(status.running()).isTrue();
    }

    @Test
    void parsesA57ReplicaStatusWithTheOldColumnNames() {
        ReplicationStatus status = mysql57.parseReplicationStatus(
                VerticalResult.parse(MysqlStatusFixtures.MYSQL57_IO_ERROR)).orElseThrow();
        assertThat(status.position()).isEqualTo(MysqlGtidPosition.parse(SOURCE_UUID + ":1-57"));
        assertThat(status.relayLogPosition()).isEqualTo(status.position());
        assertThat(status.sourceHost()).isEqualTo("10.0.0.12");
        assertThat(status.sourcePort()).isEqualTo(3306);
        assertThat(status.sourceServerId()).isEqualTo(12);
        assertThat(status.sourceUuid()).isEqualTo(SOURCE_UUID);
        assertThat(status.ioState()).isEqualTo(ReplicationState.STOPPED);
        assertThat(status.sqlState()).isEqualTo(ReplicationState.RUNNING);
        assertThat(status.lastIoError().errno()).isEqualTo(1236);
        assertThat(status.lastIoError().message()).contains("has purged binary logs containing GTIDs");
        assertThat(status.secondsBehindSource()).isEmpty();
        assertThat(status.sqlDelaySeconds()).isEqualTo(3600);
        assertThat(status.hasReplicationFilters()).as("Replicate_Do_DB: app").isTrue();
        assertThat(status.sslAllowed()).isFalse();
        assertThat(status.ioHealthy()).isFalse();
    }

    @Test
    void parsesTheOldColumnNamesOnNewReleasesToo() {
        // SHOW SLAVE STATUS keeps the old names on 8.0.22 and later, so either result parses.
        ReplicationStatus status = mysql8036.parseReplicationStatus(
                VerticalResult.parse(MysqlStatusFixtures.MYSQL57_IO_ERROR)).orElseThrow();
        assertThat(status.sourceHost()).isEqualTo("10.0.0.12");
    }

    @Test
    void picksTheDefaultChannel() {
        Map<String, String> named = new HashMap<>(VerticalResult.row(MysqlStatusFixtures.MYSQL57_IO_ERROR));
        named.put("Channel_Name", "group_replication_applier");
        Map<String, String> unnamed = VerticalResult.row(MysqlStatusFixtures.MYSQL80_APPLYING);
        assertThat(mysql8036.parseReplicationStatus(List.of(named, unnamed)).orElseThrow().sourceServerId())
                .isEqualTo(101);
        assertThat(mysql8036.parseReplicationStatus(List.of())).isEmpty();
    }

    @Test
    void autoPositionOffMeansNoGtidReplication() {
        Map<String, String> row = new HashMap<>(VerticalResult.row(MysqlStatusFixtures.MYSQL80_APPLYING));
        row.put("Auto_Position", "0");
        ReplicationStatus status = mysql8036.parseReplicationStatus(List.of(row)).orElseThrow();
        assertThat(status.autoPosition()).isFalse();
        assertThat(status.usingGtid()).isFalse();
    }

    @Test
    void refusesAStatusWithoutTheExecutedSet() {
        Map<String, String> row = new HashMap<>(VerticalResult.row(MysqlStatusFixtures.MYSQL80_APPLYING));
        row.remove("Executed_Gtid_Set");
        assertThatThrownBy(() -> mysql8036.parseReplicationStatus(List.of(row)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Executed_Gtid_Set");
    }

    @Test
    void needsMysql578OrLater() {
        assertThatThrownBy(() -> new MysqlFlavor(new ServerVersion(5, 7, 7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5.7.8");
        assertThatThrownBy(() -> new MysqlFlavor(new ServerVersion(5, 6, 51)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
