package io.tessera.tablet.mysqlclient;

import static io.tessera.tablet.mysqlclient.NativeFixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statements and their results: OKs, result sets small and large, warnings, errors, several results. */
class NativeQueryTest {
    private static final int MIB = 1 << 20;

    @TempDir
    static Path root;

    private static NativeFixture fixture;
    private NativeConnection c;

    @BeforeAll
    static void start() {
        fixture = new NativeFixture(root);
        fixture.dba("CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20), small TINYINT)",
                "CREATE PROCEDURE two_results() BEGIN SELECT 1 AS a, 'x' AS b; SELECT 2 AS c; END");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void connect() {
        fixture.dba("TRUNCATE TABLE t");
        c = fixture.connect();
    }

    @AfterEach
    void close() {
        c.close();
    }

    private NativeResult query(String sql) {
        return fixture.query(c, sql);
    }

    @Test
    void insertUpdateDeleteReportAffectedRowsAndTheInsertId() {
        NativeResult insert = query("INSERT INTO t (v) VALUES ('a'), ('b'), ('c')");
        assertThat(insert.hasResultSet()).isFalse();
        assertThat(insert.affectedRows()).isEqualTo(3);
        // As MySQL reports it: the id of the first row of a multi-row insert.
        assertThat(insert.lastInsertId()).isEqualTo(1);
        assertThat(query("INSERT INTO t (v) VALUES ('d')").lastInsertId()).isEqualTo(4);
        NativeResult update = query("UPDATE t SET v = 'z' WHERE id <= 2");
        assertThat(update.affectedRows()).isEqualTo(2);
        assertThat(update.lastInsertId()).isZero();
        assertThat(query("DELETE FROM t WHERE id > 1").affectedRows()).isEqualTo(3);
        assertThat(query("DELETE FROM t WHERE id > 100").affectedRows()).isZero();
        assertThat(update.statusFlags() & Capabilities.SERVER_STATUS_AUTOCOMMIT).isNotZero();
    }

    @Test
    void warningsAreCounted() {
        NativeResult division = query("SELECT 1/0");
        assertThat(values(division.rows().get(0))).containsExactly((String) null);
        assertThat(division.warnings()).isEqualTo(1);
        NativeResult truncated = query("INSERT IGNORE INTO t (small) VALUES (1000), (-1000), (5)");
        assertThat(truncated.affectedRows()).isEqualTo(3);
        assertThat(truncated.warnings()).isEqualTo(2);
        assertThat(query("SELECT 1").warnings()).isZero();
    }

    @Test
    void anEmptyResultHasItsColumnsAndNoRows() {
        NativeResult r = query("SELECT id, v FROM t WHERE id < 0");
        assertThat(r.hasResultSet()).isTrue();
        assertThat(r.columns()).extracting(ColumnDefinition::name).containsExactly("id", "v");
        assertThat(r.rows()).isEmpty();
        assertThat(r.affectedRows()).isZero();
    }

    @Test
    void tenThousandRows() {
        NativeResult r = query("SELECT seq, CONCAT('row-', seq) FROM seq_1_to_10000");
        assertThat(r.rows()).hasSize(10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(values(r.rows().get(i))).containsExactly(Integer.toString(i + 1), "row-" + (i + 1));
        }
        assertThat(values(query("SELECT 'next'").rows().get(0))).containsExactly("next");
    }

    @Test
    void rowsOfSixteenMebibytesAndMoreAreJoinedFromTheirPackets() {
        // 17 MiB: a value with an 8-byte length, in a payload split over two packets.
        NativeResult big = query("SELECT 1, REPEAT('x', " + 17 * MIB + "), 'end'");
        byte[] row = big.rows().get(0);
        assertThat(row).hasSize(2 + 9 + 17 * MIB + 4);
        assertThat(values(row)).containsExactly("1", "x".repeat(17 * MIB), "end");
        // A payload of exactly 0xFFFFFF bytes is followed by an empty packet.
        int exact = 0xFFFFFF - 4;
        NativeResult edge = query("SELECT REPEAT('y', " + exact + ")");
        assertThat(edge.rows().get(0)).hasSize(0xFFFFFF);
        assertThat(values(edge.rows().get(0)).get(0)).hasSize(exact);
        assertThat(values(query("SELECT 'after'").rows().get(0))).containsExactly("after");
    }

    @Test
    void statementsOfSixteenMebibytesAndMoreAreSplitIntoPackets() {
        String literal = "é".repeat(9 * MIB); // 18 MiB of UTF-8
        assertThat(values(query("SELECT CHAR_LENGTH('" + literal + "')").rows().get(0)))
                .containsExactly(Integer.toString(9 * MIB));
        int exact = 0xFFFFFF - 1 - "SELECT LENGTH('')".length();
        assertThat(values(query("SELECT LENGTH('" + "z".repeat(exact) + "')").rows().get(0)))
                .containsExactly(Integer.toString(exact));
    }

    @Test
    void aSyntaxErrorKeepsErrnoStateAndMessageAndTheConnectionStaysUsable() throws SQLException {
        String bad = "SELEC 1";
        String jdbcMessage;
        try (Connection j = fixture.app().connect(); Statement s = j.createStatement()) {
            s.execute(bad);
            throw new AssertionError("JDBC accepted " + bad);
        } catch (SQLException e) {
            jdbcMessage = e.getMessage().replaceFirst("^\\(conn=\\d+\\) ", "");
        }
        assertThatThrownBy(() -> query(bad))
                .isInstanceOfSatisfying(MysqlServerException.class, e -> {
                    assertThat(e.errno()).isEqualTo(1064);
                    assertThat(e.sqlState()).isEqualTo("42000");
                    assertThat(e.getMessage()).isEqualTo(jdbcMessage)
                            .startsWith("You have an error in your SQL syntax");
                });
        assertThat(c.isUsable()).isTrue();
        assertThat(values(query("SELECT 2").rows().get(0))).containsExactly("2");
    }

    @Test
    void aCallReturnsItsFirstResultAndLeavesTheConnectionReady() {
        NativeResult r = query("CALL two_results()");
        assertThat(r.columns()).extracting(ColumnDefinition::name).containsExactly("a", "b");
        assertThat(r.rows()).hasSize(1);
        assertThat(values(r.rows().get(0))).containsExactly("1", "x");
        assertThat(r.statusFlags() & Capabilities.SERVER_MORE_RESULTS_EXISTS).isNotZero();
        assertThat(c.isUsable()).isTrue();
        assertThat(values(query("SELECT 3").rows().get(0))).containsExactly("3");
        // A CALL without a result set: its OK.
        fixture.dba("CREATE PROCEDURE IF NOT EXISTS add_row() INSERT INTO t (v) VALUES ('p')");
        assertThat(query("CALL add_row()").affectedRows()).isEqualTo(1);
        assertThat(values(query("SELECT COUNT(*) FROM t").rows().get(0))).containsExactly("1");
    }

    @Test
    void columnNamesAndValuesAreUtf8() {
        NativeResult r = query("SELECT 'héllo €😀' AS `nämé €`");
        assertThat(r.columns().get(0).name()).isEqualTo("nämé €");
        assertThat(r.rows().get(0)).isEqualTo(withLength("héllo €😀".getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] withLength(byte[] value) {
        byte[] out = Arrays.copyOf(new byte[] {(byte) value.length}, 1 + value.length);
        System.arraycopy(value, 0, out, 1, value.length);
        return out;
    }

    @Test
    void theOlderEofFramingGivesTheSameResults() {
        // MariaDB offers DEPRECATE_EOF, so only a client that does not ask for it sees EOF packets.
        NativeConnection old = NativeFixture.await(
                new NativeConnector(fixture.app(), fixture.loops, false, 0).connect(fixture.loop));
        try {
            query("INSERT INTO t (v, small) VALUES ('a', 1), ('b', NULL)");
            for (String sql : List.of("SELECT * FROM t ORDER BY id", "SELECT * FROM t WHERE id < 0", "SELECT 1/0",
                    "CALL two_results()", "INSERT IGNORE INTO t (small) VALUES (1000)",
                    "SELECT seq FROM seq_1_to_2000")) {
                NativeResult expected = query(sql);
                NativeResult actual = fixture.query(old, sql);
                assertThat(actual.columns()).as(sql).isEqualTo(expected.columns());
                assertThat(actual.rows()).as(sql).usingElementComparator(Arrays::compare)
                        .containsExactlyElementsOf(expected.rows());
                assertThat(actual.warnings()).as(sql).isEqualTo(expected.warnings());
                assertThat(actual.affectedRows()).as(sql).isEqualTo(expected.affectedRows());
                assertThat(actual.statusFlags()).as(sql).isEqualTo(expected.statusFlags());
            }
            assertThatThrownBy(() -> fixture.query(old, "SELEC 1")).isInstanceOf(MysqlServerException.class);
            assertThat(values(fixture.query(old, "SELECT 'ok'").rows().get(0))).containsExactly("ok");
        } finally {
            old.close();
        }
    }

    @Test
    void resultsAreImmutable() {
        NativeResult r = query("SELECT 1");
        assertThatThrownBy(() -> r.rows().add(new byte[0])).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.columns().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(List.of(r.columns().get(0).catalog())).containsExactly("def");
    }
}
