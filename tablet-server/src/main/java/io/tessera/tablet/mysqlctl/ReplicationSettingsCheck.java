package io.tessera.tablet.mysqlctl;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Checks that a server is set up the way Tessera replicates: binary log on, row events with full images, replicas
 * logging what they apply, and GTIDs enforced. Values are read with {@code SHOW GLOBAL VARIABLES}, because MariaDB
 * 10.11 reports boolean variables as 0 inside aggregate queries.
 */
final class ReplicationSettingsCheck {
    /** A setting that is not what Tessera needs. */
    record Problem(String variable, String actual, String expected) {
        String describe() {
            return variable + " is " + actual + ", must be " + expected;
        }
    }

    /** What was read, for callers that want the flavor or server id. */
    record Outcome(boolean mariadb, String version, long serverId, List<Problem> problems) {}

    private static final List<String> VARIABLES = List.of("log_bin", "binlog_format", "binlog_row_image",
            "log_slave_updates", "log_replica_updates", "gtid_strict_mode", "gtid_mode", "enforce_gtid_consistency",
            "server_id");

    private ReplicationSettingsCheck() {}

    /** Reads the settings and lists every problem. */
    static Outcome inspect(Connection c, OptionalLong expectedServerId) throws SQLException {
        String version;
        Map<String, String> values = new HashMap<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
            StringBuilder in = new StringBuilder();
            for (String name : VARIABLES) {
                in.append(in.isEmpty() ? "" : ", ").append('\'').append(name).append('\'');
            }
            try (ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN (" + in + ")")) {
                while (rs.next()) {
                    values.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
                }
            }
        }
        return evaluate(version, values, expectedServerId);
    }

    /**
     * Judges settings already read: {@code values} maps lower-case variable names to their values as
     * {@code SHOW GLOBAL VARIABLES} prints them.
     */
    static Outcome evaluate(String version, Map<String, String> values, OptionalLong expectedServerId) {
        boolean mariadb = version.toLowerCase(Locale.ROOT).contains("mariadb");
        List<Problem> problems = new ArrayList<>();
        require(values, problems, "log_bin", "ON");
        require(values, problems, "binlog_format", "ROW");
        require(values, problems, "binlog_row_image", "FULL");
        // MySQL 8.0.26 renamed log_slave_updates; whichever name the server knows is checked.
        require(values, problems, values.containsKey("log_replica_updates") ? "log_replica_updates"
                : "log_slave_updates", "ON");
        if (mariadb) {
            require(values, problems, "gtid_strict_mode", "ON");
        } else {
            require(values, problems, "gtid_mode", "ON");
            require(values, problems, "enforce_gtid_consistency", "ON");
        }
        long serverId = parseLong(values.get("server_id"));
        if (serverId == 0) {
            problems.add(new Problem("server_id", values.getOrDefault("server_id", "not present"),
                    "a unique non-zero id"));
        } else if (expectedServerId.isPresent() && expectedServerId.getAsLong() != serverId) {
            problems.add(new Problem("server_id", String.valueOf(serverId),
                    expectedServerId.getAsLong() + " (from --mycnf_server_id)"));
        }
        return new Outcome(mariadb, version, serverId, List.copyOf(problems));
    }

    /** One message naming every setting to change, with its current and required value. */
    static String message(String where, Outcome outcome) {
        StringBuilder sb = new StringBuilder();
        sb.append("mysqld at ").append(where).append(" (").append(outcome.mariadb() ? "MariaDB " : "MySQL ")
                .append(outcome.version()).append(") is not configured for Tessera replication; change ")
                .append(outcome.problems().size() == 1 ? "this setting" : "these settings")
                .append(" in its configuration and restart it: ");
        for (int i = 0; i < outcome.problems().size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(outcome.problems().get(i).describe());
        }
        return sb.toString();
    }

    private static void require(Map<String, String> values, List<Problem> problems, String name, String expected) {
        String actual = values.get(name);
        if (actual == null) {
            problems.add(new Problem(name, "not present", expected));
        } else if (!normalise(actual).equals(expected)) {
            problems.add(new Problem(name, actual, expected));
        }
    }

    /** Boolean variables may read as ON/OFF or 1/0 depending on server and version. */
    private static String normalise(String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        return switch (v) {
            case "1", "TRUE" -> "ON";
            case "0", "FALSE" -> "OFF";
            default -> v;
        };
    }

    private static long parseLong(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
