package io.tessera.tablet.manager;

import io.tessera.replication.BinlogFilePosition;
import io.tessera.replication.GtidPosition;

import io.tessera.tablet.flavor.Flavor;
import io.tessera.tablet.flavor.PrimaryStatus;
import io.tessera.tablet.flavor.ReplicationSource;
import io.tessera.tablet.flavor.ReplicationStatus;
import io.tessera.tablet.flavor.ResumeFrom;
import io.tessera.tablet.flavor.WaitOutcome;
import io.tessera.tablet.mysqlctl.MysqlDaemon;
import io.tessera.tabletmanager.TabletManagerException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's hands on its MySQL: runs the flavor's statements as the dba user and reads back positions and
 * status. Every method opens its own connection (tablet manager calls are rare, and a fresh connection cannot
 * carry session state from an earlier call) and reports failures as {@link TabletManagerException}s.
 */
final class MysqlAdmin {
    private static final Logger log = LoggerFactory.getLogger(MysqlAdmin.class);

    /** ER_LOCK_WAIT_TIMEOUT. */
    private static final int LOCK_WAIT_TIMEOUT = 1205;

    private final MysqlDaemon mysqld;
    private final Flavor flavor;

    MysqlAdmin(MysqlDaemon mysqld, Flavor flavor) {
        this.mysqld = mysqld;
        this.flavor = flavor;
    }

    /** Work done on one dba connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    MysqlDaemon mysqld() {
        return mysqld;
    }

    Flavor flavor() {
        return flavor;
    }

    /** The flavor of the server behind {@code mysqld}, from its {@code @@version}. */
    static Flavor detectFlavor(MysqlDaemon mysqld) {
        String version;
        try (Connection c = mysqld.dba().connect()) {
            version = queryValue(c, "SELECT @@GLOBAL.version");
        } catch (SQLException e) {
            throw SqlErrors.of("reading the server version of " + mysqld.endpoint().describe(), e);
        }
        try {
            return Flavor.detect(version);
        } catch (IllegalArgumentException e) {
            throw TabletManagerException.failedPrecondition("unsupported server " + version + ": " + e.getMessage());
        }
    }

    /**
     * Runs {@code work} on a new dba connection.
     *
     * @param what what is being done, in words, for the error message
     */
    <T> T withDba(String what, SqlWork<T> work) {
        try (Connection c = mysqld.dba().connect()) {
            return work.run(c);
        } catch (SQLException e) {
            throw SqlErrors.of(what + " on " + mysqld.endpoint().describe(), e);
        } catch (IllegalArgumentException e) {
            // The flavor could not read what the server answered: not the caller's fault.
            throw TabletManagerException.internal(what + " on " + mysqld.endpoint().describe() + ": " + e.getMessage(),
                    e);
        }
    }

    /** Runs {@code statements} in order on one connection. */
    void execute(String what, List<String> statements) {
        withDba(what, c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    log.debug("{}: {}", what, sql);
                    s.execute(sql);
                }
            }
            return null;
        });
    }

    /** Every row of a query, each as a map from column label to value ({@code null} for SQL NULL). */
    static List<Map<String, String>> query(Connection c, String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The first column of the first row, or null when there is no row. */
    static String queryValue(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    // ---- positions and status ------------------------------------------------------------------------------

    /** Everything the server has written to its binary log, which includes what it applied as a replica. */
    GtidPosition executedPosition() {
        return withDba("reading the executed GTID position", this::executedPosition);
    }

    GtidPosition executedPosition(Connection c) throws SQLException {
        String text = queryValue(c, flavor.primaryPositionQuery());
        return flavor.parsePosition(text == null ? "" : text);
    }

    /** The replication status, or empty when no replication source is configured. */
    Optional<ReplicationStatus> replicationStatus() {
        return withDba("reading the replication status",
                c -> flavor.parseReplicationStatus(query(c, flavor.replicationStatusQuery())));
    }

    /**
     * The server's own coordinates as a source.
     *
     * @throws TabletManagerException {@code FAILED_PRECONDITION} when binary logging is off
     */
    PrimaryStatus primaryStatus() {
        return withDba("reading the primary status", c -> {
            GtidPosition position = executedPosition(c);
            Optional<BinlogFilePosition> file = flavor.parseBinlogStatus(query(c, flavor.binlogStatusQuery()));
            if (file.isEmpty()) {
                throw TabletManagerException.failedPrecondition("binary logging is off on "
                        + mysqld.endpoint().describe() + ", so it cannot act as a primary; set log_bin");
            }
            String uuid = flavor.serverUuidQuery().isPresent() ? queryValue(c, flavor.serverUuidQuery().get()) : "";
            return new PrimaryStatus(position, file, uuid == null ? "" : uuid);
        });
    }

    /** Where replication stands, with its errors, for messages about a replica that is not catching up. */
    String describeReplication() {
        Optional<ReplicationStatus> status = replicationStatus();
        if (status.isEmpty()) {
            return "replication is not configured";
        }
        ReplicationStatus s = status.get();
        StringBuilder b = new StringBuilder("replicating from ").append(s.sourceHost()).append(':')
                .append(s.sourcePort()).append(", applied '").append(s.position()).append("', IO thread ")
                .append(s.ioState()).append(", SQL thread ").append(s.sqlState());
        if (s.lastIoError().isPresent()) {
            b.append(", IO error: ").append(s.lastIoError().message());
        }
        if (s.lastSqlError().isPresent()) {
            b.append(", SQL error: ").append(s.lastSqlError().message());
        }
        return b.toString();
    }

    boolean isReadOnly() {
        return withDba("reading read_only", c -> isTrue(queryValue(c, flavor.readOnlyQuery())));
    }

    // ---- changes -------------------------------------------------------------------------------------------

    /** Lets the server take writes again. */
    void setReadWrite() {
        execute("setting the server read-write", flavor.setReadOnly(false));
    }

    /**
     * Stops the server taking writes. Setting {@code read_only} waits for commits in progress to finish, and on a
     * semi-sync primary a commit waits for a replica's acknowledgement, possibly for ever; it also waits for
     * sessions holding table locks ({@code LOCK TABLES}) to release them. The wait is bounded by {@code maxWait}
     * (through {@code lock_wait_timeout}), after which the server is left as it was.
     *
     * @throws TabletManagerException {@code DEADLINE_EXCEEDED} if commits were still in progress, or locks held,
     *     after {@code maxWait}
     */
    void setReadOnly(Duration maxWait) {
        if (!trySetReadOnly(maxWait)) {
            throw new TabletManagerException(io.tessera.proto.vtrpc.Code.DEADLINE_EXCEEDED, "setting "
                    + mysqld.endpoint().describe() + " read-only waited " + wholeSeconds(maxWait)
                    + " s for commits in progress and table locks; commits of a semi-sync primary wait for a "
                    + "replica's acknowledgement, so check that a semi-sync replica is connected (FullStatus "
                    + "semi_sync_primary_clients), and that no client holds LOCK TABLES on mysqld directly. The "
                    + "server still takes writes.", LOCK_WAIT_TIMEOUT, "HY000", null);
        }
    }

    /**
     * As {@link #setReadOnly}, but answers false instead of failing when the wait ran out, the server left as it
     * was.
     */
    boolean trySetReadOnly(Duration maxWait) {
        List<String> statements = new ArrayList<>();
        statements.add("SET SESSION lock_wait_timeout = " + wholeSeconds(maxWait));
        statements.addAll(flavor.setReadOnly(true));
        try {
            execute("setting the server read-only", statements);
            return true;
        } catch (TabletManagerException e) {
            if (e.mysqlErrno() != LOCK_WAIT_TIMEOUT) {
                throw e;
            }
            return false;
        }
    }

    /** Whole seconds, rounded down so the server gives up no later than the caller; at least one. */
    private static long wholeSeconds(Duration wait) {
        return Math.max(1, wait.toSeconds());
    }

    /** Turns waiting for acknowledgements as a primary on or off (on means lossless, never falling back). */
    void setPrimarySemiSync(boolean enabled) {
        execute((enabled ? "enabling" : "disabling") + " semi-sync as a primary", flavor.setPrimarySemiSync(enabled));
    }

    /**
     * Turns acknowledging as a replica on or off. A running IO thread is restarted, because it reads the setting
     * only when it connects; a stopped one picks it up when it starts.
     */
    void setReplicaSemiSync(boolean acknowledge) {
        boolean ioRunning = replicationStatus().map(ReplicationStatus::ioHealthy).orElse(false);
        execute((acknowledge ? "enabling" : "disabling") + " semi-sync acknowledgements as a replica",
                flavor.setReplicaSemiSync(acknowledge, ioRunning));
    }

    /**
     * Stops replication and points the server at {@code source}, always resuming from the server's executed
     * position. On a server that has been a replica all along that is the same as its replica position; on one
     * that took writes as a primary, its replica position is stale (MariaDB's {@code gtid_slave_pos} still names
     * the last transaction it applied as a replica, before everything it wrote itself), and resuming from it
     * would ask the new source for transactions the server already has, or ones the source purged.
     */
    void pointAt(ReplicationSource source) {
        List<String> statements = new ArrayList<>(flavor.stopReplication());
        statements.addAll(flavor.setReplicationSource(source, ResumeFrom.EXECUTED_POSITION));
        execute("pointing replication at " + source.host() + ":" + source.port(), statements);
    }

    void startReplication() {
        execute("starting replication", flavor.startReplication());
    }

    void stopReplication() {
        execute("stopping replication", flavor.stopReplication());
    }

    /**
     * Blocks until the server has applied {@code position} or {@code timeout} passes. Uses MySQL's own wait, which
     * does not need replication to be running.
     */
    WaitOutcome waitForPosition(GtidPosition position, Duration timeout) {
        // MySQL's wait takes whole seconds on some versions; never ask for less than one.
        Duration wait = timeout.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : timeout;
        return withDba("waiting for position " + position,
                c -> flavor.parseWaitResult(queryValue(c, flavor.waitForPositionQuery(position, wait))));
    }

    private static boolean isTrue(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("ON"));
    }
}
