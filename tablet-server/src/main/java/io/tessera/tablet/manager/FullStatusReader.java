package io.tessera.tablet.manager;

import io.tessera.replication.BinlogFilePosition;
import io.tessera.replication.GtidPosition;
import io.tessera.replication.Positions;

import io.tessera.proto.replicationdata.Configuration;
import io.tessera.proto.replicationdata.FullStatus;
import io.tessera.proto.topodata.TabletType;
import io.tessera.tablet.flavor.Flavor;
import io.tessera.tablet.flavor.ReplicationProtos;
import io.tessera.tablet.flavor.SemiSyncVariables;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code replicationdata.FullStatus}: identity, version, binary log settings, GTID positions, replication
 * and primary status, and the semi-sync settings and counters, in a handful of queries on one connection.
 *
 * <p>Variables are read with {@code SHOW GLOBAL VARIABLES}/{@code SHOW GLOBAL STATUS} filtered by name rather than
 * {@code SELECT @@...}: a variable this server does not have is then simply absent instead of failing the query,
 * and MariaDB does not misreport booleans as it does inside aggregates.
 */
final class FullStatusReader {
    private final MysqlAdmin mysql;

    FullStatusReader(MysqlAdmin mysql) {
        this.mysql = mysql;
    }

    FullStatus read(TabletType tabletType) {
        Flavor flavor = mysql.flavor();
        SemiSyncVariables semi = flavor.semiSyncVariables();
        boolean oldNames = semi.equals(SemiSyncVariables.MASTER_SLAVE);
        String waitCount = oldNames ? "rpl_semi_sync_master_wait_for_slave_count"
                : "rpl_semi_sync_source_wait_for_replica_count";
        String waitSessions = oldNames ? "Rpl_semi_sync_master_wait_sessions" : "Rpl_semi_sync_source_wait_sessions";
        return mysql.withDba("reading the full status", c -> {
            Map<String, String> vars = named(c, "SHOW GLOBAL VARIABLES", Set.of("server_id", "version",
                    "version_comment", "binlog_format", "binlog_row_image", "log_bin", "log_slave_updates",
                    "log_replica_updates", "gtid_mode", "gtid_purged", "slave_net_timeout", "replica_net_timeout",
                    semi.primaryEnabled(), semi.replicaEnabled(), semi.primaryTimeout(), waitCount));
            Map<String, String> status = named(c, "SHOW GLOBAL STATUS", Set.of(semi.primaryStatus(),
                    semi.replicaStatus(), semi.primaryClients(), waitSessions));
            boolean logBin = on(vars.get("log_bin"));
            boolean primarySemiSync = on(vars.get(semi.primaryEnabled()));
            FullStatus.Builder b = FullStatus.newBuilder()
                    .setServerId((int) parseLong(vars.get("server_id")))
                    .setVersion(text(vars.get("version")))
                    .setVersionComment(text(vars.get("version_comment")))
                    .setReadOnly(on(MysqlAdmin.queryValue(c, flavor.readOnlyQuery())))
                    .setBinlogFormat(text(vars.get("binlog_format")))
                    .setBinlogRowImage(text(vars.get("binlog_row_image")))
                    .setLogBinEnabled(logBin)
                    .setLogReplicaUpdates(on(vars.getOrDefault("log_replica_updates", vars.get("log_slave_updates"))))
                    .setGtidMode(gtidMode(flavor, vars, logBin))
                    .setGtidPurged(gtidPurged(flavor, vars))
                    .setSemiSyncPrimaryEnabled(primarySemiSync)
                    .setSemiSyncReplicaEnabled(on(vars.get(semi.replicaEnabled())))
                    .setSemiSyncPrimaryStatus(on(status.get(semi.primaryStatus())))
                    .setSemiSyncReplicaStatus(on(status.get(semi.replicaStatus())))
                    .setSemiSyncPrimaryClients((int) parseLong(status.get(semi.primaryClients())))
                    .setSemiSyncPrimaryTimeout(parseLong(vars.get(semi.primaryTimeout())))
                    // MariaDB waits for exactly one acknowledgement and has no variable for the count.
                    .setSemiSyncWaitForReplicaCount(vars.containsKey(waitCount) ? (int) parseLong(vars.get(waitCount))
                            : primarySemiSync ? 1 : 0)
                    .setSemiSyncBlocked(primarySemiSync && parseLong(status.get(waitSessions)) > 0)
                    .setReplicationConfiguration(Configuration.newBuilder().setReplicaNetTimeout((int) parseLong(
                            vars.getOrDefault("replica_net_timeout", vars.get("slave_net_timeout")))))
                    .setTabletType(tabletType);
            Optional<String> uuidQuery = flavor.serverUuidQuery();
            if (uuidQuery.isPresent()) {
                b.setServerUuid(text(MysqlAdmin.queryValue(c, uuidQuery.get())));
            }
            flavor.parseReplicationStatus(MysqlAdmin.query(c, flavor.replicationStatusQuery()))
                    .ifPresent(s -> b.setReplicationStatus(ReplicationProtos.toProto(s)));
            if (logBin) {
                GtidPosition position = mysql.executedPosition(c);
                Optional<BinlogFilePosition> file = flavor.parseBinlogStatus(
                        MysqlAdmin.query(c, flavor.binlogStatusQuery()));
                b.setPrimaryStatus(io.tessera.proto.replicationdata.PrimaryStatus.newBuilder()
                        .setPosition(Positions.encode(position))
                        .setFilePosition(file.map(BinlogFilePosition::encode).orElse(""))
                        .setServerUuid(b.getServerUuid()));
            }
            return b.build();
        });
    }

    /** MariaDB always uses GTIDs once it writes a binary log; MySQL says so in {@code gtid_mode}. */
    private static String gtidMode(Flavor flavor, Map<String, String> vars, boolean logBin) {
        return isMariadb(flavor) ? (logBin ? "ON" : "OFF") : text(vars.get("gtid_mode"));
    }

    /** MySQL's purged GTID set; MariaDB has no such variable, and its binary logs are not read here for it. */
    private static String gtidPurged(Flavor flavor, Map<String, String> vars) {
        String purged = text(vars.get("gtid_purged"));
        if (!isMariadb(flavor) && !purged.isBlank()) {
            return Positions.encode(flavor.parsePosition(purged.replace("\n", "")));
        }
        return "";
    }

    private static boolean isMariadb(Flavor flavor) {
        return flavor.name().equals("MariaDB");
    }

    private static Map<String, String> named(Connection c, String show, Set<String> names) throws SQLException {
        Set<String> unique = new LinkedHashSet<>(names);
        String list = unique.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        Map<String, String> out = new HashMap<>();
        List<Map<String, String>> rows = MysqlAdmin.query(c, show + " WHERE Variable_name IN (" + list + ")");
        for (Map<String, String> row : rows) {
            // Names come back in the server's case; look them up the way they were asked for.
            String name = row.get("Variable_name");
            for (String wanted : unique) {
                if (wanted.equalsIgnoreCase(name)) {
                    out.put(wanted, row.get("Value"));
                }
            }
        }
        return out;
    }

    private static boolean on(String value) {
        return value != null && (value.equalsIgnoreCase("ON") || value.equals("1"));
    }

    private static long parseLong(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
