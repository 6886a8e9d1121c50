package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.query.Type;
import io.tessera.tablet.mysqlclient.ColumnDefinition;
import io.tessera.tablet.mysqlclient.NativeConnection;
import io.tessera.tablet.mysqlclient.NativeFixture;
import io.tessera.tablet.mysqlclient.NativeResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mariadb.jdbc.client.Column;
import org.mariadb.jdbc.client.result.Result;

/**
 * The native client's column definitions and row payloads are, byte for byte, what the JDBC path reads from MariaDB
 * Connector/J through {@link DriverResults}, for every common MySQL type, NULLs, aliases and expressions, so the
 * query service can build its fields and rows from either.
 */
class NativeResultsMatchJdbcTest {
    @TempDir
    static Path root;

    private static NativeFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new NativeFixture(root);
        fixture.dba("""
                CREATE TABLE all_types (
                  id INT AUTO_INCREMENT PRIMARY KEY,
                  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
                  mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
                  de DECIMAL(30,6), deu DECIMAL(5,2) UNSIGNED, fl FLOAT, db DOUBLE, bt BIT(10), bt1 BIT(1),
                  d DATE, dt DATETIME(6), dt0 DATETIME, ts TIMESTAMP(3) NULL, tm TIME, tm6 TIME(6), yr YEAR,
                  c CHAR(10), vc VARCHAR(100) NOT NULL DEFAULT '', vcb VARCHAR(20) COLLATE utf8mb4_bin,
                  l1 VARCHAR(10) CHARACTER SET latin1, bin BINARY(4), vb VARBINARY(20),
                  tt TINYTEXT, tx TEXT, mt MEDIUMTEXT, lt LONGTEXT, tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB,
                  en ENUM('a','b','ç'), st SET('x','y','z'), js JSON, g GEOMETRY, pt POINT,
                  UNIQUE KEY (i), KEY (vc))""",
                """
                INSERT INTO all_types VALUES (NULL,
                  -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
                  -123456789012345678.123456, 0.5, -1.5e-7, -2.2250738585072014e-308, b'0000000001', b'0',
                  '1000-01-01', '1000-01-01 00:00:00.000001', '2024-02-29 23:59:59', '1970-01-01 00:00:01.001',
                  '-838:59:59', '-01:02:03.000004', 1901,
                  '', 'plain', 'Bin', 'latin', x'00', x'',
                  '', 'text', 'medium', 'long', x'00ff', x'', x'01', x'02',
                  'a', '', '{"k": [1, 2.5, null, "v"]}', ST_GeomFromText('POINT(1 2)'),
                  ST_GeomFromText('POINT(-3.5 4)'))""",
                """
                INSERT INTO all_types VALUES (NULL,
                  127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807,
                  18446744073709551615, 999999999999999999999999.999999, 999.99, 3.40282e38, 1.7976931348623157e308,
                  b'1111111111', b'1', '9999-12-31', '9999-12-31 23:59:59.999999', '2000-01-01 00:00:00',
                  '2038-01-19 03:14:07.999', '838:59:59', '12:34:56.789012', 2155,
                  'héllo €😀', 'quote '' and \\\\ backslash', 'ÄÖÜ', 'ÿé', x'deadbeef', x'00010203ff',
                  'tiny', REPEAT('t', 60000), 'mé€', REPEAT('ü', 100000), x'7f', x'0102', REPEAT(x'ab', 70000),
                  x'00',
                  'ç', 'x,z', '[]', ST_GeomFromText('LINESTRING(0 0, 1 1, 2 0)'), ST_GeomFromText('POINT(0 0)'))""",
                "INSERT INTO all_types (id) VALUES (NULL)");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void everyTypeMatches() {
        Compared r = compare("SELECT * FROM all_types ORDER BY id");
        assertThat(r.nativeResult().rows()).hasSize(3);
        ColumnDefinition tiu = column(r, "tiu");
        assertThat(tiu.flags() & 32).as("UNSIGNED_FLAG").isNotZero();
        assertThat(tiu.table()).isEqualTo("all_types");
        assertThat(tiu.schema()).isEqualTo(NativeFixture.DATABASE);
        assertThat(column(r, "vb").collationId()).isEqualTo(Fields.BINARY_COLLATION);
        assertThat(column(r, "c").collationId()).isEqualTo(45);
        assertThat(column(r, "dt").decimals()).isEqualTo(6);
        // Every column type becomes the same Tessera type the JDBC path gives.
        List<Type> types = r.nativeResult().columns().stream()
                .map(col -> Fields.type(col.type(), col.flags(), col.collationId())).toList();
        assertThat(types).contains(Type.UINT64, Type.INT8, Type.DECIMAL, Type.BIT, Type.DATETIME, Type.TIMESTAMP,
                Type.TIME, Type.YEAR, Type.ENUM, Type.SET, Type.BLOB, Type.TEXT, Type.VARBINARY, Type.BINARY,
                Type.GEOMETRY);
        for (byte[] row : r.nativeResult().rows()) {
            assertThat(TextRows.decode(row, types.size()).getLengthsCount()).isEqualTo(types.size());
        }
        // The NULL row: every value but the id is 0xFB.
        byte[] nulls = r.nativeResult().rows().get(2);
        assertThat(nulls[nulls.length - 1]).isEqualTo((byte) 0xfb);
    }

    @Test
    void aliasesExpressionsAndJoinsMatch() {
        compare("SELECT t.id AS ident, t.vc AS `välue €`, t.i + 1, NULL, 'lit', 1.50, CAST(t.dt AS DATE),"
                + " CONCAT(t.c, t.vb), JSON_EXTRACT(t.js, '$.k'), COUNT(*) OVER (), u.ti"
                + " FROM all_types t JOIN all_types u ON u.id = t.id ORDER BY t.id");
        compare("SELECT 1/0, 18446744073709551615 + 0, -0.0e0, NOW(6) > '2000-01-01', @@version_comment,"
                + " CAST(X'FF' AS BINARY), _latin1 'é', UUID() IS NOT NULL");
        compare("SELECT COUNT(*), MAX(biu), GROUP_CONCAT(en ORDER BY id) FROM all_types");
        compare("SELECT * FROM all_types WHERE id < 0");
        compare("SHOW COLUMNS FROM all_types");
        compare("SELECT seq, REPEAT('r', seq) FROM seq_1_to_300");
    }

    private static ColumnDefinition column(Compared r, String name) {
        return r.nativeResult().columns().stream().filter(col -> col.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private record Compared(NativeResult nativeResult, List<ColumnDefinition> jdbcColumns, List<byte[]> jdbcRows) {}

    /** Runs {@code sql} both ways and checks that column definitions and row payloads are equal. */
    private static Compared compare(String sql) {
        List<ColumnDefinition> jdbcColumns = new ArrayList<>();
        List<byte[]> jdbcRows = new ArrayList<>();
        try (Connection c = fixture.app().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            Result result = DriverResults.unwrap(rs);
            for (Column col : DriverResults.columns(rs)) {
                // Connector/J reads the 32-bit column length as signed (-1 for LONGTEXT); both are the same int.
                jdbcColumns.add(new ColumnDefinition(col.getCatalog() == null ? "def" : col.getCatalog(),
                        col.getSchema(), col.getTableAlias(), col.getTable(), col.getColumnAlias(),
                        col.getColumnName(), DriverResults.collationId(col), col.getColumnLength() & 0xFFFFFFFFL,
                        col.getType().get(), col.getFlags(), col.getDecimals() & 0xff));
            }
            while (rs.next()) {
                jdbcRows.add(DriverResults.currentRowPacket(result).clone());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        NativeConnection c = fixture.connect();
        try {
            NativeResult r = fixture.query(c, sql);
            assertThat(r.columns()).as(sql).isEqualTo(jdbcColumns);
            assertThat(r.rows()).as(sql).hasSameSizeAs(jdbcRows);
            for (int i = 0; i < jdbcRows.size(); i++) {
                if (!Arrays.equals(r.rows().get(i), jdbcRows.get(i))) {
                    throw new AssertionError(sql + ": row " + i + " differs: native "
                            + NativeFixture.values(r.rows().get(i)) + ", JDBC "
                            + NativeFixture.values(jdbcRows.get(i)));
                }
            }
            return new Compared(r, jdbcColumns, jdbcRows);
        } finally {
            c.close();
        }
    }
}
