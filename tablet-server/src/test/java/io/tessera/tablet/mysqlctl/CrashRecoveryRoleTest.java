package io.tessera.tablet.mysqlctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.testing.FreePorts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary killed while a commit waits for a semi-sync acknowledgement holds that transaction in its binary log
 * but not yet in its tables. Restarted in the replica role ({@code startAsReplica}), crash recovery rolls it back
 * and truncates it from the binary log, so the server can rejoin a shard whose new primary never received it.
 * Restarted as a primary, recovery commits it (a replica may have it already). Real MariaDB servers.
 */
class CrashRecoveryRoleTest {
    @TempDir
    static Path root;

    private final List<ManagedMysqld> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(ManagedMysqld::close);
    }

    @Test
    void anUnacknowledgedCommitIsRolledBackOnlyWhenTheServerRestartsAsAReplica() throws Exception {
        RecoveredState asReplica = crashWithUnacknowledgedCommitAndRestart(301, true);
        assertThat(asReplica.rows()).containsExactly(1);
        assertThat(asReplica.binlogPosition()).isEqualTo(asReplica.positionBeforeWait());

        RecoveredState asPrimary = crashWithUnacknowledgedCommitAndRestart(302, false);
        assertThat(asPrimary.rows()).containsExactly(1, 2);
        assertThat(asPrimary.binlogPosition()).isNotEqualTo(asPrimary.positionBeforeWait());
    }

    private record RecoveredState(List<Integer> rows, String positionBeforeWait, String binlogPosition) {}

    private RecoveredState crashWithUnacknowledgedCommitAndRestart(long uid, boolean asReplica) throws Exception {
        ManagedMysqldConfig.Builder config = ManagedMysqldConfig.builder(uid, root).port(FreePorts.next())
                .keyspace("commerce").credentials(DbCredentials.withPassword("pw")).startReadOnly(false);
        ManagedMysqld primary = start(config.build());
        String before;
        try (Connection c = primary.dba().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE vt_commerce.t (id INT PRIMARY KEY)");
            s.execute("INSERT INTO vt_commerce.t VALUES (1)");
            before = single(s, "SELECT @@gtid_binlog_pos");
            s.execute("SET GLOBAL rpl_semi_sync_master_wait_point=AFTER_SYNC");
            s.execute("SET GLOBAL rpl_semi_sync_master_timeout=3600000");
            s.execute("SET GLOBAL rpl_semi_sync_master_enabled=ON");
        }
        // No replica is connected, so this commit waits for an acknowledgement that never comes.
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try (Connection c = primary.dba().connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO vt_commerce.t VALUES (2)");
            } catch (SQLException expected) {
                // the server is killed under it
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> waitSessions(primary) == 1);
        primary.kill();
        waiting.join();

        ManagedMysqld restarted = start(config.startAsReplica(asReplica).build());
        try (Connection c = restarted.dba().connect(); Statement s = c.createStatement()) {
            List<Integer> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT id FROM vt_commerce.t ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getInt(1));
                }
            }
            return new RecoveredState(rows, before, single(s, "SELECT @@gtid_binlog_pos"));
        }
    }

    private static long waitSessions(ManagedMysqld mysqld) throws SQLException {
        try (Connection c = mysqld.dba().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_wait_sessions'")) {
            return rs.next() ? rs.getLong(2) : -1;
        }
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private ManagedMysqld start(ManagedMysqldConfig config) {
        ManagedMysqld mysqld = new ManagedMysqld(config);
        started.add(mysqld);
        mysqld.start();
        return mysqld;
    }
}
