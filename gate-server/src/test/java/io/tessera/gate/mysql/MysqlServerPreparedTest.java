package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Type;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Server-side prepared statements: parameters decoded into bind variables, results in the binary protocol. */
class MysqlServerPreparedTest {
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
        String o = "useServerPrepStmts=true&" + options;
        return driver.equals("mariadb") ? server.mariadb(o) : server.mysql(o);
    }

    private static String text(BindVariable b) {
        return b.getValue().toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void parametersArriveAsTypedBindVariables(String driver) throws Exception {
        try (Connection c = connect(driver, "");
                PreparedStatement ps = c.prepareStatement("select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?")) {
            ps.setInt(1, -42);
            ps.setLong(2, Long.MIN_VALUE);
            ps.setString(3, "héllo");
            ps.setBytes(4, new byte[] {0, (byte) 0xff, 7});
            ps.setDouble(5, 0.1);
            ps.setFloat(6, 1.25f);
            ps.setBigDecimal(7, new BigDecimal("-123.4500"));
            ps.setDate(8, Date.valueOf("2024-02-29"));
            ps.setTimestamp(9, Timestamp.valueOf("2024-01-02 03:04:05.123456"));
            ps.setTime(10, Time.valueOf("13:14:15"));
            ps.setNull(11, Types.VARCHAR);
            ps.setShort(12, (short) -7);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("-42");
                assertThat(rs.getString(3)).isEqualTo("héllo");
                assertThat(rs.getString(11)).isNull();
            }
            List<BindVariable> p = server.handlers.lastParameters;
            assertThat(p).hasSize(12);
            assertThat(p.get(0).getType()).isIn(Type.INT32, Type.INT64);
            assertThat(text(p.get(0))).isEqualTo("-42");
            assertThat(p.get(1).getType()).isEqualTo(Type.INT64);
            assertThat(text(p.get(1))).isEqualTo(Long.toString(Long.MIN_VALUE));
            assertThat(p.get(2).getType()).isEqualTo(Type.VARCHAR);
            assertThat(text(p.get(2))).isEqualTo("héllo");
            // MariaDB binds bytes as a BLOB, Connector/J as a string type; both arrive as the exact bytes.
            assertThat(p.get(3).getType()).isIn(Type.VARBINARY, Type.VARCHAR);
            assertThat(p.get(3).getValue().toByteArray()).isEqualTo(new byte[] {0, (byte) 0xff, 7});
            assertThat(p.get(4).getType()).isEqualTo(Type.FLOAT64);
            assertThat(text(p.get(4))).isEqualTo("0.1");
            assertThat(p.get(5).getType()).isIn(Type.FLOAT32, Type.FLOAT64);
            assertThat(Double.parseDouble(text(p.get(5)))).isEqualTo(1.25);
            assertThat(p.get(6).getType()).isIn(Type.DECIMAL, Type.VARCHAR);
            assertThat(new BigDecimal(text(p.get(6)))).isEqualByComparingTo("-123.45");
            assertThat(p.get(7).getType()).isIn(Type.DATE, Type.DATETIME);
            assertThat(text(p.get(7))).startsWith("2024-02-29");
            assertThat(p.get(8).getType()).isIn(Type.DATETIME, Type.TIMESTAMP);
            assertThat(text(p.get(8))).isEqualTo("2024-01-02 03:04:05.123456");
            assertThat(p.get(9).getType()).isEqualTo(Type.TIME);
            assertThat(text(p.get(9))).isEqualTo("13:14:15");
            assertThat(p.get(10).getType()).isEqualTo(Type.NULL_TYPE);
            assertThat(p.get(11).getType()).isIn(Type.INT16, Type.INT32);
            assertThat(text(p.get(11))).isEqualTo("-7");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void reexecutingReusesTheBoundTypes(String driver) throws Exception {
        try (Connection c = connect(driver, ""); PreparedStatement ps = c.prepareStatement("select ?, ?")) {
            for (int i = 0; i < 3; i++) {
                ps.setInt(1, i);
                ps.setString(2, "v" + i);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(Integer.toString(i));
                    assertThat(rs.getString(2)).isEqualTo("v" + i);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void updatesReturnOk(String driver) throws Exception {
        try (Connection c = connect(driver, "");
                PreparedStatement ps = c.prepareStatement("insert into t values (?)",
                        java.sql.Statement.RETURN_GENERATED_KEYS)) {
            ps.setInt(1, 5);
            assertThat(ps.executeUpdate()).isEqualTo(1);
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getLong(1)).isEqualTo(7);
            }
        }
    }

    @Test
    void prepareErrorsAreReported() throws Exception {
        try (Connection c = connect("mysql", "emulateUnsupportedPstmts=false")) {
            assertThatThrownBy(() -> c.prepareStatement("error ?").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1064));
            assertThat(server.handlers.lastPrepared).isEqualTo("error ?");
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql"})
    void executeErrorsAreReportedAndTheStatementStaysUsable(String driver) throws Exception {
        try (Connection c = connect(driver, ""); PreparedStatement ps = c.prepareStatement("select ? fail")) {
            ps.setInt(1, 1);
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(ps::executeQuery)
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getErrorCode()).isEqualTo(1064);
                            assertThat(e.getSQLState()).isEqualTo("42000");
                        });
            }
            assertThat(server.handlers.lastPrepared).isEqualTo("select ? fail");
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void longDataIsCollectedAndPassedAsOneValue() throws Exception {
        byte[] blob = new byte[300_000];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) i;
        }
        try (Connection c = connect("mysql", "blobSendChunkSize=65536");
                PreparedStatement ps = c.prepareStatement("select ?, ?")) {
            ps.setBinaryStream(1, new ByteArrayInputStream(blob), blob.length);
            ps.setInt(2, 9);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
            List<BindVariable> p = server.handlers.lastParameters;
            assertThat(p.get(0).getType()).isEqualTo(Type.VARBINARY);
            assertThat(p.get(0).getValue().toByteArray()).isEqualTo(blob);
            assertThat(text(p.get(1))).isEqualTo("9");
            // Long data does not outlive the execute it was sent for.
            ps.setBytes(1, new byte[] {1});
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
            assertThat(server.handlers.lastParameters.get(0).getValue().toByteArray()).isEqualTo(new byte[] {1});
        }
    }

    @Test
    void cursorRequestsGetTheWholeResult() throws Exception {
        try (Connection c = connect("mysql", "useCursorFetch=true&defaultFetchSize=2");
                PreparedStatement ps = c.prepareStatement("select ?")) {
            ps.setFetchSize(2);
            ps.setString(1, "x");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("x");
                assertThat(rs.next()).isFalse();
            }
            assertThat(c.isValid(5)).isTrue();
        }
    }
}
