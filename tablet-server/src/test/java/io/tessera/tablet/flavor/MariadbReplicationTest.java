package io.tessera.tablet.flavor;

import io.tessera.replication.GtidPosition;
import io.tessera.replication.MariadbGtidPosition;
import io.tessera.replication.PositionComparison;
import io.tessera.replication.Positions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.tablet.mysqlctl.DbCredentials;
import io.tessera.tablet.mysqlctl.ManagedMysqld;
import io.tessera.tablet.mysqlctl.ManagedMysqldConfig;
import io.tessera.tablet.mysqlctl.ReplicationParams;
import io.tessera.testing.FreePorts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MariaDB flavor's SQL against a real primary and replica: replication set up, waited for, read back and
 * reparented using only the statements and parsers of {@link Flavor}.
 */
class MariadbReplicationTest {
    // A password that only survives CHANGE MASTER TO if it is escaped properly.
    private static final String PASSWORD = "re'pl\\\"pw";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path root;

    private ManagedMysqld first;
    private ManagedMysqld second;
    private Connection primary;
    private Connection replica;
    private Flavor flavor;

    @BeforeEach
    void startServers() throws SQLException {
        first = ManagedMysqld.startNew(config(200));
        second = ManagedMysqld.startNew(config(201));
        primary = first.dba().connect();
        replica = second.dba().connect();
        flavor = Flavor.detect(value(primary, "SELECT @@version"));
    }

    @AfterEach
    void stopServers() throws SQLException {
        for (AutoCloseable resource : new AutoCloseable[] {primary, replica, first, second}) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    throw new SQLException("cannot clean up " + resource, e);
                }
            }
        }
    }

    private ManagedMysqldConfig config(long uid) {
        return ManagedMysqldConfig.builder(uid, root).port(FreePorts.next()).keyspace("commerce")
                .credentials(DbCredentials.withPassword(PASSWORD)).build();
    }

    @Test
    void replicatesWaitsReportsAndReparentsWithTheFlavorsSql() throws SQLException {
        assertThat(flavor).isEqualTo(Flavor.mariadb(flavor.version()));
        assertThat(flavor.parseReplicationStatus(query(replica, flavor.replicationStatusQuery()))).isEmpty();

        // Set up replication: primary writable, replica read-only and pointed at the primary by GTID.
        run(primary, flavor.setReadOnly(false));
        run(replica, flavor.setReadOnly(true));
        run(replica, flavor.stopReplication());
        run(replica, flavor.setReplicationSource(source(first), ResumeFrom.REPLICA_POSITION));
        run(replica, flavor.startReplication());

        run(primary, List.of("CREATE TABLE vt_commerce.t (id INT PRIMARY KEY)", "INSERT INTO vt_commerce.t VALUES (1), (2)"));
        GtidPosition written = flavor.parsePosition(value(primary, flavor.primaryPositionQuery()));
        assertThat(written).isInstanceOf(MariadbGtidPosition.class);
        assertThat(flavor.parseWaitResult(value(replica, flavor.waitForPositionQuery(written, WAIT))))
                .isEqualTo(WaitOutcome.REACHED);
        assertThat(value(replica, "SELECT COUNT(*) FROM vt_commerce.t")).isEqualTo("2");

        ReplicationStatus status = replicationStatus(replica);
        assertThat(status.running()).isTrue();
        assertThat(status.position()).isEqualTo(written);
        assertThat(status.relayLogPosition().contains(written)).isTrue();
        assertThat(status.sourceHost()).isEqualTo(first.replicationParams().host());
        assertThat(status.sourcePort()).isEqualTo(first.replicationParams().port());
        assertThat(status.sourceUser()).isEqualTo("vt_repl");
        assertThat(status.sourceServerId()).isEqualTo(200);
        assertThat(status.usingGtid()).isTrue();
        assertThat(status.lastIoError()).isEqualTo(ReplicationError.NONE);
        assertThat(status.lastSqlError()).isEqualTo(ReplicationError.NONE);
        assertThat(status.filePosition()).isPresent();
        assertThat(ReplicationProtos.toProto(status).getPosition()).isEqualTo(Positions.encode(written));
        assertThat(flavor.parseBinlogStatus(query(primary, flavor.binlogStatusQuery()))).isPresent();

        // A position the primary never wrote is not reached.
        GtidPosition future = MariadbGtidPosition.parse("0-200-1000000");
        assertThat(flavor.parseWaitResult(value(replica, flavor.waitForPositionQuery(future, Duration.ofMillis(200)))))
                .isEqualTo(WaitOutcome.TIMED_OUT);

        // Lossless semi-sync: the replica acknowledges, the primary counts the acknowledged commit.
        run(replica, flavor.setReplicaSemiSync(true, true));
        run(primary, flavor.setPrimarySemiSync(true));
        await().atMost(WAIT).alias("the replica connects as a semi-sync replica")
                .until(() -> statusVariable(primary, "Rpl_semi_sync_master_clients").equals("1"));
        run(primary, List.of("INSERT INTO vt_commerce.t VALUES (3)"));
        assertThat(statusVariable(primary, "Rpl_semi_sync_master_status")).isEqualTo("ON");
        assertThat(statusVariable(primary, "Rpl_semi_sync_master_yes_tx")).isNotEqualTo("0");
        assertThat(statusVariable(primary, "Rpl_semi_sync_master_no_tx")).isEqualTo("0");
        assertThat(variable(primary, "rpl_semi_sync_master_wait_point")).isEqualTo("AFTER_SYNC");

        // Planned reparent to the replica.
        run(primary, flavor.setReadOnly(true));
        run(primary, flavor.setPrimarySemiSync(false));
        GtidPosition last = flavor.parsePosition(value(primary, flavor.primaryPositionQuery()));
        assertThat(flavor.parseWaitResult(value(replica, flavor.waitForPositionQuery(last, WAIT))))
                .isEqualTo(WaitOutcome.REACHED);
        run(replica, flavor.promoteToPrimary());
        run(replica, flavor.setReplicaSemiSync(false, false));
        run(replica, flavor.setReadOnly(false));
        assertThat(flavor.parseReplicationStatus(query(replica, flavor.replicationStatusQuery()))).isEmpty();

        // The old primary never replicated, so its replica position is empty: resuming from it would ask the new
        // primary for every transaction again. The demotion path resumes from what it wrote instead.
        assertThat(value(primary, "SELECT @@GLOBAL.gtid_slave_pos")).isEmpty();
        run(primary, flavor.stopReplication());
        run(primary, flavor.setReplicationSource(source(second), ResumeFrom.EXECUTED_POSITION));
        assertThat(flavor.parsePosition(value(primary, "SELECT @@GLOBAL.gtid_slave_pos"))).isEqualTo(last);
        run(primary, flavor.startReplication());

        run(replica, List.of("INSERT INTO vt_commerce.t VALUES (4)"));
        GtidPosition afterReparent = flavor.parsePosition(value(replica, flavor.primaryPositionQuery()));
        assertThat(afterReparent.compareWith(last)).isEqualTo(PositionComparison.AHEAD);
        assertThat(flavor.parseWaitResult(value(primary, flavor.waitForPositionQuery(afterReparent, WAIT))))
                .isEqualTo(WaitOutcome.REACHED);
        ReplicationStatus demoted = replicationStatus(primary);
        assertThat(demoted.running()).isTrue();
        assertThat(demoted.sourcePort()).isEqualTo(second.replicationParams().port());
        assertThat(demoted.sourceServerId()).isEqualTo(201);
        assertThat(demoted.position()).isEqualTo(afterReparent);
        assertThat(demoted.lastIoError()).isEqualTo(ReplicationError.NONE);
        assertThat(value(primary, "SELECT COUNT(*) FROM vt_commerce.t")).isEqualTo("4");
        assertThat(value(primary, flavor.readOnlyQuery())).isEqualTo("1");
        assertThat(value(replica, flavor.readOnlyQuery())).isEqualTo("0");

        // The IO thread alone stops and starts; the SQL thread keeps running.
        run(primary, flavor.stopIoThread());
        ReplicationStatus ioStopped = replicationStatus(primary);
        assertThat(ioStopped.ioState()).isEqualTo(ReplicationState.STOPPED);
        assertThat(ioStopped.sqlState()).isEqualTo(ReplicationState.RUNNING);
        run(primary, flavor.startIoThread());

        // A server restored from a backup gets its starting position set explicitly, then catches up from there.
        run(primary, flavor.stopReplication());
        run(primary, flavor.setReplicationPosition(afterReparent));
        run(primary, flavor.startReplication());
        run(replica, List.of("INSERT INTO vt_commerce.t VALUES (5)"));
        GtidPosition latest = flavor.parsePosition(value(replica, flavor.primaryPositionQuery()));
        assertThat(flavor.parseWaitResult(value(primary, flavor.waitForPositionQuery(latest, WAIT))))
                .isEqualTo(WaitOutcome.REACHED);
        assertThat(replicationStatus(primary).lastSqlError()).isEqualTo(ReplicationError.NONE);

        // Resetting erases every trace of replication.
        run(primary, flavor.resetReplication());
        assertThat(flavor.parseReplicationStatus(query(primary, flavor.replicationStatusQuery()))).isEmpty();
        assertThat(flavor.parsePosition(value(primary, flavor.primaryPositionQuery()))).isSameAs(GtidPosition.EMPTY);
    }

    private static ReplicationSource source(ManagedMysqld server) {
        ReplicationParams params = server.replicationParams();
        return new ReplicationSource(params.host(), params.port(), params.user(), params.password(),
                Duration.ofSeconds(1), Duration.ofMillis(500));
    }

    private ReplicationStatus replicationStatus(Connection c) throws SQLException {
        return flavor.parseReplicationStatus(query(c, flavor.replicationStatusQuery())).orElseThrow();
    }

    private static void run(Connection c, List<String> statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static List<Map<String, String>> query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, String>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, String> row = new HashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static String value(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    private static String statusVariable(Connection c, String name) throws SQLException {
        return query(c, "SHOW GLOBAL STATUS LIKE '" + name + "'").getFirst().get("Value");
    }

    private static String variable(Connection c, String name) throws SQLException {
        return query(c, "SHOW GLOBAL VARIABLES LIKE '" + name + "'").getFirst().get("Value");
    }
}
