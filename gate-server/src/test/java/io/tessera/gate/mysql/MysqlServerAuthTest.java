package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.gate.auth.StaticAuthServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Logging in through real drivers against the static auth file. */
class MysqlServerAuthTest {
    static final String USERS = """
            {
              "app": [{"Password": "secret", "UserData": "app-data", "Groups": ["readers", "writers"]}],
              "hashed": [{"MysqlNativePassword": "%s", "UserData": "h"}],
              "rotating": [{"Password": "old"}, {"Password": "new"}],
              "nopw": [{"Password": ""}],
              "local": [{"Password": "lpw", "SourceHost": "localhost"}],
              "remote": [{"Password": "rpw", "SourceHost": "10.9.9.9"}]
            }
            """;

    private TestServer server;

    static String users() {
        return USERS.formatted(nativeHash("hashpw"));
    }

    static String nativeHash(String password) {
        try {
            java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
            byte[] twice = sha1.digest(sha1.digest(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return "*" + java.util.HexFormat.of().withUpperCase().formatHex(twice);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeEach
    void start() {
        PrometheusRegistry registry = new PrometheusRegistry();
        server = new TestServer(TestServer.config(), StaticAuthServer.fromJson(users(), registry), registry);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Connection mariadb(String user, String password) throws SQLException {
        return DriverManager.getConnection(server.mariadbUrl("ks", "user=" + user + "&password=" + password));
    }

    private Connection mysql(String user, String password, String plugin) throws SQLException {
        return DriverManager.getConnection(server.mysqlUrl("ks", "user=" + user + "&password=" + password
                + "&sslMode=DISABLED&allowPublicKeyRetrieval=false&defaultAuthenticationPlugin=" + plugin));
    }

    private double successes(String method) {
        return server.counter("tessera_gate_auth_successes", "method", method);
    }

    @Test
    void nativePasswordLogsInAndTheHandlerSeesTheIdentity() throws Exception {
        try (Connection c = mariadb("app", "secret")) {
            assertThat(c.isValid(5)).isTrue();
            AuthenticatedUser u = server.handlers.last().client.user();
            assertThat(u.user()).isEqualTo("app");
            assertThat(u.userData()).isEqualTo("app-data");
            assertThat(u.groups()).containsExactly("readers", "writers");
        }
        assertThat(successes("mysql_native_password")).isEqualTo(1);
    }

    @Test
    void cachingSha2AgainstAPlaintextEntryUsesFastAuthentication() throws Exception {
        try (Connection c = mysql("app", "secret", "caching_sha2_password")) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(successes("caching_sha2_password_fast")).isEqualTo(1);
        assertThat(successes("mysql_native_password")).isZero();
    }

    @Test
    void cachingSha2AgainstAHashIsSwitchedToNativeWithoutTls() throws Exception {
        try (Connection c = mysql("hashed", "hashpw", "caching_sha2_password")) {
            assertThat(c.isValid(5)).isTrue();
            assertThat(server.handlers.last().client.user().userData()).isEqualTo("h");
        }
        assertThat(successes("mysql_native_password")).isEqualTo(1);
        assertThat(successes("caching_sha2_password_fast")).isZero();
        try (Connection c = mariadb("hashed", "hashpw")) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void theMysqlDriverCanUseNativePasswordDirectly() throws Exception {
        try (Connection c = mysql("app", "secret", "mysql_native_password")) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThat(successes("mysql_native_password")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql-native", "mysql-sha2"})
    void aWrongPasswordIsDeniedAndCounted(String client) {
        assertThatThrownBy(() -> connect(client, "app", "wrong").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1045);
                    assertThat(e.getSQLState()).isEqualTo("28000");
                    assertThat(e.getMessage())
                            .contains("Access denied for user 'app'@'127.0.0.1' (using password: YES)");
                });
        assertThat(server.counter("tessera_gate_auth_failures", "reason", "wrong_password")).isEqualTo(1);
        assertThat(server.counter("tessera_gate_connections_refused", "reason", "auth")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql-sha2"})
    void anUnknownUserIsDenied(String client) {
        assertThatThrownBy(() -> connect(client, "ghost", "x").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        assertThat(server.counter("tessera_gate_auth_failures", "reason", "unknown_user")).isEqualTo(1);
    }

    private Connection connect(String client, String user, String password) throws SQLException {
        return switch (client) {
            case "mariadb" -> mariadb(user, password);
            case "mysql-native" -> mysql(user, password, "mysql_native_password");
            default -> mysql(user, password, "caching_sha2_password");
        };
    }

    @Test
    void everyEntryOfARotatingUserWorks() throws Exception {
        try (Connection c = mariadb("rotating", "old")) {
            assertThat(c.isValid(5)).isTrue();
        }
        try (Connection c = mysql("rotating", "new", "caching_sha2_password")) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> mariadb("rotating", "older").close()).isInstanceOf(SQLException.class);
    }

    @Test
    void aUserWithoutPassword() throws Exception {
        try (Connection c = mariadb("nopw", "")) {
            assertThat(c.isValid(5)).isTrue();
        }
        try (Connection c = mysql("nopw", "", "caching_sha2_password")) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> mariadb("nopw", "something").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
    }

    @Test
    void sourceHostRestrictsTheClientAddress() throws Exception {
        try (Connection c = mariadb("local", "lpw")) {
            assertThat(c.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> mariadb("remote", "rpw").close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
        assertThat(server.counter("tessera_gate_auth_failures", "reason", "source_host")).isEqualTo(1);
    }

    @Test
    void changeUserReauthenticates() throws Exception {
        try (Connection c = mysql("app", "secret", "mysql_native_password")) {
            com.mysql.cj.jdbc.JdbcConnection j = c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class);
            j.changeUser("rotating", "new");
            assertThat(server.handlers.last().user.user()).isEqualTo("rotating");
            assertThat(c.isValid(5)).isTrue();
            assertThatThrownBy(() -> j.changeUser("app", "wrong"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
            // A failed change of user ends the connection rather than keep the previous identity.
            assertThat(c.isValid(5)).isFalse();
        }
        ScriptedHandlerFactory.Handler h = server.handlers.last();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> h.closes.get() == 1);
    }
}
