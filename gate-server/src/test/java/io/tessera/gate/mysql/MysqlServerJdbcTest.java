package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The text protocol and the simple commands through the MariaDB and MySQL JDBC drivers. */
class MysqlServerJdbcTest {
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Connection connect(String driver, String options) throws SQLException {
        return driver.equals("mariadb") ? server.mariadb(options) : server.mysql(options);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void selectReturnsRowsAndMetadata(String driver) throws Exception {
        try (Connection c = connect(driver, ""); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select 3")) {
            ResultSetMetaData md = rs.getMetaData();
            assertThat(md.getColumnCount()).isEqualTo(4);
            assertThat(md.getColumnLabel(1)).isEqualTo("n");
            assertThat(md.getColumnType(1)).isEqualTo(Types.BIGINT);
            assertThat(md.getColumnType(2)).isEqualTo(Types.VARCHAR);
            assertThat(md.getColumnType(3)).isEqualTo(Types.DECIMAL);
            assertThat(md.getColumnType(4)).isEqualTo(Types.TIMESTAMP);
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getBigDecimal(3) + "|"
                        + rs.getTimestamp(4));
            }
            assertThat(rows).containsExactly(
                    "1|name-1|1.50|2024-01-02 10:00:00.0",
                    "2|name-2|2.50|2024-01-03 10:00:00.0",
                    "3|name-3|3.50|2024-01-04 10:00:00.0");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void okPacketCarriesAffectedRowsAndInsertId(String driver) throws Exception {
        try (Connection c = connect(driver, ""); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("insert into t values (1)", Statement.RETURN_GENERATED_KEYS)).isEqualTo(3);
            try (ResultSet keys = st.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getLong(1)).isEqualTo(42);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void handlerErrorsBecomeErrPacketsAndTheConnectionStays(String driver) throws Exception {
        try (Connection c = connect(driver, ""); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("select error"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1064);
                        assertThat(e.getSQLState()).isEqualTo("42000");
                        assertThat(e.getMessage()).contains("You have an error in your SQL syntax");
                    });
            assertThatThrownBy(() -> st.executeQuery("select boom"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1105);
                        assertThat(e.getSQLState()).isEqualTo("HY000");
                        assertThat(e.getMessage()).contains("internal error").contains("boom");
                    });
            try (ResultSet rs = st.executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void multiStatementsReturnEveryResult(String driver) throws Exception {
        try (Connection c = connect(driver, "allowMultiQueries=true"); Statement st = c.createStatement()) {
            assertThat(st.execute("select 1; insert into t values (1); select 2")).isTrue();
            try (ResultSet rs = st.getResultSet()) {
                assertThat(count(rs)).isEqualTo(1);
            }
            assertThat(st.getMoreResults()).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(3);
            assertThat(st.getMoreResults()).isTrue();
            try (ResultSet rs = st.getResultSet()) {
                assertThat(count(rs)).isEqualTo(2);
            }
            assertThat(st.getMoreResults()).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void anErrorAfterAFirstResultComesAfterIt(String driver) throws Exception {
        try (Connection c = connect(driver, "allowMultiQueries=true"); Statement st = c.createStatement()) {
            SQLException error = null;
            int firstRows = -1;
            try {
                assertThat(st.execute("select 2; select error; select 3")).isTrue();
                try (ResultSet rs = st.getResultSet()) {
                    firstRows = count(rs);
                }
                st.getMoreResults();
            } catch (SQLException e) {
                error = e;
            }
            assertThat((Throwable) error).isNotNull();
            assertThat(error.getErrorCode()).isEqualTo(1064);
            // A driver may report the error before handing out the first result, but must not lose sync.
            assertThat(firstRows).isIn(-1, 2);
            try (ResultSet rs = st.executeQuery("select 4")) {
                assertThat(count(rs)).isEqualTo(4);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void initDbChangesTheDatabaseAndReportsErrors(String driver) throws Exception {
        try (Connection c = connect(driver, "")) {
            c.setCatalog("other");
            assertThat(server.handlers.last().database).isEqualTo("other");
            assertThatThrownBy(() -> c.setCatalog("nope"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1049));
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void aRefusedSessionIsReportedAtConnect(String driver) {
        String url = driver.equals("mariadb") ? server.mariadbUrl("nope", "user=app&password=x")
                : server.mysqlUrl("nope", "user=app&password=x&sslMode=DISABLED");
        assertThatThrownBy(() -> java.sql.DriverManager.getConnection(url).close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1049);
                    assertThat(e.getMessage()).contains("Unknown database 'nope'");
                });
        assertThat(server.counter("tessera_gate_connections_refused", "reason", "session")).isEqualTo(1);
    }

    @Test
    void theHandlerSeesTheClientAndTheAgreedCapabilities() throws Exception {
        try (Connection c = server.mysql("allowMultiQueries=true&useAffectedRows=false")) {
            ScriptedHandlerFactory.Handler h = server.handlers.last();
            assertThat(h.client.user().user()).isEqualTo("app");
            assertThat(h.client.user().userData()).isEqualTo("app");
            assertThat(h.client.user().remote().getAddress().isLoopbackAddress()).isTrue();
            assertThat(h.client.database()).isEqualTo("ks");
            assertThat(h.client.multiStatements()).isTrue();
            assertThat(h.client.foundRows()).isTrue();
            assertThat(h.client.connectionId()).isPositive();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
                assertThat(rs).isNotNull();
            }
        }
    }

    @Test
    void resetConnectionResetsTheSession() throws Exception {
        try (Connection c = server.mysql("")) {
            c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).resetServerState();
            assertThat(server.handlers.last().resets.get()).isEqualTo(1);
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void changeUserReauthenticatesAndMovesTheSession() throws Exception {
        try (Connection c = server.mysql("")) {
            c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).changeUser("other", "pw");
            ScriptedHandlerFactory.Handler h = server.handlers.last();
            assertThat(h.user.user()).isEqualTo("other");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select user()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("other");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void payloadsOfSixteenMegabytesAndMoreTravelBothWays(String driver) throws Exception {
        int size = 17 * 1024 * 1024 + 3;
        try (Connection c = connect(driver, "maxAllowedPacket=67108864"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select big " + size)) {
                assertThat(rs.next()).isTrue();
                byte[] v = rs.getBytes(1);
                assertThat(v).hasSize(size);
                assertThat(v[0]).isEqualTo((byte) 'x');
                assertThat(v[size - 1]).isEqualTo((byte) 'y');
            }
            String text = "z".repeat(size);
            try (ResultSet rs = st.executeQuery("select length " + text)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(size);
            }
            // A payload of exactly one full chunk ends with an empty packet.
            String exact = "z".repeat(Protocol.MAX_CHUNK - 1 - "select length ".length());
            try (ResultSet rs = st.executeQuery("select length " + exact)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(exact.length());
            }
        }
    }

    @Test
    void timestampsComeBackExactly() throws Exception {
        try (Connection c = server.mariadb(""); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getTimestamp("created")).isEqualTo(Timestamp.valueOf("2024-01-02 10:00:00"));
            assertThat(rs.getBigDecimal("ratio")).isEqualTo(new BigDecimal("1.50"));
        }
    }

    private static int count(ResultSet rs) throws SQLException {
        int n = 0;
        while (rs.next()) {
            n++;
        }
        return n;
    }
}
