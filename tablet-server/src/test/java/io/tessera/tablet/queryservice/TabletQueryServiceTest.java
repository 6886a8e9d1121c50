package io.tessera.tablet.queryservice;

import static io.tessera.tablet.queryservice.QueryServiceFixture.execute;
import static io.tessera.tablet.queryservice.QueryServiceFixture.rows;
import static io.tessera.tablet.queryservice.QueryServiceFixture.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.MySqlFlag;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.proto.query.Type;
import io.tessera.proto.query.Value;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtrpc.Code;
import io.tessera.queryservice.CompactRows;
import io.tessera.queryservice.GrpcQueryServiceClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tablet query service against a real MariaDB, called through the gRPC client over a real (loopback) gRPC
 * server, as a gate would call it. One mysqld for the whole class; tests that need other limits start another
 * service on it.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"jdbc", "native"})
class TabletQueryServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * "jdbc": every call through the JDBC pools; "native": served as the daemon serves, plain Executes on the event
     * loop over native connections. Both must give the same answers.
     */
    @Parameter
    String path;

    @TempDir
    static Path root;

    private static QueryServiceFixture fixture;
    private static QueryServiceFixture.Served defaults;
    private static GrpcQueryServiceClient client;

    @BeforeParameterizedClassInvocation
    static void start(String path) throws IOException {
        fixture = new QueryServiceFixture(Files.createDirectories(root.resolve(path)), path.equals("native"));
        fixture.dba("""
                CREATE TABLE types (
                  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
                  i8 TINYINT, u8 TINYINT UNSIGNED, i64 BIGINT, u64 BIGINT UNSIGNED, dbl DOUBLE,
                  dec_ DECIMAL(30,4), s VARCHAR(50), txt TEXT, vb VARBINARY(20), bl BLOB, d DATE,
                  dt DATETIME(6), tm TIME, y YEAR, e ENUM('a','b'), st SET('x','y'), bt BIT(8), j JSON, n INT)""",
                "CREATE TABLE kv (k INT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE secret (id INT PRIMARY KEY)");
        defaults = fixture.serve(QueryServiceConfig.defaults());
        client = defaults.client();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (fixture != null) {
            fixture.close();
            fixture = null;
        }
    }

    @Test
    void plainExecutesRunOnTheEventLoopWhenServedWithNativeConnections() {
        if (fixture.nativePath()) {
            // An earlier test may have restarted mysqld: the pool refills as statements arrive.
            await().atMost(WAIT).until(() -> {
                long seen = defaults.service().inlineStatements();
                client.execute(execute("SELECT 0"));
                return defaults.service().inlineStatements() > seen;
            });
        }
        long before = defaults.service().inlineStatements();
        assertThat(rows(client.execute(execute("SELECT 1")).getResult())).containsExactly(List.of("1"));
        long tx = begin(client);
        client.execute(execute("SELECT 2", Map.of(), tx));
        rollback(client, tx);
        // Only the statement outside the transaction may take the event-loop path.
        assertThat(defaults.service().inlineStatements() - before).isEqualTo(fixture.nativePath() ? 1 : 0);
    }

    private static BindVariable bv(Type type, String value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(value)).build();
    }

    private static BindVariable bytes(Type type, byte[] value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFrom(value)).build();
    }

    private static void assertError(ThrowingCallable call, ErrorKind kind, Code code,
            Consumer<TesseraException> more) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TesseraException.class, e -> {
            assertThat(e.kind()).as("error kind of: %s", e.getMessage()).isEqualTo(kind);
            assertThat(e.code()).isEqualTo(code);
            more.accept(e);
        });
    }

    private static void assertError(ThrowingCallable call, ErrorKind kind, Code code) {
        assertError(call, kind, code, e -> { });
    }

    private static ExecuteRequest onTarget(ExecuteRequest r, TabletType type) {
        return r.toBuilder().setTarget(target(type)).build();
    }

    private static long begin(GrpcQueryServiceClient c) {
        return c.begin(BeginRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).build()).getTransactionId();
    }

    private static void commit(GrpcQueryServiceClient c, long tx) {
        c.commit(CommitRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).setTransactionId(tx).build());
    }

    private static void rollback(GrpcQueryServiceClient c, long tx) {
        c.rollback(RollbackRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).setTransactionId(tx).build());
    }

    @Test
    void bindVariablesOfEveryTypeArriveExactly() {
        byte[] binary = {0, (byte) 0xff, '\'', '\\', '"', 0x1a};
        byte[] blob = new byte[5000];
        new Random(7).nextBytes(blob);
        String text = "it's a \\ \"test\" ✓\nline two\0";
        Map<String, BindVariable> binds = Map.ofEntries(
                Map.entry("i8", bv(Type.INT8, "-128")), Map.entry("u8", bv(Type.UINT8, "255")),
                Map.entry("i64", bv(Type.INT64, "-9223372036854775808")),
                Map.entry("u64", bv(Type.UINT64, "18446744073709551615")),
                Map.entry("dbl", bv(Type.FLOAT64, "-2.5e-3")),
                Map.entry("dec", bv(Type.DECIMAL, "12345678901234567890.1234")),
                Map.entry("s", bv(Type.VARCHAR, "O'Brien \\ \"quoted\" ✓")), Map.entry("txt", bv(Type.TEXT, text)),
                Map.entry("vb", bytes(Type.VARBINARY, binary)), Map.entry("bl", bytes(Type.BLOB, blob)),
                Map.entry("d", bv(Type.DATE, "2024-02-29")), Map.entry("dt", bv(Type.DATETIME,
                        "2024-01-02 03:04:05.123456")),
                Map.entry("tm", bv(Type.TIME, "-838:59:59")), Map.entry("y", bv(Type.YEAR, "2024")),
                Map.entry("e", bv(Type.ENUM, "b")), Map.entry("st", bv(Type.SET, "x,y")),
                Map.entry("bt", bytes(Type.BIT, new byte[] {(byte) 0xa5})),
                Map.entry("j", bv(Type.JSON, "{\"k\": [1, 2]}")), Map.entry("n", bv(Type.NULL_TYPE, "")));
        QueryResult insert = client.execute(execute("INSERT INTO types (i8, u8, i64, u64, dbl, dec_, s, txt, vb, bl, "
                + "d, dt, tm, y, e, st, bt, j, n) VALUES (:i8, :u8, :i64, :u64, :dbl, :dec, :s, :txt, :vb, :bl, :d, "
                + ":dt, :tm, :y, :e, :st, :bt, :j, :n)", binds, 0)).getResult();
        assertThat(insert.getRowsAffected()).isEqualTo(1);
        assertThat(insert.getInsertId()).isPositive();

        BindVariable ids = BindVariable.newBuilder().setType(Type.TUPLE)
                .addValues(Value.newBuilder().setType(Type.UINT64).setValue(ByteString.copyFromUtf8(
                        Long.toString(insert.getInsertId()))))
                .addValues(Value.newBuilder().setType(Type.INT64).setValue(ByteString.copyFromUtf8("-1")))
                .build();
        QueryResult r = client.execute(execute("SELECT i8, u8, i64, u64, dbl, dec_, s, txt, vb, bl, d, dt, tm, y, e, "
                + "st, bt, j, n FROM types WHERE id IN ::ids", Map.of("ids", ids), 0)).getResult();
        assertThat(r.getRowsCount()).isEqualTo(1);
        List<ByteString> v = CompactRows.values(r.getRows(0));
        assertThat(v.subList(0, 8).stream().map(ByteString::toStringUtf8).toList()).containsExactly("-128", "255",
                "-9223372036854775808", "18446744073709551615", "-0.0025", "12345678901234567890.1234",
                "O'Brien \\ \"quoted\" ✓", text);
        assertThat(v.get(8).toByteArray()).isEqualTo(binary);
        assertThat(v.get(9).toByteArray()).isEqualTo(blob);
        assertThat(v.subList(10, 16).stream().map(ByteString::toStringUtf8).toList()).containsExactly("2024-02-29",
                "2024-01-02 03:04:05.123456", "-838:59:59", "2024", "b", "x,y");
        assertThat(v.get(16).toByteArray()).containsExactly(0xa5);
        assertThat(v.get(17).toStringUtf8()).isEqualTo("{\"k\": [1, 2]}");
        assertThat(v.get(18)).isNull();
    }

    @Test
    void fieldsDescribeTheColumnsAsMysqlDoes() {
        QueryResult r = client.execute(execute("SELECT id, i8, u8, i64, u64, dbl, dec_, s, txt, vb, bl, d, dt, tm, y, "
                + "e, st, bt, n, s AS alias_s FROM types AS t LIMIT 0")).getResult();
        List<Type> types = r.getFieldsList().stream().map(Field::getType).toList();
        assertThat(types).containsExactly(Type.UINT64, Type.INT8, Type.UINT8, Type.INT64, Type.UINT64, Type.FLOAT64,
                Type.DECIMAL, Type.VARCHAR, Type.TEXT, Type.VARBINARY, Type.BLOB, Type.DATE, Type.DATETIME, Type.TIME,
                Type.YEAR, Type.ENUM, Type.SET, Type.BIT, Type.INT32, Type.VARCHAR);
        Field id = r.getFields(0);
        assertThat(id.getName()).isEqualTo("id");
        assertThat(id.getTable()).isEqualTo("t");
        assertThat(id.getOrgTable()).isEqualTo("types");
        assertThat(id.getDatabase()).isEqualTo("vt_commerce");
        assertThat(id.getCharset()).isEqualTo(63);
        assertThat(id.getColumnLength()).isEqualTo(20);
        int idFlags = MySqlFlag.NOT_NULL_FLAG_VALUE | MySqlFlag.PRI_KEY_FLAG_VALUE | MySqlFlag.UNSIGNED_FLAG_VALUE
                | MySqlFlag.AUTO_INCREMENT_FLAG_VALUE;
        assertThat(id.getFlags() & idFlags).isEqualTo(idFlags);
        Field dec = r.getFields(6);
        assertThat(dec.getDecimals()).isEqualTo(4);
        Field s = r.getFields(7);
        assertThat(s.getCharset()).isNotEqualTo(63);
        assertThat(s.getColumnLength()).isEqualTo(50 * 4); // utf8mb4: four bytes per character
        assertThat(r.getFields(9).getCharset()).isEqualTo(63);
        assertThat(r.getFields(12).getDecimals()).isEqualTo(6);
        Field alias = r.getFields(19);
        assertThat(alias.getName()).isEqualTo("alias_s");
        assertThat(alias.getOrgName()).isEqualTo("s");

        // By default only names and types travel.
        ExecuteRequest plain = execute("SELECT id FROM types LIMIT 0").toBuilder()
                .setOptions(ExecuteOptions.getDefaultInstance()).build();
        assertThat(client.execute(plain).getResult().getFields(0))
                .isEqualTo(Field.newBuilder().setName("id").setType(Type.UINT64).build());
    }

    @Test
    void rowsAreCompactWithNullEmptyAndBinaryValues() {
        QueryResult r = client.execute(execute("SELECT NULL, '', X'00FF0A', 'x', 12.50")).getResult();
        assertThat(r.getRows(0).getLengthsList()).containsExactly(-1L, 0L, 3L, 1L, 5L);
        assertThat(r.getRows(0).getValues().toByteArray()).containsExactly(0, 0xff, 0x0a, 'x', '1', '2', '.', '5',
                '0');
    }

    @Test
    void mysqlErrorsKeepTheirErrnoAndSqlstateAcrossGrpc() {
        client.execute(execute("INSERT INTO kv VALUES (1, 'one')"));
        assertError(() -> client.execute(execute("INSERT INTO kv VALUES (1, 'again')")), ErrorKind.MYSQL_ERROR,
                Code.ALREADY_EXISTS, e -> {
                    assertThat(e.mysqlErrno()).isEqualTo(1062);
                    assertThat(e.sqlState()).isEqualTo("23000");
                    assertThat(e.getMessage()).startsWith("Duplicate entry '1'");
                });
        assertError(() -> client.execute(execute("SELECT * FROM no_such_table")), ErrorKind.MYSQL_ERROR,
                Code.NOT_FOUND, e -> {
                    assertThat(e.mysqlErrno()).isEqualTo(1146);
                    assertThat(e.sqlState()).isEqualTo("42S02");
                    assertThat(e.getMessage()).contains("no_such_table");
                });
        assertError(() -> client.execute(execute("SELEKT 1")), ErrorKind.MYSQL_ERROR, Code.INVALID_ARGUMENT,
                e -> assertThat(e.mysqlErrno()).isEqualTo(1064));
        client.execute(execute("DELETE FROM kv"));
    }

    @Test
    void transactionsCommitRollBackAndStayIsolated() {
        long tx = begin(client);
        client.execute(execute("INSERT INTO kv VALUES (10, 'in tx')", Map.of(), tx));
        assertThat(rows(client.execute(execute("SELECT v FROM kv WHERE k = 10", Map.of(), tx)).getResult()))
                .containsExactly(List.of("in tx"));
        // Not committed: invisible outside the transaction.
        assertThat(rows(client.execute(execute("SELECT v FROM kv WHERE k = 10")).getResult())).isEmpty();
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k = 10")).isEmpty();
        commit(client, tx);
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k = 10")).containsExactly("in tx");
        assertError(() -> commit(client, tx), ErrorKind.TX_NOT_FOUND, Code.NOT_FOUND);
        assertError(() -> client.execute(execute("SELECT 1", Map.of(), tx)), ErrorKind.TX_NOT_FOUND, Code.NOT_FOUND);

        long tx2 = begin(client);
        client.execute(execute("UPDATE kv SET v = 'changed' WHERE k = 10", Map.of(), tx2));
        rollback(client, tx2);
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k = 10")).containsExactly("in tx");

        // BeginExecute: one round trip; a failing statement leaves the transaction open for the caller to end.
        BeginExecuteResponse ok = client.beginExecute(BeginExecuteRequest.newBuilder()
                .setTarget(target(TabletType.PRIMARY))
                .setQuery(BoundQuery.newBuilder().setSql("INSERT INTO kv VALUES (11, 'be')")).build());
        assertThat(ok.hasError()).isFalse();
        assertThat(ok.getResult().getRowsAffected()).isEqualTo(1);
        assertThat(ok.getTabletAlias()).isEqualTo(QueryServiceFixture.ALIAS);
        commit(client, ok.getTransactionId());
        BeginExecuteResponse failed = client.beginExecute(BeginExecuteRequest.newBuilder()
                .setTarget(target(TabletType.PRIMARY))
                .setQuery(BoundQuery.newBuilder().setSql("INSERT INTO kv VALUES (11, 'duplicate')")).build());
        assertThat(failed.getError().getMysqlErrno()).isEqualTo(1062);
        assertThat(failed.getTransactionId()).isNotZero();
        rollback(client, failed.getTransactionId());

        // Transaction statements and session changes must not bypass Begin/Commit or leak into the pool.
        assertError(() -> client.execute(execute("COMMIT")), ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT);
        assertError(() -> client.execute(execute("SET @x = 1")), ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT);
        client.execute(execute("DELETE FROM kv"));
    }

    @Test
    void sessionStateSetInATransactionNeverReachesTheNextUser() {
        QueryServiceFixture.Served one = fixture.serve(QueryServiceConfig.defaults().withTransactionCap(1));
        BeginExecuteResponse r = one.client().beginExecute(BeginExecuteRequest.newBuilder()
                .setTarget(target(TabletType.PRIMARY)).addPreQueries("SET @leak = 42")
                .setQuery(BoundQuery.newBuilder().setSql("SELECT @leak")).build());
        assertThat(rows(r.getResult())).containsExactly(List.of("42"));
        commit(one.client(), r.getTransactionId());
        // The transaction pool has one connection; the next transaction must not see the variable.
        long tx = begin(one.client());
        assertThat(rows(one.client().execute(execute("SELECT @leak", Map.of(), tx)).getResult()))
                .containsExactly(java.util.Collections.singletonList(null));
        rollback(one.client(), tx);
        assertError(() -> one.client().beginExecute(BeginExecuteRequest.newBuilder()
                .setTarget(target(TabletType.PRIMARY)).addPreQueries("DELETE FROM kv")
                .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build()), ErrorKind.BAD_REQUEST,
                Code.INVALID_ARGUMENT);
    }

    @Test
    void temporaryTablesAndLocksNeverReachTheNextUserOfAPooledConnection() {
        QueryServiceFixture.Served one = fixture.serve(QueryServiceConfig.defaults().withTransactionCap(1));
        // Outside a transaction they are refused: the pooled connection would carry them to other sessions.
        for (String sql : List.of("CREATE TEMPORARY TABLE tmp_leak (n INT)", "LOCK TABLES kv READ",
                "SELECT GET_LOCK('tessera-pooled', 0)", "PREPARE leak FROM 'SELECT 1'", "HANDLER kv OPEN")) {
            assertError(() -> one.client().execute(execute(sql)), ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT,
                    e -> assertThat(e.getMessage()).contains("reserved connection"));
        }
        assertError(() -> one.client().streamExecute(stream("SELECT GET_LOCK('tessera-pooled', 0)"), chunk -> { }),
                ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT);
        // In a transaction they run, and the connection is not pooled again: the transaction pool has one
        // connection, and the next transaction meets neither the temporary table nor the named lock.
        long tx = begin(one.client());
        one.client().execute(execute("CREATE TEMPORARY TABLE tmp_leak (n INT)", Map.of(), tx));
        assertThat(rows(one.client().execute(execute("SELECT GET_LOCK('tessera-pooled', 0)", Map.of(), tx))
                .getResult())).containsExactly(List.of("1"));
        commit(one.client(), tx);
        long next = begin(one.client());
        assertError(() -> one.client().execute(execute("SELECT * FROM tmp_leak", Map.of(), next)),
                ErrorKind.MYSQL_ERROR, Code.NOT_FOUND, e -> assertThat(e.mysqlErrno()).isEqualTo(1146));
        rollback(one.client(), next);
        long third = begin(one.client());
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(one.client().execute(
                execute("SELECT IS_FREE_LOCK('tessera-pooled')", Map.of(), third)).getResult())
                .equals(List.of(List.of("1"))));
        rollback(one.client(), third);
    }

    /** Runs {@code call}, returning its result or the TesseraException it threw. */
    private static Object outcome(java.util.function.Supplier<?> call) {
        try {
            return call.get();
        } catch (TesseraException e) {
            return e;
        }
    }

    /**
     * How many statements containing {@code sql} mysqld is running (the tablet may prefix a SELECT with
     * {@code SET STATEMENT sql_select_limit=... FOR}).
     */
    private static int running(String sql) {
        return fixture.running(sql);
    }

    private static void awaitRunning(String sql) {
        await().atMost(WAIT).until(() -> running(sql) == 1);
    }

    @Test
    void aTransactionMysqlRollsBackOnDeadlockIsReleased() throws Exception {
        client.execute(execute("INSERT INTO kv VALUES (40, 'a'), (41, 'b')"));
        long t1 = begin(client);
        long t2 = begin(client);
        client.execute(execute("UPDATE kv SET v = 't1' WHERE k = 40", Map.of(), t1));
        client.execute(execute("UPDATE kv SET v = 't2' WHERE k = 41", Map.of(), t2));
        String waiting = "UPDATE kv SET v = 't1' WHERE k = 41";
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> outcome(() ->
                client.execute(execute(waiting, Map.of(), t1))));
        awaitRunning(waiting);
        Object second = outcome(() -> client.execute(execute("UPDATE kv SET v = 't2' WHERE k = 40", Map.of(), t2)));
        Object firstOutcome = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        boolean firstLost = firstOutcome instanceof TesseraException;
        assertThat(firstLost).as("exactly one deadlock victim: %s / %s", firstOutcome, second)
                .isNotEqualTo(second instanceof TesseraException);
        TesseraException deadlock = (TesseraException) (firstLost ? firstOutcome : second);
        assertThat(deadlock.mysqlErrno()).isEqualTo(1213);
        assertThat(deadlock.code()).isEqualTo(Code.ABORTED);
        long victim = firstLost ? t1 : t2;
        long survivor = firstLost ? t2 : t1;
        // MySQL rolled the victim back; its id must not go on running statements in autocommit.
        assertError(() -> client.execute(execute("UPDATE kv SET v = 'late' WHERE k = 40", Map.of(), victim)),
                ErrorKind.TX_NOT_FOUND, Code.NOT_FOUND);
        commit(client, survivor);
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k IN (40, 41) ORDER BY k"))
                .containsExactly(firstLost ? "t2" : "t1", firstLost ? "t2" : "t1");
        client.execute(execute("DELETE FROM kv"));
    }

    @Test
    void aTransactionServesOneCallAtATime() throws Exception {
        long tx = begin(client);
        String slow = "SELECT SLEEP(5) AS busy"; // longer than the wait for a busy connection
        CompletableFuture<Object> busy = CompletableFuture.supplyAsync(() -> outcome(() ->
                client.execute(execute(slow, Map.of(), tx))));
        awaitRunning(slow);
        assertError(() -> client.execute(execute("SELECT 1", Map.of(), tx)), ErrorKind.TX_IN_USE,
                Code.FAILED_PRECONDITION);
        assertThat(busy.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(io.tessera.proto.query.ExecuteResponse.class);
        rollback(client, tx);
    }

    @Test
    void anAbandonedTransactionIsRolledBackAtItsTimeout() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults()
                .withTransactionTimeout(Duration.ofSeconds(1)));
        long tx = begin(s.client());
        s.client().execute(execute("INSERT INTO kv VALUES (20, 'abandoned')", Map.of(), tx));
        await().atMost(WAIT).until(() -> s.service().openTransactions() == 0);
        assertError(() -> s.client().execute(execute("SELECT 1", Map.of(), tx)), ErrorKind.TX_EXPIRED, Code.ABORTED,
                e -> assertThat(e.getMessage()).contains("transaction " + tx).contains("1s"));
        assertError(() -> commit(s.client(), tx), ErrorKind.TX_EXPIRED, Code.ABORTED);
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k = 20")).isEmpty();
        assertThat(fixture.dbaColumn("SELECT COUNT(*) FROM information_schema.innodb_trx")).containsExactly("0");
    }

    @Test
    void aTransactionBusyPastItsTimeoutHasItsConnectionKilled() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults()
                .withTransactionTimeout(Duration.ofSeconds(1)).withQueryTimeout(Duration.ofSeconds(60)));
        long tx = begin(s.client());
        assertError(() -> s.client().execute(execute("SELECT SLEEP(60)", Map.of(), tx)), ErrorKind.TX_EXPIRED,
                Code.ABORTED);
        // Gone from mysqld, not merely abandoned by the client.
        await().atMost(WAIT).until(() -> running("SELECT SLEEP(60)") == 0);
        assertThat(s.service().openTransactions()).isZero();
    }

    @Test
    void theTransactionCapGivesResourceExhaustedAfterTheWait() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults().withTransactionCap(2)
                .withTxPoolTimeout(Duration.ofMillis(300)));
        long a = begin(s.client());
        long b = begin(s.client());
        assertError(() -> begin(s.client()), ErrorKind.TX_POOL_FULL, Code.RESOURCE_EXHAUSTED, e -> {
            assertThat(e.mysqlErrno()).isEqualTo(1203);
            assertThat(e.getMessage()).contains("2 transactions");
        });
        rollback(s.client(), a);
        long c = begin(s.client());
        rollback(s.client(), b);
        rollback(s.client(), c);
    }

    @Test
    void aStatementWhoseCallerCancelsIsKilledOnMysqld() throws Exception {
        // One connection, so the test also shows the next statement is served after the kill.
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults().withPoolSize(1));
        Context.CancellableContext call = Context.current().withCancellation();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> call.run(() -> {
            try {
                outcome.complete(s.client().execute(execute("SELECT SLEEP(70)")));
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        }));
        await().atMost(WAIT).until(() -> running("SELECT SLEEP(70)") == 1);
        call.cancel(null);
        assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(Throwable.class);
        // Gone from mysqld, not merely abandoned by the client (it would sleep for 70 s otherwise).
        await().atMost(WAIT).until(() -> running("SELECT SLEEP(70)") == 0);
        assertThat(rows(s.client().execute(execute("SELECT 8")).getResult())).containsExactly(List.of("8"));
        assertThat(rows(s.client().execute(execute("SELECT 9")).getResult())).containsExactly(List.of("9"));
    }

    @Test
    void aTransactionWhoseStatementTheCallerCancelledServesTheNextStatementAtOnce() throws Exception {
        long tx = begin(client);
        client.execute(execute("INSERT INTO kv VALUES (60, 'before')", Map.of(), tx));
        Context.CancellableContext call = Context.current().withCancellation();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> call.run(() -> outcome.complete(outcome(() ->
                client.execute(execute("SELECT SLEEP(71) FROM kv", Map.of(), tx))))));
        awaitRunning("SELECT SLEEP(71) FROM kv");
        call.cancel(null);
        assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(Throwable.class);
        // Sent as soon as the caller gave up, while the tablet may still be killing the statement: the call waits
        // for the transaction's connection instead of failing with TX_IN_USE, and the transaction goes on.
        client.execute(execute("INSERT INTO kv VALUES (61, 'after')", Map.of(), tx));
        commit(client, tx);
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k IN (60, 61) ORDER BY k"))
                .containsExactly("before", "after");
        assertThat(running("SELECT SLEEP(71) FROM kv")).isZero();
        client.execute(execute("DELETE FROM kv"));
    }

    @Test
    void aQueryPastItsTimeoutIsKilledOnMysqld() {
        // One connection, so the test also shows the connection is fine after the kill.
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults().withPoolSize(1)
                .withQueryTimeout(Duration.ofSeconds(1)));
        assertError(() -> s.client().execute(execute("SELECT SLEEP(100)")), ErrorKind.QUERY_TIMEOUT,
                Code.DEADLINE_EXCEEDED, e -> {
                    assertThat(e.mysqlErrno()).isEqualTo(1317);
                    assertThat(e.getMessage()).contains("1s");
                });
        // Gone from mysqld, not merely abandoned by the client.
        await().atMost(WAIT).until(() -> running("SELECT SLEEP(100)") == 0);
        assertThat(rows(s.client().execute(execute("SELECT 7")).getResult())).containsExactly(List.of("7"));

        // The caller's own timeout wins over the tablet's.
        ExecuteRequest quick = execute("SELECT SLEEP(50)").toBuilder()
                .setOptions(ExecuteOptions.newBuilder().setAuthoritativeTimeout(300)).build();
        assertError(() -> client.execute(quick), ErrorKind.QUERY_TIMEOUT, Code.DEADLINE_EXCEEDED);
        // Gone from mysqld, not merely abandoned by the client.
        await().atMost(WAIT).until(() -> running("SELECT SLEEP(50)") == 0);
    }

    @Test
    void theTabletRefusesWhatItMustNotServe() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults());
        s.state().update(st -> st.withType(TabletType.REPLICA));
        GrpcQueryServiceClient c = s.client();

        assertError(() -> c.execute(execute("SELECT 1")), ErrorKind.WRONG_TARGET, Code.FAILED_PRECONDITION,
                e -> assertThat(e.getMessage()).contains("commerce/0@primary").contains("commerce/0@replica"));
        assertThat(rows(c.execute(onTarget(execute("SELECT 1"), TabletType.REPLICA)).getResult()))
                .containsExactly(List.of("1"));
        assertError(() -> c.execute(onTarget(execute("INSERT INTO kv VALUES (30, 'x')"), TabletType.REPLICA)),
                ErrorKind.WRITE_ON_NON_PRIMARY, Code.READ_ONLY, e -> {
                    assertThat(e.mysqlErrno()).isEqualTo(1290);
                    assertThat(e.sqlState()).isEqualTo("HY000");
                    assertThat(e.getMessage()).contains("--read-only");
                });
        assertError(() -> c.execute(onTarget(execute("DROP TABLE kv"), TabletType.REPLICA)),
                ErrorKind.WRITE_ON_NON_PRIMARY, Code.READ_ONLY);
        assertError(() -> c.beginExecute(BeginExecuteRequest.newBuilder().setTarget(target(TabletType.REPLICA))
                .setQuery(BoundQuery.newBuilder().setSql("UPDATE kv SET v = 'x'")).build()),
                ErrorKind.WRITE_ON_NON_PRIMARY, Code.READ_ONLY);
        assertThat(s.service().openTransactions()).isZero();

        s.state().update(st -> st.withDeniedTables(TabletType.REPLICA, Set.of("secret")));
        assertError(() -> c.execute(onTarget(execute("SELECT * FROM kv JOIN secret ON secret.id = kv.k"),
                TabletType.REPLICA)), ErrorKind.DENIED_TABLE, Code.FAILED_PRECONDITION,
                e -> assertThat(e.getMessage()).contains("secret"));
        assertThat(c.execute(onTarget(execute("SELECT * FROM kv"), TabletType.REPLICA)).getResult().getFieldsCount())
                .isEqualTo(2);

        s.state().update(st -> st.withNotServing("becoming primary"));
        assertError(() -> c.execute(onTarget(execute("SELECT 1"), TabletType.REPLICA)), ErrorKind.NOT_SERVING,
                Code.CLUSTER_EVENT, e -> assertThat(e.getMessage()).contains("becoming primary"));
        s.state().update(st -> st.withServing().withQueryServiceDisabled(true));
        assertError(() -> c.execute(onTarget(execute("SELECT 1"), TabletType.REPLICA)),
                ErrorKind.QUERY_SERVICE_DISABLED, Code.FAILED_PRECONDITION);
        s.state().update(st -> st.withQueryServiceDisabled(false).withMysqldReachable(false));
        assertError(() -> c.execute(onTarget(execute("SELECT 1"), TabletType.REPLICA)), ErrorKind.MYSQLD_DOWN,
                Code.UNAVAILABLE);
    }

    @Test
    void aClosedServiceRefusesAsNotServing() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults());
        long tx = begin(s.client());
        s.service().close();
        assertError(() -> s.service().execute(execute("SELECT 1")), ErrorKind.NOT_SERVING, Code.CLUSTER_EVENT,
                e -> assertThat(e.getMessage()).contains("shut down"));
        // Closing rolled back the open transaction.
        assertError(() -> s.service().commit(CommitRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setTransactionId(tx).build()), ErrorKind.TX_EXPIRED, Code.ABORTED);
    }

    @Test
    void badRequestsGetClearErrors() {
        assertError(() -> client.execute(execute("SELECT :nope", Map.of("other", bv(Type.INT64, "1")), 0)),
                ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT, e -> assertThat(e.getMessage()).contains(":nope"));
        assertError(() -> client.execute(execute("SELECT :a", Map.of("a", bv(Type.INT64, "1 OR 1=1")), 0)),
                ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT);
        assertError(() -> client.execute(execute("SELECT 1").toBuilder().setReservedId(5).build()),
                ErrorKind.RESERVED_CONN_NOT_FOUND, Code.NOT_FOUND);
        assertError(() -> client.execute(execute("SELECT 1", Map.of(), 12345)), ErrorKind.TX_NOT_FOUND,
                Code.NOT_FOUND);
    }

    @Test
    void executeRefusesResultsAboveTheMaxResultSize() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults().withMaxResultSize(5));
        assertThat(s.client().execute(execute("SELECT seq FROM seq_1_to_5")).getResult().getRowsCount())
                .isEqualTo(5);
        assertError(() -> s.client().execute(execute("SELECT seq FROM seq_1_to_1000000")),
                ErrorKind.RESULT_TOO_LARGE, Code.ABORTED, e -> assertThat(e.getMessage()).contains("5"));
        // The caller's own select limit is applied without an error.
        ExecuteRequest limited = execute("SELECT seq FROM seq_1_to_100").toBuilder()
                .setOptions(ExecuteOptions.newBuilder().setSqlSelectLimit(3)).build();
        assertThat(rows(s.client().execute(limited).getResult())).containsExactly(List.of("1"), List.of("2"),
                List.of("3"));
        // mysqld applies sql_select_limit to VALUES (and SHOW) too: past the cap it is refused, and a caller's limit,
        // which applies to SELECTs only, leaves it whole.
        assertThat(s.client().execute(execute("VALUES (1),(2),(3),(4),(5)")).getResult().getRowsCount())
                .isEqualTo(5);
        assertError(() -> s.client().execute(execute("VALUES (1),(2),(3),(4),(5),(6)")),
                ErrorKind.RESULT_TOO_LARGE, Code.ABORTED);
        assertThat(s.client().execute(execute("VALUES (1),(2),(3),(4),(5),(6),(7)").toBuilder()
                .setOptions(ExecuteOptions.newBuilder().setSqlSelectLimit(3)).build()).getResult().getRowsCount())
                .isEqualTo(7);
        // A caller limit lifts nothing: a SELECT under the caller's 3 rows after one under the tablet's cap, and
        // the other way round, on the same pooled sessions.
        for (int i = 0; i < 3; i++) {
            assertThat(rows(s.client().execute(limited).getResult())).hasSize(3);
            assertThat(s.client().execute(execute("SELECT seq FROM seq_1_to_5")).getResult().getRowsCount())
                    .isEqualTo(5);
        }
        // Streams are not limited.
        List<QueryResult> chunks = new ArrayList<>();
        s.client().streamExecute(stream("SELECT seq FROM seq_1_to_50"), chunks::add);
        assertThat(chunks.stream().mapToInt(QueryResult::getRowsCount).sum()).isEqualTo(50);
    }

    private static StreamExecuteRequest stream(String sql) {
        return StreamExecuteRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setQuery(BoundQuery.newBuilder().setSql(sql)).build();
    }

    @Test
    void streamsSendFieldsFirstThenRowsInBoundedChunks() {
        int bufferSize = QueryServiceConfig.DEFAULT_STREAM_BUFFER_SIZE;
        List<QueryResult> chunks = new ArrayList<>();
        client.streamExecute(stream("SELECT seq, REPEAT('x', 100) FROM seq_1_to_5000"), chunks::add);
        assertThat(chunks.get(0).getFieldsList().stream().map(Field::getType)).containsExactly(Type.UINT64,
                Type.VARCHAR);
        assertThat(chunks.get(0).getRowsCount()).isZero();
        long expected = 1;
        for (QueryResult chunk : chunks.subList(1, chunks.size())) {
            assertThat(chunk.getFieldsCount()).isZero();
            assertThat(chunk.getSerializedSize()).isLessThan(2 * bufferSize);
            for (var row : chunk.getRowsList()) {
                assertThat(CompactRows.strings(row).get(0)).isEqualTo(Long.toString(expected++));
            }
        }
        assertThat(expected - 1).isEqualTo(5000);
        assertThat(chunks.size()).isGreaterThan(10);

        assertError(() -> client.streamExecute(stream("DELETE FROM kv"), chunk -> { }), ErrorKind.BAD_REQUEST,
                Code.INVALID_ARGUMENT);
    }

    @Test
    void aStreamTheReaderAbandonsIsKilledOnMysqld() {
        String sql = "SELECT seq, REPEAT('y', 100) FROM seq_1_to_1000000000";
        List<QueryResult> seen = new ArrayList<>();
        assertThatThrownBy(() -> client.streamExecute(stream(sql), chunk -> {
            seen.add(chunk);
            if (seen.size() == 3) {
                throw new IllegalStateException("enough");
            }
        })).hasMessage("enough");
        await().atMost(WAIT).until(() -> running(sql) == 0);
        // The tablet goes on serving.
        assertThat(rows(client.execute(execute("SELECT 1")).getResult())).containsExactly(List.of("1"));
    }

    @Test
    void mysqldDownIsReportedAndTheTabletServesAgainWhenItIsBack() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults()
                .withQueryPoolTimeout(Duration.ofSeconds(1)).withStreamPoolTimeout(Duration.ofSeconds(1))
                .withTxPoolTimeout(Duration.ofSeconds(1)));
        assertThat(rows(s.client().execute(execute("SELECT 1")).getResult())).containsExactly(List.of("1"));
        fixture.mysqld.kill();
        try {
            assertError(() -> s.client().execute(execute("SELECT 1")), ErrorKind.MYSQLD_DOWN, Code.UNAVAILABLE);
            assertError(() -> begin(s.client()), ErrorKind.MYSQLD_DOWN, Code.UNAVAILABLE);
            assertError(() -> s.client().streamExecute(stream("SELECT 1"), chunk -> { }), ErrorKind.MYSQLD_DOWN,
                    Code.UNAVAILABLE);
        } finally {
            fixture.mysqld.start();
        }
        await().atMost(WAIT).ignoreException(TesseraException.class).untilAsserted(() ->
                assertThat(rows(s.client().execute(execute("SELECT 2")).getResult())).containsExactly(List.of("2")));
        long tx = begin(s.client());
        rollback(s.client(), tx);
    }
}
