package io.tessera.tablet.flavor;

import io.tessera.replication.BinlogFilePosition;
import io.tessera.replication.GtidPosition;
import io.tessera.replication.MariadbGtidPosition;
import io.tessera.replication.MysqlGtidPosition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MariadbFlavorTest {
    private final MariadbFlavor flavor = new MariadbFlavor(new ServerVersion(10, 11, 19));
    private final ReplicationSource source = new ReplicationSource("127.0.0.1", 17100, "repl", "s3cret",
            Duration.ofSeconds(1), Duration.ZERO);

    @Test
    void readsPositionsWithoutAggregates() {
        assertThat(flavor.primaryPositionQuery()).isEqualTo("SELECT @@GLOBAL.gtid_binlog_pos");
        assertThat(flavor.readOnlyQuery()).isEqualTo("SELECT @@GLOBAL.read_only");
        assertThat(flavor.parsePosition("0-100-8")).isEqualTo(MariadbGtidPosition.parse("0-100-8"));
        assertThat(flavor.parsePosition("")).isSameAs(GtidPosition.EMPTY);
        assertThat(flavor.serverUuidQuery()).isEmpty();
        assertThat(flavor.name()).isEqualTo("MariaDB");
    }

    @Test
    void readsTheBinlogFilePosition() {
        assertThat(flavor.binlogStatusQuery()).isEqualTo("SHOW MASTER STATUS");
        assertThat(flavor.parseBinlogStatus(List.of(Map.of("File", "binlog.000001", "Position", "1716",
                "Binlog_Do_DB", "", "Binlog_Ignore_DB", ""))))
                .contains(new BinlogFilePosition("binlog.000001", 1716));
        assertThat(flavor.parseBinlogStatus(List.of())).isEmpty();
    }

    @Test
    void controlsReplicationThreads() {
        assertThat(flavor.startReplication()).containsExactly("START SLAVE");
        assertThat(flavor.stopReplication()).containsExactly("STOP SLAVE");
        assertThat(flavor.startIoThread()).containsExactly("START SLAVE IO_THREAD");
        assertThat(flavor.stopIoThread()).containsExactly("STOP SLAVE IO_THREAD");
    }

    @Test
    void resetsAndPromotes() {
        assertThat(flavor.resetReplicationParameters()).containsExactly("STOP SLAVE", "RESET SLAVE ALL");
        assertThat(flavor.promoteToPrimary()).containsExactly("STOP SLAVE", "RESET SLAVE ALL", "FLUSH BINARY LOGS");
        assertThat(flavor.resetReplication()).containsExactly(
                "STOP SLAVE", "RESET SLAVE ALL", "RESET MASTER", "SET GLOBAL gtid_slave_pos = ''");
    }

    @Test
    void setsTheReplicationPositionOnAnEmptyBinlog() {
        assertThat(flavor.setReplicationPosition(MariadbGtidPosition.parse("1-200-3,0-100-176"))).containsExactly(
                "RESET MASTER",
                "SET GLOBAL gtid_binlog_state = '0-100-176,1-200-3'",
                "SET GLOBAL gtid_slave_pos = '0-100-176,1-200-3'");
        assertThat(flavor.setReplicationPosition(GtidPosition.EMPTY)).containsExactly(
                "RESET MASTER", "SET GLOBAL gtid_binlog_state = ''", "SET GLOBAL gtid_slave_pos = ''");
    }

    @Test
    void pointsAReplicaAtItsSourceBySlavePos() {
        assertThat(flavor.setReplicationSource(source, ResumeFrom.REPLICA_POSITION)).containsExactly(
                "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = 17100, MASTER_USER = 'repl', "
                        + "MASTER_PASSWORD = 's3cret', MASTER_CONNECT_RETRY = 1, MASTER_USE_GTID = slave_pos");
    }

    @Test
    void setsTheHeartbeatAndRoundsTheRetryUp() {
        ReplicationSource withHeartbeat = new ReplicationSource("db-1", 3306, "repl", "pw",
                Duration.ofMillis(2500), Duration.ofMillis(1500));
        assertThat(flavor.setReplicationSource(withHeartbeat, ResumeFrom.REPLICA_POSITION)).containsExactly(
                "CHANGE MASTER TO MASTER_HOST = 'db-1', MASTER_PORT = 3306, MASTER_USER = 'repl', "
                        + "MASTER_PASSWORD = 'pw', MASTER_CONNECT_RETRY = 3, MASTER_HEARTBEAT_PERIOD = 1.5, "
                        + "MASTER_USE_GTID = slave_pos");
        ReplicationSource wholeSeconds = new ReplicationSource("db-1", 3306, "repl", "pw",
                Duration.ofSeconds(10), Duration.ofSeconds(2));
        assertThat(flavor.setReplicationSource(wholeSeconds, ResumeFrom.REPLICA_POSITION).getFirst())
                .contains("MASTER_CONNECT_RETRY = 10, MASTER_HEARTBEAT_PERIOD = 2, ");
    }

    @Test
    void escapesCredentialsAndHosts() {
        ReplicationSource tricky = new ReplicationSource("h'); DROP TABLE x; --", 3306, "re'pl",
                "it's a \\secret\\\n", Duration.ofSeconds(1), Duration.ZERO);
        assertThat(flavor.setReplicationSource(tricky, ResumeFrom.REPLICA_POSITION)).containsExactly(
                "CHANGE MASTER TO MASTER_HOST = 'h''); DROP TABLE x; --', MASTER_PORT = 3306, MASTER_USER = 're''pl', "
                        + "MASTER_PASSWORD = 'it''s a \\\\secret\\\\\\n', MASTER_CONNECT_RETRY = 1, "
                        + "MASTER_USE_GTID = slave_pos");
    }

    @Test
    void aDemotedPrimaryMergesItsBinlogPositionIntoItsReplicaPosition() {
        assertThat(flavor.setReplicationSource(source, ResumeFrom.EXECUTED_POSITION)).containsExactly(
                "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = 17100, MASTER_USER = 'repl', "
                        + "MASTER_PASSWORD = 's3cret', MASTER_CONNECT_RETRY = 1, MASTER_USE_GTID = slave_pos, "
                        + "MASTER_DEMOTE_TO_SLAVE = 1");
    }

    @Test
    void beforeMariadb1010ADemotedPrimaryCopiesItsBinlogPositionFirst() {
        MariadbFlavor older = new MariadbFlavor(new ServerVersion(10, 6, 16));
        assertThat(older.setReplicationSource(source, ResumeFrom.EXECUTED_POSITION)).containsExactly(
                "SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos",
                "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = 17100, MASTER_USER = 'repl', "
                        + "MASTER_PASSWORD = 's3cret', MASTER_CONNECT_RETRY = 1, MASTER_USE_GTID = slave_pos");
        assertThat(older.setReplicationSource(source, ResumeFrom.REPLICA_POSITION)).hasSize(1);
    }

    @Test
    void waitsForAPositionWithATimeout() {
        GtidPosition position = MariadbGtidPosition.parse("0-100-42");
        assertThat(flavor.waitForPositionQuery(position, Duration.ofSeconds(10)))
                .isEqualTo("SELECT MASTER_GTID_WAIT('0-100-42', 10)");
        assertThat(flavor.waitForPositionQuery(position, Duration.ofMillis(250)))
                .isEqualTo("SELECT MASTER_GTID_WAIT('0-100-42', 0.25)");
        assertThat(flavor.waitForPositionQuery(GtidPosition.EMPTY, Duration.ofSeconds(1)))
                .isEqualTo("SELECT MASTER_GTID_WAIT('', 1)");
        assertThatThrownBy(() -> flavor.waitForPositionQuery(position, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> flavor.waitForPositionQuery(position, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsWaitResults() {
        assertThat(flavor.parseWaitResult("0")).isEqualTo(WaitOutcome.REACHED);
        assertThat(flavor.parseWaitResult("-1")).isEqualTo(WaitOutcome.TIMED_OUT);
        assertThatThrownBy(() -> flavor.parseWaitResult(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MASTER_GTID_WAIT");
        assertThatThrownBy(() -> flavor.parseWaitResult("1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesMysqlPositions() {
        GtidPosition mysql = MysqlGtidPosition.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
        assertThatThrownBy(() -> flavor.setReplicationPosition(mysql))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MariaDB flavor");
        assertThatThrownBy(() -> flavor.waitForPositionQuery(mysql, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MariaDB flavor");
    }

    @Test
    void semiSyncIsLosslessAndBuiltIn() {
        assertThat(flavor.semiSyncPlugins()).isEmpty();
        assertThat(flavor.setPrimarySemiSync(true)).containsExactly(
                "SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC",
                "SET GLOBAL rpl_semi_sync_master_wait_no_slave = ON",
                "SET GLOBAL rpl_semi_sync_master_timeout = 4294967295",
                "SET GLOBAL rpl_semi_sync_master_enabled = ON");
        assertThat(flavor.setPrimarySemiSync(false)).containsExactly("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
        assertThat(flavor.semiSyncVariables()).isEqualTo(SemiSyncVariables.MASTER_SLAVE);
    }

    @Test
    void replicaSemiSyncRestartsARunningIoThreadOnly() {
        assertThat(flavor.setReplicaSemiSync(true, true)).containsExactly(
                "SET GLOBAL rpl_semi_sync_slave_enabled = ON", "STOP SLAVE IO_THREAD", "START SLAVE IO_THREAD");
        assertThat(flavor.setReplicaSemiSync(true, false)).containsExactly("SET GLOBAL rpl_semi_sync_slave_enabled = ON");
        assertThat(flavor.setReplicaSemiSync(false, true)).containsExactly(
                "SET GLOBAL rpl_semi_sync_slave_enabled = OFF", "STOP SLAVE IO_THREAD", "START SLAVE IO_THREAD");
    }

    @Test
    void setsReadOnly() {
        assertThat(flavor.setReadOnly(true)).containsExactly("SET GLOBAL read_only = ON");
        assertThat(flavor.setReadOnly(false)).containsExactly("SET GLOBAL read_only = OFF");
    }

    @Test
    void readsStatusFromTheAllSlavesForm() {
        assertThat(flavor.replicationStatusQuery()).isEqualTo("SHOW ALL SLAVES STATUS");
    }

    @Test
    void parsesARunningReplica() {
        ReplicationStatus status = flavor.parseReplicationStatus(VerticalResult.parse(MariadbStatusFixtures.RUNNING))
                .orElseThrow();
        assertThat(status.position()).isEqualTo(MariadbGtidPosition.parse("0-100-8"));
        assertThat(status.relayLogPosition()).isEqualTo(MariadbGtidPosition.parse("0-100-8"));
        assertThat(status.filePosition()).contains(new BinlogFilePosition("binlog.000001", 1716));
        assertThat(status.relayLogSourceBinlogEquivalentPosition()).contains(new BinlogFilePosition("binlog.000001", 1716));
        assertThat(status.relayLogFilePosition()).contains(new BinlogFilePosition("relay.000002", 2012));
        assertThat(status.sourceHost()).isEqualTo("127.0.0.1");
        assertThat(status.sourcePort()).isEqualTo(27100);
        assertThat(status.sourceUser()).isEqualTo("repl");
        assertThat(status.connectRetrySeconds()).isEqualTo(1);
        assertThat(status.sourceServerId()).isEqualTo(100);
        assertThat(status.sourceUuid()).isEmpty();
        assertThat(status.ioState()).isEqualTo(ReplicationState.RUNNING);
        assertThat(status.sqlState()).isEqualTo(ReplicationState.RUNNING);
        assertThat(status.lastIoError()).isEqualTo(ReplicationError.NONE);
        assertThat(status.lastSqlError()).isEqualTo(ReplicationError.NONE);
        assertThat(status.secondsBehindSource()).isEqualTo(OptionalLong.of(0));
        assertThat(status.sqlDelaySeconds()).isZero();
        assertThat(status.autoPosition()).isTrue();
        assertThat(status.usingGtid()).isTrue();
        assertThat(status.hasReplicationFilters()).isFalse();
        assertThat(status.sslAllowed()).isFalse();
        assertThat(status.running()).isTrue();
        assertThat(status.ioHealthy()).isTrue();
        assertThat(status.sqlHealthy()).isTrue();
    }

    @Test
    void parsesAReplicaThatCannotConnect() {
        ReplicationStatus status = flavor.parseReplicationStatus(
                VerticalResult.parse(MariadbStatusFixtures.CONNECTING_ACCESS_DENIED)).orElseThrow();
        assertThat(status.position()).isSameAs(GtidPosition.EMPTY);
        assertThat(status.relayLogPosition()).isSameAs(GtidPosition.EMPTY);
        assertThat(status.ioState()).isEqualTo(ReplicationState.CONNECTING);
        assertThat(status.sqlState()).isEqualTo(ReplicationState.RUNNING);
        assertThat(status.lastIoError().errno()).isEqualTo(1045);
        assertThat(status.lastIoError().message()).startsWith("error connecting to master 'repl@127.0.0.1:27100'")
                .endsWith("Access denied for user 'repl'@'127.0.0.1' (using password: YES)");
        assertThat(status.secondsBehindSource()).isEmpty();
        assertThat(status.sourceServerId()).isZero();
        assertThat(status.filePosition()).as("no source file read yet").isEmpty();
        assertThat(status.relayLogFilePosition()).contains(new BinlogFilePosition("relay.000001", 4));
        assertThat(status.ioHealthy()).as("connecting, but it failed already").isFalse();
        assertThat(status.running()).isFalse();
    }

    @Test
    void parsesAReplicaWhoseSqlThreadStopped() {
        ReplicationStatus status = flavor.parseReplicationStatus(
                VerticalResult.parse(MariadbStatusFixtures.SQL_THREAD_STOPPED_ON_ERROR)).orElseThrow();
        assertThat(status.position()).isEqualTo(MariadbGtidPosition.parse("0-100-9"));
        assertThat(status.relayLogPosition()).isEqualTo(MariadbGtidPosition.parse("0-100-10"));
        assertThat(status.sqlState()).isEqualTo(ReplicationState.STOPPED);
        assertThat(status.ioState()).isEqualTo(ReplicationState.RUNNING);
        assertThat(status.lastSqlError().errno()).isEqualTo(1062);
        assertThat(status.lastSqlError().message()).contains("Duplicate entry '200' for key 'PRIMARY'");
        assertThat(status.filePosition()).contains(new BinlogFilePosition("binlog.000001", 1919));
        assertThat(status.relayLogSourceBinlogEquivalentPosition()).contains(new BinlogFilePosition("binlog.000001", 2122));
        assertThat(status.secondsBehindSource()).isEmpty();
        assertThat(status.sqlHealthy()).isFalse();
        assertThat(status.ioHealthy()).isTrue();
    }

    @Test
    void aServerWithoutReplicationHasNoStatus() {
        assertThat(flavor.parseReplicationStatus(List.of())).isEqualTo(Optional.empty());
    }

    @Test
    void picksTheDefaultConnectionAmongNamedOnes() {
        Map<String, String> named = new HashMap<>(VerticalResult.row(MariadbStatusFixtures.SQL_THREAD_STOPPED_ON_ERROR));
        named.put("Connection_name", "analytics");
        Map<String, String> unnamed = VerticalResult.row(MariadbStatusFixtures.RUNNING);
        ReplicationStatus status = flavor.parseReplicationStatus(List.of(named, unnamed)).orElseThrow();
        assertThat(status.position()).isEqualTo(MariadbGtidPosition.parse("0-100-8"));
        assertThat(flavor.parseReplicationStatus(List.of(named))).isEmpty();
    }

    @Test
    void reportsFiltersAndDelay() {
        Map<String, String> row = new HashMap<>(VerticalResult.row(MariadbStatusFixtures.RUNNING));
        row.put("Replicate_Ignore_Domain_Ids", "5");
        row.put("SQL_Delay", "3600");
        row.put("Using_Gtid", "No");
        ReplicationStatus status = flavor.parseReplicationStatus(List.of(row)).orElseThrow();
        assertThat(status.hasReplicationFilters()).isTrue();
        assertThat(status.sqlDelaySeconds()).isEqualTo(3600);
        assertThat(status.usingGtid()).isFalse();
        assertThat(status.autoPosition()).isFalse();
    }

    @Test
    void refusesTheShortStatusFormWithoutTheAppliedPosition() {
        Map<String, String> row = new HashMap<>(VerticalResult.row(MariadbStatusFixtures.RUNNING));
        row.remove("Gtid_Slave_Pos");
        row.remove("Connection_name");
        assertThatThrownBy(() -> flavor.parseReplicationStatus(List.of(row)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Gtid_Slave_Pos")
                .hasMessageContaining("SHOW ALL SLAVES STATUS");
    }

    @Test
    void refusesMalformedColumns() {
        Map<String, String> badPort = new HashMap<>(VerticalResult.row(MariadbStatusFixtures.RUNNING));
        badPort.put("Master_Port", "x");
        assertThatThrownBy(() -> flavor.parseReplicationStatus(List.of(badPort)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column Master_Port");
        Map<String, String> badPosition = new HashMap<>(VerticalResult.row(MariadbStatusFixtures.RUNNING));
        badPosition.put("Gtid_Slave_Pos", "0-100");
        assertThatThrownBy(() -> flavor.parseReplicationStatus(List.of(badPosition)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MariaDB GTID");
    }

    @Test
    void needsMariadb1033OrLater() {
        assertThatThrownBy(() -> new MariadbFlavor(new ServerVersion(10, 3, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.3.3");
    }
}
