package io.tessera.tablet.queryservice;

import static io.tessera.tablet.queryservice.QueryServiceFixture.execute;
import static io.tessera.tablet.queryservice.QueryServiceFixture.rows;
import static io.tessera.tablet.queryservice.QueryServiceFixture.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.Type;
import io.tessera.proto.topodata.TabletType;
import io.tessera.queryservice.GrpcQueryServiceClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SELECTs sent with bind variables run as server-side prepared statements on the native path, and answer exactly
 * what the same statement answers in a transaction (the JDBC path, as text): fields and rows. What must not run
 * prepared (expressions, FLOAT and DOUBLE columns, values of other kinds, statements mysqld will not prepare) runs as
 * text, and a table changed under a prepared statement still gives the right rows.
 */
class PreparedSelectsTest {
    @TempDir
    static Path root;

    private static QueryServiceFixture fixture;
    private static GrpcQueryServiceClient client;

    @BeforeAll
    static void start() {
        fixture = new QueryServiceFixture(root, true);
        fixture.dba("""
                CREATE TABLE items (
                  id BIGINT UNSIGNED PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2), made DATETIME(3),
                  took TIME, weight DOUBLE, tag ENUM('a','b'), n INT)""",
                "INSERT INTO items VALUES (1, 'one', 1.50, '2024-01-02 03:04:05.006', '-01:00:00', 0.1, 'a', NULL),"
                        + " (2, 'twö €', 20.00, '1999-12-31 23:59:59.999', '838:59:59', 1e300, 'b', -7),"
                        + " (18446744073709551615, 'max', NULL, NULL, NULL, NULL, NULL, 0)");
        client = fixture.serve(QueryServiceConfig.defaults()).client();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aSelectWithBindVariablesRunsPreparedAndAnswersAsText() {
        long prepares = status("Com_stmt_prepare");
        long executes = status("Com_stmt_execute");
        String sql = "SELECT id, name, price, made, took, tag, n FROM items WHERE id >= :lo AND name <> :not"
                + " ORDER BY id";
        Map<String, BindVariable> binds = Map.of("lo", bv(Type.UINT64, "2"), "not", bv(Type.VARCHAR, "x'y"));
        QueryResult prepared = client.execute(execute(sql, binds, 0)).getResult();
        assertThat(rows(prepared)).containsExactly(
                List.of("2", "twö €", "20.00", "1999-12-31 23:59:59.999", "838:59:59", "b", "-7"),
                java.util.Arrays.asList("18446744073709551615", "max", null, null, null, null, "0"));
        assertThat(prepared).isEqualTo(inTransaction(sql, binds));
        for (int i = 0; i < 5; i++) {
            assertThat(client.execute(execute(sql, binds, 0)).getResult()).isEqualTo(prepared);
        }
        // One prepare per connection that ran it, an execute each time.
        assertThat(status("Com_stmt_prepare") - prepares).isBetween(1L, 6L);
        assertThat(status("Com_stmt_execute") - executes).isEqualTo(6);
        // A NULL value compares as NULL does.
        assertThat(rows(client.execute(execute("SELECT id FROM items WHERE n = :n", Map.of("n",
                BindVariable.newBuilder().setType(Type.NULL_TYPE).build()), 0)).getResult())).isEmpty();
    }

    @Test
    void whatCannotRunPreparedRunsAsText() {
        long executes = status("Com_stmt_execute");
        Map<String, BindVariable> one = Map.of("v", bv(Type.INT64, "1"));
        // An expression's definition may depend on the value; a DOUBLE's digits are mysqld's to write.
        for (String sql : List.of("SELECT :v + 1 AS x, id FROM items WHERE id = :v",
                "SELECT weight FROM items WHERE id = :v", "SELECT COUNT(*) FROM items WHERE id > :v")) {
            QueryResult r = client.execute(execute(sql, one, 0)).getResult();
            assertThat(r).as(sql).isEqualTo(inTransaction(sql, one));
        }
        // Values of kinds that go as literals: a decimal, a datetime.
        for (Map<String, BindVariable> binds : List.of(Map.of("v", bv(Type.DECIMAL, "1.0")),
                Map.of("v", bv(Type.DATETIME, "2024-01-02 03:04:05.006")))) {
            String sql = binds.get("v").getType() == Type.DECIMAL ? "SELECT name FROM items WHERE price > :v"
                    : "SELECT name FROM items WHERE made = :v";
            assertThat(rows(client.execute(execute(sql, binds, 0)).getResult())).as(sql).isNotEmpty();
        }
        // mysqld described each statement's columns when it prepared it, so none of them was ever executed prepared.
        client.execute(execute("SELECT :v + 1 AS x, id FROM items WHERE id = :v", one, 0));
        client.execute(execute("SELECT weight FROM items WHERE id = :v", one, 0));
        assertThat(status("Com_stmt_execute") - executes).isZero();
    }

    @Test
    void errorsReadAsOnTheTextPath() {
        Map<String, BindVariable> one = Map.of("v", bv(Type.INT64, "1"));
        for (String sql : List.of("SELECT id FROM missing WHERE id = :v", "SELECT id FROM items WHERE id = :v ORDER")) {
            TesseraException text = catchError(() -> inTransaction(sql, one));
            TesseraException prepared = catchError(() -> client.execute(execute(sql, one, 0)));
            assertThat(prepared.getMessage()).isEqualTo(text.getMessage());
            assertThat(prepared.kind()).isEqualTo(text.kind());
        }
        // A value that does not fit its type is refused as before.
        assertThatThrownBy(() -> client.execute(execute("SELECT id FROM items WHERE id = :v",
                Map.of("v", bv(Type.INT64, "one")), 0))).isInstanceOf(TesseraException.class)
                .hasMessageContaining(":v");
    }

    @Test
    void aTableChangedUnderAPreparedStatementStillGivesItsRows() {
        fixture.dba("CREATE TABLE changing (id INT PRIMARY KEY, v INT)", "INSERT INTO changing VALUES (1, 10)");
        String sql = "SELECT v FROM changing WHERE id = :id";
        Map<String, BindVariable> one = Map.of("id", bv(Type.INT64, "1"));
        for (int i = 0; i < 4; i++) {
            assertThat(rows(client.execute(execute(sql, one, 0)).getResult())).containsExactly(List.of("10"));
        }
        fixture.dba("ALTER TABLE changing MODIFY v DOUBLE", "UPDATE changing SET v = 0.25");
        for (int i = 0; i < 4; i++) {
            QueryResult r = client.execute(execute(sql, one, 0)).getResult();
            assertThat(rows(r)).containsExactly(List.of("0.25"));
            assertThat(r.getFields(0).getType()).isEqualTo(Type.FLOAT64);
        }
        fixture.dba("ALTER TABLE changing ADD COLUMN w INT DEFAULT 5");
        assertThat(rows(client.execute(execute("SELECT * FROM changing WHERE id = :id", one, 0)).getResult()))
                .containsExactly(List.of("1", "0.25", "5"));
    }

    @Test
    void whenMysqldHoldsAllThePreparedStatementsItMaySelectsRunAsText() {
        long limit = variable("max_prepared_stmt_count");
        fixture.dba("SET GLOBAL max_prepared_stmt_count = 0");
        try {
            long executes = status("Com_stmt_execute");
            // mysqld refuses to prepare (1461); the statement runs as text, and so do the next ones for a while
            // (PreparedPlansTest), without an error.
            String sql = "SELECT name FROM items WHERE id = :id AND n <=> :n";
            Map<String, BindVariable> binds = Map.of("id", bv(Type.INT64, "1"),
                    "n", BindVariable.newBuilder().setType(Type.NULL_TYPE).build());
            for (int i = 0; i < 5; i++) {
                assertThat(rows(client.execute(execute(sql, binds, 0)).getResult())).containsExactly(List.of("one"));
            }
            assertThat(status("Com_stmt_execute") - executes).isZero();
        } finally {
            fixture.dba("SET GLOBAL max_prepared_stmt_count = " + limit);
        }
    }

    private static QueryResult inTransaction(String sql, Map<String, BindVariable> binds) {
        long tx = client.begin(BeginRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).build())
                .getTransactionId();
        try {
            return client.execute(execute(sql, binds, tx)).getResult();
        } finally {
            client.rollback(RollbackRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).setTransactionId(tx)
                    .build());
        }
    }

    private static TesseraException catchError(Runnable call) {
        try {
            call.run();
        } catch (TesseraException e) {
            return e;
        }
        throw new AssertionError("expected an error");
    }

    private static BindVariable bv(Type type, String value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(value)).build();
    }

    private static long status(String name) {
        return show("SHOW GLOBAL STATUS LIKE '" + name + "'");
    }

    private static long variable(String name) {
        return show("SHOW GLOBAL VARIABLES LIKE '" + name + "'");
    }

    private static long show(String sql) {
        try (Connection c = fixture.mysqld.dba().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
