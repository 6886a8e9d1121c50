package io.tessera.tablet.flavor;

import io.tessera.replication.BinlogFilePosition;
import io.tessera.replication.GtidPosition;
import io.tessera.replication.MariadbGtidPosition;
import io.tessera.replication.MysqlGtidPosition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MariaDB 10.3.3 and later: GTIDs as {@code domain-server-sequence} lists, replication by
 * {@code MASTER_USE_GTID = slave_pos}, semi-sync built in.
 *
 * <p>MariaDB keeps two GTID positions: {@code gtid_binlog_pos} (what the server wrote to its binary log) and
 * {@code gtid_slave_pos} (what it applied as a replica). A replica resumes from the latter, which is why a demoted
 * primary must first have its binlog position copied into it; see {@link ResumeFrom}.
 */
final class MariadbFlavor implements Flavor {
    private final ServerVersion version;

    /**
     * Creates the flavor for a MariaDB server of {@code version}.
     *
     * @throws IllegalArgumentException if the version is older than 10.3.3
     */
    MariadbFlavor(ServerVersion version) {
        if (!version.atLeast(10, 3, 3)) {
            throw new IllegalArgumentException("MariaDB " + version
                    + " is not supported: Tessera needs MariaDB 10.3.3 or later, which has semi-sync built in");
        }
        this.version = version;
    }

    @Override
    public String name() {
        return "MariaDB";
    }

    @Override
    public ServerVersion version() {
        return version;
    }

    @Override
    public GtidPosition parsePosition(String gtidSet) {
        return MariadbGtidPosition.parse(gtidSet);
    }

    @Override
    public String primaryPositionQuery() {
        // Read on its own: MariaDB 10.11 returns wrong values for some variables inside aggregate queries.
        return "SELECT @@GLOBAL.gtid_binlog_pos";
    }

    @Override
    public String binlogStatusQuery() {
        return "SHOW MASTER STATUS";
    }

    @Override
    public Optional<BinlogFilePosition> parseBinlogStatus(List<Map<String, String>> rows) {
        return rows.stream().findFirst().map(StatusRow::new)
                .flatMap(row -> row.filePosition(new String[] {"File"}, new String[] {"Position"}));
    }

    @Override
    public Optional<String> serverUuidQuery() {
        return Optional.empty();
    }

    @Override
    public String replicationStatusQuery() {
        // Unlike SHOW SLAVE STATUS, the ALL form has Gtid_Slave_Pos, the applied position.
        return "SHOW ALL SLAVES STATUS";
    }

    @Override
    public Optional<ReplicationStatus> parseReplicationStatus(List<Map<String, String>> rows) {
        return ReplicaStatusColumns.defaultConnection(rows, "Connection_name").map(row -> {
            if (!row.has("Gtid_Slave_Pos")) {
                throw new IllegalArgumentException("the MariaDB replication status has no Gtid_Slave_Pos column; "
                        + "read it with " + replicationStatusQuery());
            }
            GtidPosition applied = MariadbGtidPosition.parse(row.text("Gtid_Slave_Pos"));
            // Gtid_IO_Pos stays empty until the IO thread receives a transaction, so join it with what was applied.
            GtidPosition received = applied.union(MariadbGtidPosition.parse(row.text("Gtid_IO_Pos")));
            String usingGtid = row.text("Using_Gtid").strip();
            boolean byGtid = !usingGtid.isEmpty() && !usingGtid.equalsIgnoreCase("No");
            return ReplicaStatusColumns.parse(row, applied, received, "", byGtid);
        });
    }

    @Override
    public List<String> startReplication() {
        return List.of("START SLAVE");
    }

    @Override
    public List<String> stopReplication() {
        return List.of("STOP SLAVE");
    }

    @Override
    public List<String> startIoThread() {
        return List.of("START SLAVE IO_THREAD");
    }

    @Override
    public List<String> stopIoThread() {
        return List.of("STOP SLAVE IO_THREAD");
    }

    @Override
    public List<String> resetReplicationParameters() {
        return List.of("STOP SLAVE", "RESET SLAVE ALL");
    }

    @Override
    public List<String> promoteToPrimary() {
        return List.of("STOP SLAVE", "RESET SLAVE ALL", "FLUSH BINARY LOGS");
    }

    @Override
    public List<String> resetReplication() {
        // gtid_slave_pos can only be cleared once RESET MASTER has emptied the binlog (error 1948 otherwise).
        return List.of("STOP SLAVE", "RESET SLAVE ALL", "RESET MASTER", "SET GLOBAL gtid_slave_pos = ''");
    }

    @Override
    public List<String> setReplicationPosition(GtidPosition position) {
        String gtids = SqlStrings.quote(mariadbPosition(position).toString());
        return List.of(
                // With gtid_strict_mode, gtid_slave_pos cannot be set behind the binlog (error 1947): empty it.
                "RESET MASTER",
                // Record the position as already in the binlog too, so that if this server is promoted, a replica
                // asking to start exactly there finds it instead of being told it diverged.
                "SET GLOBAL gtid_binlog_state = " + gtids,
                "SET GLOBAL gtid_slave_pos = " + gtids);
    }

    @Override
    public List<String> setReplicationSource(ReplicationSource source, ResumeFrom resumeFrom) {
        List<String> statements = new ArrayList<>();
        StringBuilder change = new StringBuilder("CHANGE MASTER TO")
                .append(" MASTER_HOST = ").append(SqlStrings.quote(source.host()))
                .append(", MASTER_PORT = ").append(source.port())
                .append(", MASTER_USER = ").append(SqlStrings.quote(source.user()))
                .append(", MASTER_PASSWORD = ").append(SqlStrings.quote(source.password()))
                .append(", MASTER_CONNECT_RETRY = ").append(SqlStrings.wholeSecondsRoundedUp(source.connectRetry()));
        if (!source.heartbeatInterval().isZero()) {
            change.append(", MASTER_HEARTBEAT_PERIOD = ").append(SqlStrings.seconds(source.heartbeatInterval()));
        }
        change.append(", MASTER_USE_GTID = slave_pos");
        if (resumeFrom == ResumeFrom.EXECUTED_POSITION) {
            if (version.atLeast(10, 10, 0)) {
                // Merges gtid_binlog_pos into gtid_slave_pos, domain by domain, as part of the change.
                change.append(", MASTER_DEMOTE_TO_SLAVE = 1");
            } else {
                statements.add("SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos");
            }
        }
        statements.add(change.toString());
        return List.copyOf(statements);
    }

    @Override
    public String waitForPositionQuery(GtidPosition position, Duration timeout) {
        if (timeout.isNegative() || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("a wait timeout is at least a millisecond, got " + timeout);
        }
        return "SELECT MASTER_GTID_WAIT(" + SqlStrings.quote(mariadbPosition(position).toString()) + ", "
                + SqlStrings.seconds(timeout) + ")";
    }

    @Override
    public WaitOutcome parseWaitResult(String value) {
        return switch (value == null ? "NULL" : value.strip()) {
            case "0" -> WaitOutcome.REACHED;
            case "-1" -> WaitOutcome.TIMED_OUT;
            default -> throw new IllegalArgumentException(
                    "expected MASTER_GTID_WAIT to return 0 (reached) or -1 (timed out), got " + value);
        };
    }

    @Override
    public SemiSyncVariables semiSyncVariables() {
        return SemiSyncVariables.MASTER_SLAVE;
    }

    @Override
    public List<SemiSyncPlugin> semiSyncPlugins() {
        return List.of();
    }

    @Override
    public List<String> setPrimarySemiSync(boolean enabled) {
        return SemiSyncVariables.MASTER_SLAVE.primary(enabled);
    }

    @Override
    public List<String> setReplicaSemiSync(boolean enabled, boolean ioThreadRunning) {
        String set = SemiSyncVariables.MASTER_SLAVE.replica(enabled);
        return ioThreadRunning ? List.of(set, "STOP SLAVE IO_THREAD", "START SLAVE IO_THREAD") : List.of(set);
    }

    @Override
    public List<String> setReadOnly(boolean readOnly) {
        return List.of("SET GLOBAL read_only = " + (readOnly ? "ON" : "OFF"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariadbFlavor that && version.equals(that.version);
    }

    @Override
    public int hashCode() {
        return version.hashCode();
    }

    @Override
    public String toString() {
        return "MariaDB " + version;
    }

    private static GtidPosition mariadbPosition(GtidPosition position) {
        if (position instanceof MysqlGtidPosition) {
            throw new IllegalArgumentException("the MariaDB flavor takes MariaDB GTID positions, got the MySQL GTID set "
                    + position);
        }
        return position;
    }
}
