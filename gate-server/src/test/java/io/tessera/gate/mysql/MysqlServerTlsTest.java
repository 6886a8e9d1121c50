package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.gate.auth.StaticAuthServer;
import io.tessera.testing.TempDirs;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS through the SSL request and the plugins that need it (caching_sha2 full authentication, cleartext). */
class MysqlServerTlsTest {
    private static TlsCertificate tls;
    private TestServer server;

    @BeforeAll
    static void certificate() throws Exception {
        tls = TlsCertificate.create();
    }

    @AfterAll
    static void removeCertificate() {
        TempDirs.deleteRecursively(tls.dir());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(boolean requireSecure) {
        PrometheusRegistry registry = new PrometheusRegistry();
        server = new TestServer(TestServer.config().withTls(tls.cert(), tls.key(), requireSecure),
                StaticAuthServer.fromJson(MysqlServerAuthTest.users(), registry), registry);
    }

    private Connection mysql(String user, String password, String plugin) throws SQLException {
        return DriverManager.getConnection(server.mysqlUrl("ks", "user=" + user + "&password=" + password
                + "&sslMode=REQUIRED&defaultAuthenticationPlugin=" + plugin));
    }

    @Test
    void mariadbDriverOverTls() throws Exception {
        start(false);
        try (Connection c = DriverManager.getConnection(server.mariadbUrl("ks",
                "user=app&password=secret&sslMode=trust&useServerPrepStmts=true"))) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select 50")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertThat(n).isEqualTo(50);
            }
            try (PreparedStatement ps = c.prepareStatement("select ?")) {
                ps.setString(1, "over tls");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("over tls");
                }
            }
        }
        assertThat(server.counter("tessera_gate_auth_successes", "method", "mysql_native_password")).isEqualTo(1);
    }

    @Test
    void cachingSha2FullAuthenticationOverTls() throws Exception {
        start(false);
        try (Connection c = mysql("hashed", "hashpw", "caching_sha2_password")) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(server.counter("tessera_gate_auth_successes", "method", "caching_sha2_password_full"))
                .isEqualTo(1);
        assertThatThrownBy(() -> mysql("hashed", "wrong", "caching_sha2_password").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        try (Connection c = mysql("app", "secret", "caching_sha2_password")) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(server.counter("tessera_gate_auth_successes", "method", "caching_sha2_password_fast"))
                .isEqualTo(1);
    }

    @Test
    void cleartextPasswordOverTls() throws Exception {
        start(false);
        try (Connection c = mysql("app", "secret", "mysql_clear_password")) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(server.counter("tessera_gate_auth_successes", "method", "mysql_clear_password")).isEqualTo(1);
    }

    @Test
    void plainConnectionsAreRefusedWhenTlsIsRequired() throws Exception {
        start(true);
        assertThatThrownBy(() -> DriverManager.getConnection(server.mariadbUrl("ks",
                "user=app&password=secret&sslMode=disable")).close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains("TLS"));
        assertThat(server.counter("tessera_gate_connections_refused", "reason", "auth")).isEqualTo(1);
        try (Connection c = DriverManager.getConnection(server.mariadbUrl("ks",
                "user=app&password=secret&sslMode=trust"))) {
            assertThat(c.isValid(5)).isTrue();
        }
    }
}
