package io.tessera.tablet.flavor;

import io.tessera.replication.BinlogFilePosition;
import io.tessera.replication.GtidPosition;
import io.tessera.replication.MariadbGtidPosition;
import io.tessera.replication.Positions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.replicationdata.Status;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicationProtosTest {
    private final MariadbFlavor mariadb = new MariadbFlavor(new ServerVersion(10, 11, 19));
    private final MysqlFlavor mysql = new MysqlFlavor(new ServerVersion(8, 0, 36));

    @Test
    void convertsAMariadbStatus() {
        ReplicationStatus status = mariadb.parseReplicationStatus(
                VerticalResult.parse(MariadbStatusFixtures.SQL_THREAD_STOPPED_ON_ERROR)).orElseThrow();
        Status proto = ReplicationProtos.toProto(status);
        assertThat(proto.getPosition()).isEqualTo("MariaDB/0-100-9");
        assertThat(proto.getRelayLogPosition()).isEqualTo("MariaDB/0-100-10");
        assertThat(proto.getFilePosition()).isEqualTo("FilePos/binlog.000001:1919");
        assertThat(proto.getRelayLogSourceBinlogEquivalentPosition()).isEqualTo("FilePos/binlog.000001:2122");
        assertThat(proto.getRelayLogFilePosition()).isEqualTo("FilePos/relay.000002:2215");
        assertThat(proto.getSourceHost()).isEqualTo("127.0.0.1");
        assertThat(proto.getSourcePort()).isEqualTo(27100);
        assertThat(proto.getSourceUser()).isEqualTo("repl");
        assertThat(proto.getConnectRetry()).isEqualTo(1);
        assertThat(proto.getSourceServerId()).isEqualTo(100);
        assertThat(proto.getSourceUuid()).isEmpty();
        assertThat(proto.getIoState()).isEqualTo(3);
        assertThat(proto.getSqlState()).isEqualTo(1);
        assertThat(proto.getLastIoError()).isEmpty();
        assertThat(proto.getLastSqlError()).startsWith("Could not execute Write_rows_v1 event on table t.a");
        assertThat(proto.getReplicationLagUnknown()).isTrue();
        assertThat(proto.getReplicationLagSeconds()).isZero();
        assertThat(proto.getAutoPosition()).isTrue();
        assertThat(proto.getUsingGtid()).isTrue();
        assertThat(proto.getHasReplicationFilters()).isFalse();
        assertThat(proto.getSslAllowed()).isFalse();
        assertThat(Positions.decode(proto.getRelayLogPosition())).isEqualTo(status.relayLogPosition());
    }

    @Test
    void convertsAMysqlStatus() {
        ReplicationStatus status = mysql.parseReplicationStatus(
                VerticalResult.parse(MysqlStatusFixtures.MYSQL80_APPLYING)).orElseThrow();
        Status proto = ReplicationProtos.toProto(status);
        assertThat(proto.getPosition()).isEqualTo("MySQL56/" + MysqlStatusFixtures.REPLICA_UUID + ":1-3,"
                + MysqlStatusFixtures.SOURCE_UUID + ":1-115");
        assertThat(proto.getSourceUuid()).isEqualTo(MysqlStatusFixtures.SOURCE_UUID);
        assertThat(proto.getReplicationLagSeconds()).isEqualTo(3);
        assertThat(proto.getReplicationLagUnknown()).isFalse();
        assertThat(proto.getSslAllowed()).isTrue();
        assertThat(proto.getIoState()).isEqualTo(ReplicationState.RUNNING.protoValue());
    }

    @Test
    void unknownFilePositionsAreEmpty() {
        ReplicationStatus status = mariadb.parseReplicationStatus(
                VerticalResult.parse(MariadbStatusFixtures.CONNECTING_ACCESS_DENIED)).orElseThrow();
        Status proto = ReplicationProtos.toProto(status);
        assertThat(proto.getPosition()).isEmpty();
        assertThat(proto.getFilePosition()).isEmpty();
        assertThat(proto.getIoState()).isEqualTo(2);
        assertThat(proto.getLastIoError()).contains("Access denied");
    }

    @Test
    void convertsAPrimaryStatus() {
        PrimaryStatus mariadbPrimary = new PrimaryStatus(MariadbGtidPosition.parse("0-100-42"),
                Optional.of(new BinlogFilePosition("binlog.000003", 2044)), "");
        io.tessera.proto.replicationdata.PrimaryStatus proto = ReplicationProtos.toProto(mariadbPrimary);
        assertThat(proto.getPosition()).isEqualTo("MariaDB/0-100-42");
        assertThat(proto.getFilePosition()).isEqualTo("FilePos/binlog.000003:2044");
        assertThat(proto.getServerUuid()).isEmpty();

        PrimaryStatus fresh = new PrimaryStatus(GtidPosition.EMPTY, Optional.empty(),
                MysqlStatusFixtures.SOURCE_UUID);
        assertThat(ReplicationProtos.toProto(fresh)).isEqualTo(io.tessera.proto.replicationdata.PrimaryStatus
                .newBuilder().setServerUuid(MysqlStatusFixtures.SOURCE_UUID).build());
    }

    @Test
    void replicationStatesMatchTheProtoNumbers() {
        assertThat(ReplicationState.UNKNOWN.protoValue()).isZero();
        assertThat(ReplicationState.STOPPED.protoValue()).isEqualTo(1);
        assertThat(ReplicationState.CONNECTING.protoValue()).isEqualTo(2);
        assertThat(ReplicationState.RUNNING.protoValue()).isEqualTo(3);
        assertThat(ReplicationState.fromColumn("Preparing")).isEqualTo(ReplicationState.CONNECTING);
        assertThat(ReplicationState.fromColumn(null)).isEqualTo(ReplicationState.UNKNOWN);
        assertThat(ReplicationState.fromColumn("Maybe")).isEqualTo(ReplicationState.UNKNOWN);
    }
}
