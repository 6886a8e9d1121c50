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
 * MySQL 5.7.8 and later, including 8.0 and 8.4: GTID sets of {@code uuid:intervals}, replication with
 * {@code SOURCE_AUTO_POSITION}, semi-sync through plugins.
 *
 * <p>Statements follow the server's release: 8.0.22 renamed {@code SLAVE} to {@code REPLICA} in
 * {@code START}/{@code STOP}/{@code RESET}/{@code SHOW ... STATUS}; 8.0.23 added
 * {@code CHANGE REPLICATION SOURCE TO}; 8.0.26 added the {@code semisync_source}/{@code semisync_replica}
 * plugins with "source"/"replica" variable names; 8.2 replaced {@code SHOW MASTER STATUS} and
 * {@code RESET MASTER} with {@code SHOW BINARY LOG STATUS} and {@code RESET BINARY LOGS AND GTIDS} (8.4 removed
 * the old forms).
 */
final class MysqlFlavor implements Flavor {
    private final ServerVersion version;
    private final boolean replicaTerms;
    private final boolean changeReplicationSource;
    private final boolean sourceReplicaSemiSync;
    private final boolean binaryLogTerms;

    /**
     * Creates the flavor for a MySQL server of {@code version}.
     *
     * @throws IllegalArgumentException if the version is older than 5.7.8
     */
    MysqlFlavor(ServerVersion version) {
        if (!version.atLeast(5, 7, 8)) {
            throw new IllegalArgumentException("MySQL " + version
                    + " is not supported: Tessera needs MySQL 5.7.8 or later, which has super_read_only");
        }
        this.version = version;
        this.replicaTerms = version.atLeast(8, 0, 22);
        this.changeReplicationSource = version.atLeast(8, 0, 23);
        this.sourceReplicaSemiSync = version.atLeast(8, 0, 26);
        this.binaryLogTerms = version.atLeast(8, 2, 0);
    }

    @Override
    public String name() {
        return "MySQL";
    }

    @Override
    public ServerVersion version() {
        return version;
    }

    @Override
    public GtidPosition parsePosition(String gtidSet) {
        return MysqlGtidPosition.parse(gtidSet);
    }

    @Override
    public String primaryPositionQuery() {
        return "SELECT @@GLOBAL.gtid_executed";
    }

    @Override
    public String binlogStatusQuery() {
        return binaryLogTerms ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
    }

    @Override
    public Optional<BinlogFilePosition> parseBinlogStatus(List<Map<String, String>> rows) {
        return rows.stream().findFirst().map(StatusRow::new)
                .flatMap(row -> row.filePosition(new String[] {"File"}, new String[] {"Position"}));
    }

    @Override
    public Optional<String> serverUuidQuery() {
        return Optional.of("SELECT @@GLOBAL.server_uuid");
    }

    @Override
    public String replicationStatusQuery() {
        return replicaTerms ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
    }

    @Override
    public Optional<ReplicationStatus> parseReplicationStatus(List<Map<String, String>> rows) {
        return ReplicaStatusColumns.defaultConnection(rows, "Channel_Name").map(row -> {
            if (!row.has("Executed_Gtid_Set")) {
                throw new IllegalArgumentException("the MySQL replication status has no Executed_Gtid_Set column; "
                        + "read it with " + replicationStatusQuery());
            }
            GtidPosition applied = MysqlGtidPosition.parse(row.text("Executed_Gtid_Set"));
            // Retrieved_Gtid_Set only covers the current relay logs, so join it with what was applied.
            GtidPosition received = applied.union(MysqlGtidPosition.parse(row.text("Retrieved_Gtid_Set")));
            String uuid = row.text("Source_UUID", "Master_UUID").strip();
            boolean autoPosition = row.text("Auto_Position").strip().equals("1");
            return ReplicaStatusColumns.parse(row, applied, received, uuid, autoPosition);
        });
    }

    @Override
    public List<String> startReplication() {
        return List.of(replication("START"));
    }

    @Override
    public List<String> stopReplication() {
        return List.of(replication("STOP"));
    }

    @Override
    public List<String> startIoThread() {
        return List.of(replication("START") + " IO_THREAD");
    }

    @Override
    public List<String> stopIoThread() {
        return List.of(replication("STOP") + " IO_THREAD");
    }

    @Override
    public List<String> resetReplicationParameters() {
        return List.of(replication("STOP"), replication("RESET") + " ALL");
    }

    @Override
    public List<String> promoteToPrimary() {
        return List.of(replication("STOP"), replication("RESET") + " ALL", "FLUSH BINARY LOGS");
    }

    @Override
    public List<String> resetReplication() {
        // Resetting the binary logs also clears gtid_executed and gtid_purged.
        return List.of(replication("STOP"), replication("RESET") + " ALL", resetBinaryLogs());
    }

    @Override
    public List<String> setReplicationPosition(GtidPosition position) {
        GtidPosition gtids = mysqlPosition(position);
        if (gtids.isEmpty()) {
            return List.of(resetBinaryLogs());
        }
        // gtid_purged can only be set on a server whose gtid_executed is empty.
        return List.of(resetBinaryLogs(), "SET GLOBAL gtid_purged = " + SqlStrings.quote(gtids.toString()));
    }

    @Override
    public List<String> setReplicationSource(ReplicationSource source, ResumeFrom resumeFrom) {
        // Auto-positioning always sends gtid_executed, which includes the server's own writes, so a demoted primary
        // needs no extra step here: resumeFrom changes nothing on MySQL.
        String option = changeReplicationSource ? "SOURCE_" : "MASTER_";
        List<String> options = new ArrayList<>();
        options.add(option + "HOST = " + SqlStrings.quote(source.host()));
        options.add(option + "PORT = " + source.port());
        options.add(option + "USER = " + SqlStrings.quote(source.user()));
        options.add(option + "PASSWORD = " + SqlStrings.quote(source.password()));
        options.add(option + "CONNECT_RETRY = " + SqlStrings.wholeSecondsRoundedUp(source.connectRetry()));
        if (!source.heartbeatInterval().isZero()) {
            options.add(option + "HEARTBEAT_PERIOD = " + SqlStrings.seconds(source.heartbeatInterval()));
        }
        options.add(option + "AUTO_POSITION = 1");
        if (version.atLeast(8, 0, 0)) {
            // caching_sha2_password, 8.0's default, needs the source's RSA key on a connection without TLS.
            options.add(changeReplicationSource ? "GET_SOURCE_PUBLIC_KEY = 1" : "GET_MASTER_PUBLIC_KEY = 1");
        }
        String statement = changeReplicationSource ? "CHANGE REPLICATION SOURCE TO " : "CHANGE MASTER TO ";
        return List.of(statement + String.join(", ", options));
    }

    @Override
    public String waitForPositionQuery(GtidPosition position, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a wait timeout is positive, got " + timeout);
        }
        // Whole seconds: not every 5.7 release takes a fractional timeout.
        return "SELECT WAIT_FOR_EXECUTED_GTID_SET(" + SqlStrings.quote(mysqlPosition(position).toString()) + ", "
                + SqlStrings.wholeSecondsRoundedUp(timeout) + ")";
    }

    @Override
    public WaitOutcome parseWaitResult(String value) {
        return switch (value == null ? "NULL" : value.strip()) {
            case "0" -> WaitOutcome.REACHED;
            case "1" -> WaitOutcome.TIMED_OUT;
            default -> throw new IllegalArgumentException(
                    "expected WAIT_FOR_EXECUTED_GTID_SET to return 0 (reached) or 1 (timed out), got " + value);
        };
    }

    @Override
    public SemiSyncVariables semiSyncVariables() {
        return sourceReplicaSemiSync ? SemiSyncVariables.SOURCE_REPLICA : SemiSyncVariables.MASTER_SLAVE;
    }

    @Override
    public List<SemiSyncPlugin> semiSyncPlugins() {
        if (sourceReplicaSemiSync) {
            return List.of(new SemiSyncPlugin("rpl_semi_sync_source", "semisync_source.so"),
                    new SemiSyncPlugin("rpl_semi_sync_replica", "semisync_replica.so"));
        }
        return List.of(new SemiSyncPlugin("rpl_semi_sync_master", "semisync_master.so"),
                new SemiSyncPlugin("rpl_semi_sync_slave", "semisync_slave.so"));
    }

    @Override
    public List<String> setPrimarySemiSync(boolean enabled) {
        return semiSyncVariables().primary(enabled);
    }

    @Override
    public List<String> setReplicaSemiSync(boolean enabled, boolean ioThreadRunning) {
        String set = semiSyncVariables().replica(enabled);
        if (!ioThreadRunning) {
            return List.of(set);
        }
        return List.of(set, replication("STOP") + " IO_THREAD", replication("START") + " IO_THREAD");
    }

    @Override
    public List<String> setReadOnly(boolean readOnly) {
        if (readOnly) {
            // super_read_only implies read_only and also stops users with SUPER or CONNECTION_ADMIN.
            return List.of("SET GLOBAL super_read_only = ON");
        }
        return List.of("SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MysqlFlavor that && version.equals(that.version);
    }

    @Override
    public int hashCode() {
        return version.hashCode();
    }

    @Override
    public String toString() {
        return "MySQL " + version;
    }

    /** {@code START SLAVE} or {@code START REPLICA}, and so on, as the release spells it. */
    private String replication(String verb) {
        return verb + (replicaTerms ? " REPLICA" : " SLAVE");
    }

    private String resetBinaryLogs() {
        return binaryLogTerms ? "RESET BINARY LOGS AND GTIDS" : "RESET MASTER";
    }

    private static GtidPosition mysqlPosition(GtidPosition position) {
        if (position instanceof MariadbGtidPosition) {
            throw new IllegalArgumentException("the MySQL flavor takes MySQL GTID sets, got the MariaDB position "
                    + position);
        }
        return position;
    }
}
