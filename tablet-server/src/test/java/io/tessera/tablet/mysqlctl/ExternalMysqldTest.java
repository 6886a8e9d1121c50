package io.tessera.tablet.mysqlctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.testing.FreePorts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** External mode against servers this test starts (with managed mode, then treats as somebody else's). */
class ExternalMysqldTest {
    private static final DbCredentials CREDENTIALS = DbCredentials.withPassword("ext-pw");

    @TempDir
    static Path root;

    private static ManagedMysqld good;
    private static ManagedMysqld statementBased;

    @BeforeAll
    static void startServers() {
        good = ManagedMysqld.startNew(ManagedMysqldConfig.builder(200, root).port(FreePorts.next())
                .keyspace("commerce").credentials(CREDENTIALS).build());
        statementBased = ManagedMysqld.startNew(ManagedMysqldConfig.builder(201, root).port(FreePorts.next())
                .credentials(CREDENTIALS).extraMyCnf("binlog_format=STATEMENT").build());
    }

    @AfterAll
    static void stopServers() {
        if (good != null) {
            good.close();
        }
        if (statementBased != null) {
            statementBased.close();
        }
    }

    private static ExternalMysqldConfig configFor(ManagedMysqld server) {
        return ExternalMysqldConfig.of("127.0.0.1", server.config().port(), Optional.of(server.dir().socket()),
                CREDENTIALS);
    }

    @Test
    void acceptsAServerConfiguredForReplication() throws Exception {
        ExternalMysqld external = ExternalMysqld.connect(configFor(good).withServerId(200).withDbName("vt_commerce"));

        assertThat(external.isManaged()).isFalse();
        assertThat(external.isRunning()).isTrue();
        assertThat(external.serverId()).isEqualTo(200);
        assertThat(external.replicationParams())
                .isEqualTo(new ReplicationParams("127.0.0.1", good.config().port(), "vt_repl", "ext-pw"));
        try (Connection c = external.app().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DATABASE(), CURRENT_USER()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("vt_commerce");
            assertThat(rs.getString(2)).isEqualTo("vt_app@localhost");
        }
    }

    @Test
    void neverStartsOrStopsTheServer() {
        ExternalMysqld external = new ExternalMysqld(configFor(good));
        assertThatThrownBy(external::start).isInstanceOf(MysqldException.class)
                .hasMessageContaining("external").hasMessageContaining("never starts");
        assertThatThrownBy(external::shutdown).isInstanceOf(MysqldException.class)
                .hasMessageContaining("external").hasMessageContaining("never stops");
        assertThat(good.isRunning()).isTrue();
    }

    @Test
    void connectsOverTcpWithATcpUser() throws Exception {
        // Managed users are local-only; an external server's dba typically connects over TCP.
        try (Connection c = good.dba().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE USER 'ext_dba'@'127.0.0.1' IDENTIFIED BY 'tcp-pw'");
            s.execute("GRANT ALL PRIVILEGES ON *.* TO 'ext_dba'@'127.0.0.1'");
        }
        DbCredentials tcpCredentials = new DbCredentials(new DbUser("ext_dba", "tcp-pw"), CREDENTIALS.app(),
                CREDENTIALS.repl());
        ExternalMysqld external = ExternalMysqld.connect(
                ExternalMysqldConfig.of("127.0.0.1", good.config().port(), Optional.empty(), tcpCredentials));
        assertThat(external.isRunning()).isTrue();
        assertThat(external.serverId()).isEqualTo(200);
    }

    @Test
    void refusesAStatementBasedServerNamingTheSetting() {
        assertThatThrownBy(() -> ExternalMysqld.connect(configFor(statementBased)))
                .isInstanceOf(MysqldException.class)
                .hasMessageContaining("binlog_format is STATEMENT, must be ROW")
                .hasMessageContaining("MariaDB")
                .hasMessageNotContaining("binlog_row_image")
                .hasMessageNotContaining("gtid_strict_mode");
    }

    @Test
    void refusesAServerIdOtherThanConfigured() {
        assertThatThrownBy(() -> ExternalMysqld.connect(configFor(good).withServerId(999)))
                .isInstanceOf(MysqldException.class)
                .hasMessageContaining("server_id is 200, must be 999 (from --mycnf_server_id)");
    }

    @Test
    void socketConnectionsHonourNetworkTimeoutsAndStayUsable() throws Exception {
        // Connection pools bound every call with a network timeout; over the unix socket it must still fire.
        try (Connection c = good.app().connect(); Statement s = c.createStatement()) {
            c.setNetworkTimeout(Runnable::run, 300);
            assertThatThrownBy(() -> s.executeQuery("SELECT SLEEP(30)")).isInstanceOf(java.sql.SQLException.class);
            assertThat(c.isValid(1)).isFalse();
        }
        try (Connection c = good.app().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT REPEAT('x', 1000000)")) {
            // A result far larger than the socket buffers crosses intact.
            rs.next();
            assertThat(rs.getString(1)).hasSize(1_000_000);
        }
    }

    @Test
    void unreachableServerIsAClearError() {
        int nobody = FreePorts.next();
        ExternalMysqld external = new ExternalMysqld(
                ExternalMysqldConfig.of("127.0.0.1", nobody, Optional.empty(), CREDENTIALS));
        assertThat(external.isRunning()).isFalse();
        assertThatThrownBy(external::checkReplicationSettings).isInstanceOf(MysqldException.class)
                .hasMessageContaining("127.0.0.1:" + nobody).hasMessageContaining("vt_dba");
        assertThatThrownBy(() -> new ExternalMysqld(ExternalMysqldConfig.of("", 0,
                Optional.of(root.resolve("nowhere.sock")), CREDENTIALS)).replicationParams())
                .isInstanceOf(MysqldException.class).hasMessageContaining("--db_host");
    }
}
