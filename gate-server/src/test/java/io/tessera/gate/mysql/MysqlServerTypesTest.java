package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every value type and NULLs through the text protocol (COM_QUERY) and the binary protocol (COM_STMT_EXECUTE),
 * read back by both drivers with typed getters: the two encodings must give the same values.
 */
class MysqlServerTypesTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> clients() {
        return Stream.of(Arguments.of("mariadb", false), Arguments.of("mariadb", true), Arguments.of("mysql", false),
                Arguments.of("mysql", true));
    }

    @ParameterizedTest(name = "{0} binary={1}")
    @MethodSource("clients")
    void everyTypeReadsBack(String driver, boolean binary) throws Exception {
        String options = binary ? "useServerPrepStmts=true&cachePrepStmts=false" : "";
        try (Connection c = driver.equals("mariadb") ? server.mariadb(options) : server.mysql(options)) {
            if (binary) {
                try (PreparedStatement ps = c.prepareStatement("select types where ? = 1")) {
                    ps.setInt(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs, driver);
                    }
                }
                assertThat(server.handlers.lastPrepared).isEqualTo("select types where ? = 1");
            } else {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select types")) {
                    check(rs, driver);
                }
            }
        }
    }

    /**
     * A statement whose results come back with the very same column-definition objects (as the executor hands out
     * remembered ones) gets its definitions from the connection's kept encoding from the third result on: the bytes
     * must be those of definitions encoded afresh.
     */
    @Test
    void keptColumnDefinitionsAreTheBytesOfFreshOnes() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            assertThat(c.login("app", 0).isOk()).isTrue();
            List<byte[]> fresh = textResult(c, "select types");
            for (int i = 0; i < 4; i++) {
                List<byte[]> same = textResult(c, "select same types");
                assertThat(same).as("result %d", i).hasSameSizeAs(fresh);
                for (int p = 0; p < fresh.size(); p++) {
                    assertThat(same.get(p)).as("result %d packet %d", i, p).isEqualTo(fresh.get(p));
                }
            }
        }
        try (Connection c = server.mariadb("useServerPrepStmts=true&cachePrepStmts=false");
                PreparedStatement ps = c.prepareStatement("select same types where ? = 1")) {
            for (int i = 0; i < 4; i++) {
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs, "mariadb");
                }
            }
        }
    }

    /** Every packet payload of a text-protocol result set: column count, definitions, EOF, rows, EOF. */
    private static List<byte[]> textResult(RawClient c, String sql) throws Exception {
        c.query(sql);
        List<byte[]> packets = new ArrayList<>();
        int eofs = 0;
        while (eofs < 2) {
            RawClient.Packet p = c.read();
            assertThat(p.isErr()).as("error %s", p.isErr() ? p.message() : "").isFalse();
            packets.add(p.payload());
            if (p.first() == 0xfe && p.payload().length < 9) {
                eofs++;
            }
        }
        return packets;
    }

    private static void check(ResultSet rs, String driver) throws SQLException {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt("c_tiny")).isEqualTo(-5);
        assertThat(rs.getInt("c_utiny")).isEqualTo(250);
        assertThat(rs.getInt("c_small")).isEqualTo(-30000);
        assertThat(rs.getInt("c_usmall")).isEqualTo(65000);
        assertThat(rs.getInt("c_medium")).isEqualTo(-8000000);
        assertThat(rs.getInt("c_umedium")).isEqualTo(16000000);
        assertThat(rs.getInt("c_int")).isEqualTo(-2000000000);
        assertThat(rs.getLong("c_uint")).isEqualTo(4000000000L);
        assertThat(rs.getLong("c_big")).isEqualTo(-9000000000000000000L);
        assertThat(rs.getBigDecimal("c_ubig")).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(rs.getString("c_ubig")).isEqualTo("18446744073709551615");
        assertThat(rs.getFloat("c_float")).isEqualTo(1.5f);
        assertThat(rs.getDouble("c_double")).isEqualTo(-2.25e-10);
        assertThat(rs.getBigDecimal("c_decimal")).isEqualTo(new BigDecimal("12345.678"));
        assertThat(rs.getTimestamp("c_timestamp")).isEqualTo(Timestamp.valueOf("2024-01-02 03:04:05.123456"));
        assertThat(rs.getTimestamp("c_datetime")).isEqualTo(Timestamp.valueOf("2024-01-02 03:04:05"));
        assertThat(rs.getDate("c_date")).isEqualTo(Date.valueOf("2024-01-02"));
        assertThat(rs.getTime("c_time")).isEqualTo(Time.valueOf("12:34:56"));
        assertThat(rs.getString("c_neg_time")).startsWith("-838:59:59");
        assertThat(rs.getInt("c_year")).isEqualTo(2024);
        assertThat(rs.getString("c_varchar")).isEqualTo("héllo wörld");
        assertThat(rs.getBytes("c_varbinary")).isEqualTo(TypeSamples.VARBINARY_BYTES);
        assertThat(rs.getString("c_char")).isEqualTo("abc");
        assertThat(rs.getBytes("c_binary")).isEqualTo(new byte[] {'a', 'b', 0});
        assertThat(rs.getString("c_text")).isEqualTo("some text");
        assertThat(rs.getBytes("c_blob")).isEqualTo(TypeSamples.BLOB_BYTES);
        assertThat(rs.getLong("c_bit")).isEqualTo(5);
        assertThat(rs.getString("c_enum")).isEqualTo("b");
        assertThat(rs.getString("c_set")).isEqualTo("a,c");
        assertThat(rs.getString("c_json")).isEqualTo("{\"a\": 1}");
        assertThat(rs.getString("c_expression")).isEqualTo("expr");
        assertThat(rs.getObject("c_null")).isNull();
        assertThat(rs.wasNull()).isTrue();

        assertThat(rs.next()).isTrue();
        for (int i = 1; i <= TypeSamples.ALL.size(); i++) {
            assertThat(rs.getObject(i)).as(driver + " column " + TypeSamples.ALL.get(i - 1).name()).isNull();
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.getString(i)).isNull();
        }
        assertThat(rs.next()).isFalse();
    }
}
