package io.tessera.tablet.mysqlclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
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

/**
 * Server-side prepared statements on a native connection: a prepared SELECT's rows, read in the binary protocol, are
 * byte for byte the text-protocol rows the same SELECT gives as COM_QUERY, for every type they can be rendered for;
 * parameters mean what the literals mean; a connection keeps the statements it used last and closes the others on
 * mysqld; refusals and unreadable results leave the connection usable.
 */
class NativePreparedTest {
    @TempDir
    static Path root;

    private static NativeFixture fixture;
    private NativeConnection c;

    @BeforeAll
    static void start() {
        fixture = new NativeFixture(root);
        fixture.dba("SET SESSION sql_mode = ''", """
                CREATE TABLE typed (
                  id INT PRIMARY KEY,
                  ti TINYINT, tiu TINYINT UNSIGNED, tiz TINYINT(3) ZEROFILL, si SMALLINT, siu SMALLINT UNSIGNED,
                  mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, iz INT(6) ZEROFILL,
                  bi BIGINT, biu BIGINT UNSIGNED, biz BIGINT ZEROFILL, de DECIMAL(30,6), dz DECIMAL(8,2) ZEROFILL,
                  bt BIT(10), d DATE, dt0 DATETIME, dt3 DATETIME(3), dt6 DATETIME(6), ts TIMESTAMP(2) NULL,
                  tm TIME, tm2 TIME(2), tm6 TIME(6), yr YEAR,
                  c CHAR(10), vc VARCHAR(300), bin BINARY(4), vb VARBINARY(20), tx MEDIUMTEXT, bl BLOB,
                  en ENUM('a','b','ç'), st SET('x','y','z'), js JSON, g GEOMETRY)""",
                """
                INSERT INTO typed VALUES (1,
                  -128, 0, 0, -32768, 0, -8388608, 0, -2147483648, 0, 0,
                  -9223372036854775808, 0, 0, -123456789012345678.123456, 0,
                  b'0000000001', '1000-01-01', '1000-01-01 00:00:00', '1000-01-01 00:00:00.001',
                  '1000-01-01 00:00:00.000001', '1970-01-01 00:00:01.01',
                  '-838:59:59', '-00:00:00.01', '-01:02:03.000004', 1901,
                  '', '', x'00', x'', '', x'', 'a', '', '{}', ST_GeomFromText('POINT(1 2)'))""",
                """
                INSERT INTO typed VALUES (2,
                  127, 255, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 42,
                  9223372036854775807, 18446744073709551615, 7, 999999999999999999999999.999999, 12.5,
                  b'1111111111', '9999-12-31', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999',
                  '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.99',
                  '838:59:59', '00:00:00', '12:34:56.789012', 2155,
                  'héllo €😀', REPEAT('v', 300), x'deadbeef', x'00010203ff', REPEAT('ü', 70000), x'0102',
                  'ç', 'x,z', '[1, 2.5, null]', ST_GeomFromText('LINESTRING(0 0, 1 1)'))""",
                """
                INSERT INTO typed VALUES (3,
                  0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0,
                  b'0', '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000', '2024-02-29 12:00:00',
                  '0000-00-00 00:00:00', '00:00:00', '10:00:00.5', '-00:00:01', 0,
                  'x', 'y', x'01', x'02', 'z', x'03', 'b', 'y', 'null', NULL)""",
                "INSERT INTO typed (id) VALUES (4)",
                "CREATE TABLE floats (id INT PRIMARY KEY, f FLOAT, d DOUBLE)",
                "INSERT INTO floats VALUES (1, 0.1, 1e300)");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void connect() {
        c = fixture.connect();
    }

    @AfterEach
    void close() {
        c.close();
    }

    @Test
    void everyRenderableTypeReadsBackAsTheTextProtocolHasIt() {
        ServerStatement s = prepare("SELECT * FROM typed WHERE id >= ? ORDER BY id", 4);
        assertThat(s.parameters()).isEqualTo(1);
        assertThat(s.columns()).allMatch(ServerStatement::readableAsText);
        NativeResult prepared = execute(s, new Parameter.Int(0, false));
        NativeResult text = fixture.query(c, "SELECT * FROM typed WHERE id >= 0 ORDER BY id");
        assertThat(prepared.columns()).isEqualTo(text.columns());
        assertThat(prepared.rows()).hasSize(4).hasSameSizeAs(text.rows());
        for (int i = 0; i < text.rows().size(); i++) {
            if (!Arrays.equals(prepared.rows().get(i), text.rows().get(i))) {
                throw new AssertionError("row " + i + " differs: prepared " + NativeFixture.values(
                        prepared.rows().get(i)) + ", text " + NativeFixture.values(text.rows().get(i)));
            }
        }
        // Spot checks of what the conversion writes, as mysqld writes it.
        List<String> zeros = NativeFixture.values(prepared.rows().get(2));
        assertThat(zeros).contains("001", "000001", "00000000000000000001", "0000-00-00 00:00:00.000",
                "-00:00:01.000000", "0000");
        assertThat(NativeFixture.values(prepared.rows().get(0))).contains("-838:59:59", "-00:00:00.01",
                "1000-01-01 00:00:00.000001", "-9223372036854775808");
        assertThat(NativeFixture.values(prepared.rows().get(1))).contains("18446744073709551615", "255",
                "000042", "2038-01-19 03:14:07.99");
        assertThat(prepared.warnings()).isEqualTo(text.warnings());
    }

    @Test
    void parametersMeanWhatTheirLiteralsMean() {
        ServerStatement s = prepare("SELECT id FROM typed WHERE biu = ? OR vc = ? OR c = ? OR ti = ? ORDER BY id", 4);
        assertThat(ids(execute(s, new Parameter.Int(-1, true), Parameter.NULL, text("HÉLLO €😀"),
                new Parameter.Int(-128, false)))).containsExactly("1", "2");
        assertThat(ids(fixture.query(c, "SELECT id FROM typed WHERE biu = 18446744073709551615 OR vc = NULL"
                + " OR c = 'HÉLLO €😀' OR ti = -128 ORDER BY id"))).containsExactly("1", "2");
        // A string with a quote and a backslash is a value, not SQL.
        assertThat(ids(execute(s, new Parameter.Int(5, false), text("y"), text("x' OR '1'='1 \\"),
                Parameter.NULL))).containsExactly("3");
        // A number compared with a string column compares as a number, as with a literal.
        ServerStatement byString = prepare("SELECT id FROM typed WHERE c = ?", 4);
        assertThat(ids(execute(byString, new Parameter.Int(0, false)))).isEqualTo(
                ids(fixture.query(c, "SELECT id FROM typed WHERE c = 0")));
    }

    @Test
    void floatsAreNotRenderedButTheConnectionGoesOn() {
        ServerStatement s = prepare("SELECT id, f, d FROM floats WHERE id = ?", 4);
        assertThat(s.columns().stream().map(ServerStatement::readableAsText).toList())
                .containsExactly(true, false, false);
        assertThatThrownBy(() -> execute(s, new Parameter.Int(1, false)))
                .isInstanceOf(BinaryResultException.class);
        assertThat(c.isUsable()).isTrue();
        assertThat(NativeFixture.values(fixture.query(c, "SELECT f, d FROM floats").rows().get(0)))
                .containsExactly("0.1", "1e300");
    }

    @Test
    void theConnectionKeepsTheStatementsUsedLastAndClosesTheOthersOnMysqld() {
        long before = preparedOnServer();
        ServerStatement one = prepare("SELECT id FROM typed WHERE id = ?", 2);
        ServerStatement two = prepare("SELECT ti FROM typed WHERE id = ?", 2);
        assertThat(c.preparedStatement(one.sql())).isEqualTo(one); // used last now
        prepare("SELECT tiu FROM typed WHERE id = ?", 2);
        assertThat(c.preparedStatements()).isEqualTo(2);
        assertThat(c.preparedStatement(two.sql())).isNull();
        assertThat(c.preparedStatement(one.sql())).isEqualTo(one);
        // The close rides along with the next command.
        fixture.query(c, "SELECT 1");
        assertThat(preparedOnServer() - before).isEqualTo(2);
        assertThat(ids(execute(one, new Parameter.Int(3, false)))).containsExactly("3");
        c.closeStatement(one);
        assertThat(c.preparedStatement(one.sql())).isNull();
        fixture.query(c, "SELECT 1");
        assertThat(preparedOnServer() - before).isEqualTo(1);
        c.close();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> preparedOnServer() == before);
    }

    @Test
    void aStatementMysqldRefusesToPrepareLeavesTheConnectionUsable() {
        assertThatThrownBy(() -> prepare("SELECT * FROM missing WHERE id = ?", 4))
                .isInstanceOfSatisfying(MysqlServerException.class, e -> assertThat(e.errno()).isEqualTo(1146));
        assertThatThrownBy(() -> prepare("SELECT id FROM typed WHERE", 4))
                .isInstanceOfSatisfying(MysqlServerException.class, e -> assertThat(e.errno()).isEqualTo(1064));
        assertThat(c.preparedStatements()).isZero();
        assertThat(NativeFixture.values(fixture.query(c, "SELECT 7").rows().get(0))).containsExactly("7");
        ServerStatement s = prepare("SELECT id FROM typed WHERE id = ?", 4);
        assertThatThrownBy(() -> execute(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 1 parameters, got 0");
    }

    @Test
    void anExecuteThatFailsOnMysqldReportsItsError() {
        fixture.dba("CREATE TABLE dropped (id INT PRIMARY KEY)");
        ServerStatement s = prepare("SELECT id FROM dropped WHERE id = ?", 4);
        fixture.dba("DROP TABLE dropped");
        assertThatThrownBy(() -> execute(s, new Parameter.Int(1, false)))
                .isInstanceOfSatisfying(MysqlServerException.class, e -> assertThat(e.errno()).isEqualTo(1146));
        assertThat(c.isUsable()).isTrue();
    }

    /**
     * MariaDB 10.6+ offers MARIADB_CLIENT_CACHE_METADATA and the connection takes it: an execute whose column
     * definitions mysqld already sent for the statement comes back without them and carries the ones kept (the
     * very same objects), and a table change that alters them brings them back with the next result.
     */
    @Test
    void repeatedExecutesReuseTheDefinitionsMysqldLeavesOut() {
        assertThat(c.cachesMetadata()).isTrue();
        fixture.dba("CREATE TABLE shifting (id INT PRIMARY KEY, a VARCHAR(10))", "INSERT INTO shifting VALUES (1, 'x')");
        ServerStatement s = prepare("SELECT * FROM shifting WHERE id = ?", 4);
        NativeResult first = execute(s, new Parameter.Int(1, false));
        NativeResult second = execute(s, new Parameter.Int(1, false));
        NativeResult third = execute(s, new Parameter.Int(1, false));
        assertThat(first.columns()).extracting(ColumnDefinition::name).containsExactly("id", "a");
        assertThat(second.columns()).isSameAs(first.columns()).as("left out by mysqld, taken from the connection");
        assertThat(third.columns()).isSameAs(first.columns());
        assertThat(NativeFixture.values(third.rows().get(0))).containsExactly("1", "x");

        fixture.dba("ALTER TABLE shifting ADD COLUMN b INT DEFAULT 7, MODIFY a VARCHAR(40)");
        NativeResult altered = execute(s, new Parameter.Int(1, false));
        assertThat(altered.columns()).extracting(ColumnDefinition::name).containsExactly("id", "a", "b");
        assertThat(altered.columns().get(1).columnLength()).isGreaterThan(first.columns().get(1).columnLength());
        assertThat(NativeFixture.values(altered.rows().get(0))).containsExactly("1", "x", "7");
        NativeResult again = execute(s, new Parameter.Int(1, false));
        assertThat(again.columns()).isSameAs(altered.columns());
        assertThat(NativeFixture.values(again.rows().get(0))).containsExactly("1", "x", "7");

        // The text protocol is unaffected: every result carries its definitions.
        assertThat(NativeFixture.values(fixture.query(c, "SELECT b, a FROM shifting").rows().get(0)))
                .containsExactly("7", "x");
    }

    /**
     * A result that cannot be rendered as text still brought its definitions: the next execute of the statement,
     * which mysqld sends without them, is read with the right ones.
     */
    @Test
    void definitionsThatCameWithAFailedResultAreKeptToo() {
        fixture.dba("CREATE TABLE turning (id INT PRIMARY KEY, v INT)", "INSERT INTO turning VALUES (1, 5)");
        ServerStatement s = prepare("SELECT id, v FROM turning WHERE id = ?", 4);
        assertThat(NativeFixture.values(execute(s, new Parameter.Int(1, false)).rows().get(0)))
                .containsExactly("1", "5");
        fixture.dba("ALTER TABLE turning MODIFY v DOUBLE");
        assertThatThrownBy(() -> execute(s, new Parameter.Int(1, false)))
                .isInstanceOf(BinaryResultException.class);
        fixture.dba("ALTER TABLE turning MODIFY v VARCHAR(5)");
        NativeResult back = execute(s, new Parameter.Int(1, false));
        assertThat(back.columns().get(1).type()).isEqualTo(253);
        assertThat(NativeFixture.values(back.rows().get(0))).containsExactly("1", "5");
        assertThatThrownBy(() -> {
            fixture.dba("ALTER TABLE turning MODIFY v DOUBLE");
            execute(s, new Parameter.Int(1, false));
        }).isInstanceOf(BinaryResultException.class);
        assertThatThrownBy(() -> execute(s, new Parameter.Int(1, false)))
                .as("left out now, and still known to be a DOUBLE").isInstanceOf(BinaryResultException.class);
        assertThat(c.isUsable()).isTrue();
    }

    private ServerStatement prepare(String sql, int keep) {
        return NativeFixture.await(fixture.onLoop(() -> c.prepare(sql, keep)));
    }

    private NativeResult execute(ServerStatement s, Parameter... parameters) {
        return NativeFixture.await(fixture.onLoop(() -> c.execute(s, List.of(parameters))));
    }

    private static Parameter text(String s) {
        return new Parameter.Text(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> ids(NativeResult r) {
        return r.rows().stream().map(row -> NativeFixture.values(row).get(0)).toList();
    }

    private static long preparedOnServer() {
        try (Connection conn = fixture.mysqld.dba().connect(); Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'")) {
            rs.next();
            return rs.getLong(2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
