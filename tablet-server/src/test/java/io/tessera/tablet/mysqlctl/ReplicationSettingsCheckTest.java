package io.tessera.tablet.mysqlctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The rules on settings read from a server; the MariaDB path also runs against real servers elsewhere. */
class ReplicationSettingsCheckTest {
    private static Map<String, String> mysqlGood() {
        Map<String, String> v = new HashMap<>();
        v.put("log_bin", "ON");
        v.put("binlog_format", "ROW");
        v.put("binlog_row_image", "FULL");
        v.put("log_replica_updates", "ON");
        v.put("log_slave_updates", "ON");
        v.put("gtid_mode", "ON");
        v.put("enforce_gtid_consistency", "ON");
        v.put("server_id", "7");
        return v;
    }

    @Test
    void mysqlNeedsGtidModeAndConsistency() {
        assertThat(ReplicationSettingsCheck.evaluate("8.0.36", mysqlGood(), OptionalLong.empty()).problems()).isEmpty();

        Map<String, String> v = mysqlGood();
        v.put("gtid_mode", "OFF_PERMISSIVE");
        v.put("enforce_gtid_consistency", "WARN");
        v.put("log_replica_updates", "OFF");
        v.put("binlog_row_image", "MINIMAL");
        ReplicationSettingsCheck.Outcome outcome = ReplicationSettingsCheck.evaluate("8.0.36", v, OptionalLong.empty());
        assertThat(outcome.mariadb()).isFalse();
        String message = ReplicationSettingsCheck.message("db:3306", outcome);
        assertThat(message).contains("mysqld at db:3306 (MySQL 8.0.36)", "binlog_row_image is MINIMAL, must be FULL",
                "log_replica_updates is OFF, must be ON", "gtid_mode is OFF_PERMISSIVE, must be ON",
                "enforce_gtid_consistency is WARN, must be ON", "these settings");
    }

    @Test
    void mysql57UsesLogSlaveUpdatesAndMissingVariablesAreNamed() {
        Map<String, String> v = mysqlGood();
        v.remove("log_replica_updates");
        v.put("log_slave_updates", "OFF");
        v.remove("gtid_mode");
        String message = ReplicationSettingsCheck.message("db:3306",
                ReplicationSettingsCheck.evaluate("5.7.44-log", v, OptionalLong.empty()));
        assertThat(message).contains("log_slave_updates is OFF, must be ON", "gtid_mode is not present, must be ON");
    }

    @Test
    void mariadbNeedsGtidStrictModeAndAcceptsNumericBooleans() {
        Map<String, String> v = new HashMap<>();
        v.put("log_bin", "1");
        v.put("binlog_format", "ROW");
        v.put("binlog_row_image", "FULL");
        v.put("log_slave_updates", "ON");
        v.put("gtid_strict_mode", "OFF");
        v.put("server_id", "0");
        ReplicationSettingsCheck.Outcome outcome =
                ReplicationSettingsCheck.evaluate("10.11.19-MariaDB-0+deb12u1-log", v, OptionalLong.empty());
        assertThat(outcome.mariadb()).isTrue();
        assertThat(outcome.problems()).extracting(ReplicationSettingsCheck.Problem::variable)
                .containsExactly("gtid_strict_mode", "server_id");
        assertThat(ReplicationSettingsCheck.message("h:1", outcome)).contains("server_id is 0, must be a unique non-zero id");
    }
}
