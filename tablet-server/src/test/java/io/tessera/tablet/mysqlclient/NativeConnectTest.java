package io.tessera.tablet.mysqlclient;

import static io.tessera.tablet.mysqlclient.NativeFixture.await;
import static io.tessera.tablet.mysqlclient.NativeFixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.tablet.mysqlctl.DbConnector;
import io.tessera.tablet.mysqlctl.DbUser;
import io.tessera.tablet.mysqlctl.MysqlEndpoint;
import io.tessera.testing.FreePorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting and logging in: unix socket and TCP, refused users, timeouts, and the session it sets up. */
class NativeConnectTest {
    /** The session values that must be the same on a native and a JDBC connection of one connector. */
    private static final String SESSION = "SELECT @@autocommit, @@sql_mode, @@character_set_client,"
            + " @@character_set_connection, @@character_set_results, @@collation_connection, @@time_zone,"
            + " @@tx_isolation, DATABASE()";

    @TempDir
    static Path root;

    private static NativeFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new NativeFixture(root);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void connectsOverTheUnixSocket() {
        NativeConnection c = fixture.connect();
        try {
            assertThat(c.loop()).isSameAs(fixture.loop);
            assertThat(c.isUsable()).isTrue();
            NativeResult r = fixture.query(c, "SELECT CONNECTION_ID(), CURRENT_USER(), DATABASE()");
            assertThat(values(r.rows().get(0)))
                    .containsExactly(Long.toString(c.connectionId()), "vt_app@localhost", NativeFixture.DATABASE);
        } finally {
            c.close();
        }
    }

    @Test
    void connectsOverTcp() {
        NativeConnection c = await(new NativeConnector(fixture.tcp(), fixture.loops).connect(fixture.loop));
        try {
            NativeResult r = fixture.query(c, "SELECT CONNECTION_ID(), CURRENT_USER(), DATABASE()");
            assertThat(values(r.rows().get(0)))
                    .containsExactly(Long.toString(c.connectionId()), "tcp_app@127.0.0.1", NativeFixture.DATABASE);
        } finally {
            c.close();
        }
    }

    @Test
    void connectsWithoutADefaultDatabase() {
        NativeConnector connector = new NativeConnector(fixture.app().withoutDatabase(), fixture.loops);
        NativeConnection c = await(connector.connect(fixture.loop));
        try {
            assertThat(values(fixture.query(c, "SELECT DATABASE()").rows().get(0))).containsExactly((String) null);
        } finally {
            c.close();
        }
    }

    @Test
    void setsTheSessionSelectLimitItWasGiven() {
        NativeConnection limited = await(new NativeConnector(fixture.app(), fixture.loops, 3).connect(fixture.loop));
        NativeConnection plain = fixture.connect();
        try {
            assertThat(limited.sessionSelectLimit()).isEqualTo(3);
            assertThat(fixture.query(limited, "SELECT seq FROM seq_1_to_10").rows()).hasSize(3);
            assertThat(plain.sessionSelectLimit()).isZero();
            assertThat(fixture.query(plain, "SELECT seq FROM seq_1_to_10").rows()).hasSize(10);
        } finally {
            limited.close();
            plain.close();
        }
        assertThatThrownBy(() -> new NativeConnector(fixture.app(), fixture.loops, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWrongPasswordIsRefusedWithErrno1045() {
        DbConnector wrong = new DbConnector(fixture.app().endpoint(), fixture.app().user().withPassword("nope"),
                fixture.app().database(), fixture.app().connectTimeout());
        assertThatThrownBy(() -> await(new NativeConnector(wrong, fixture.loops).connect(fixture.loop)))
                .isInstanceOf(NativeConnectionException.class)
                .hasMessageContaining("refused user vt_app: error 1045 (28000): Access denied for user 'vt_app'")
                .cause().isInstanceOf(MysqlServerException.class)
                .satisfies(e -> assertThat(((MysqlServerException) e).errno()).isEqualTo(1045));
    }

    @Test
    void followsAnAuthSwitchToNativePassword() {
        // unix_socket is tried first and fails (the OS user is not 'switcher'), so mysqld switches the client to
        // mysql_native_password with a fresh seed.
        fixture.dba("CREATE USER 'switcher'@'localhost' IDENTIFIED VIA unix_socket"
                + " OR mysql_native_password USING PASSWORD('sw-pw')");
        DbConnector switcher = new DbConnector(fixture.app().endpoint(), new DbUser("switcher", "sw-pw"));
        NativeConnection c = await(new NativeConnector(switcher, fixture.loops).connect(fixture.loop));
        try {
            assertThat(values(fixture.query(c, "SELECT CURRENT_USER()").rows().get(0)))
                    .containsExactly("switcher@localhost");
        } finally {
            c.close();
        }
        DbConnector wrong = new DbConnector(fixture.app().endpoint(), new DbUser("switcher", "bad"));
        assertThatThrownBy(() -> await(new NativeConnector(wrong, fixture.loops).connect(fixture.loop)))
                .isInstanceOf(NativeConnectionException.class).hasMessageContaining("error 1045");
    }

    @Test
    void aRefusedTcpConnectionSaysSo() {
        DbConnector nowhere = new DbConnector(MysqlEndpoint.tcp("127.0.0.1", FreePorts.next()),
                NativeFixture.TCP_USER);
        assertThatThrownBy(() -> await(new NativeConnector(nowhere, fixture.loops).connect(fixture.loop)))
                .isInstanceOf(NativeConnectionException.class)
                .hasMessageContaining("cannot connect to mysqld at 127.0.0.1:")
                .hasMessageContaining("Connection refused");
    }

    @Test
    void aServerThatNeverAnswersTimesOutAfterTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            DbConnector connector = new DbConnector(MysqlEndpoint.tcp("127.0.0.1", silent.getLocalPort()),
                    NativeFixture.TCP_USER, Optional.empty(), Duration.ofMillis(300));
            var connecting = new NativeConnector(connector, fixture.loops).connect(fixture.loop);
            try (Socket accepted = silent.accept()) {
                assertThatThrownBy(() -> await(connecting))
                        .isInstanceOf(NativeConnectionException.class)
                        .hasMessageContaining("timed out after 300 ms");
                // The client closed its side: reading gives end of stream.
                assertThat(accepted.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void theSessionMatchesAJdbcConnectionOfTheSameConnector() {
        for (DbConnector connector : List.of(fixture.app(), fixture.tcp())) {
            List<String> jdbc = NativeFixture.jdbcRow(connector, SESSION);
            NativeConnection c = await(new NativeConnector(connector, fixture.loops).connect(fixture.loop));
            try {
                List<String> nativeValues = values(fixture.query(c, SESSION).rows().get(0));
                assertThat(nativeValues).as(connector.describe()).isEqualTo(jdbc);
                // Not trivially equal: Connector/J changed these from the server's defaults.
                assertThat(nativeValues.get(1)).contains("STRICT_TRANS_TABLES", "IGNORE_SPACE");
                assertThat(nativeValues.get(5)).isEqualTo("utf8mb4_general_ci");
            } finally {
                c.close();
            }
        }
    }

    @Test
    void updateCountsRowsMatchedAsJdbcDoes() {
        fixture.dba("CREATE TABLE found_rows (id INT PRIMARY KEY, v INT)", "INSERT INTO found_rows VALUES (1, 7)");
        String update = "UPDATE found_rows SET v = v WHERE id = 1";
        long jdbc;
        try (var c = fixture.app().connect(); var s = c.createStatement()) {
            jdbc = s.executeLargeUpdate(update);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        NativeConnection c = fixture.connect();
        try {
            assertThat(fixture.query(c, update).affectedRows()).isEqualTo(jdbc).isEqualTo(1);
        } finally {
            c.close();
        }
    }
}
