package io.tessera.tablet.queryservice;

import static io.tessera.tablet.queryservice.QueryServiceFixture.execute;
import static io.tessera.tablet.queryservice.QueryServiceFixture.rows;
import static io.tessera.tablet.queryservice.QueryServiceFixture.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.ReleaseRequest;
import io.tessera.proto.query.ReserveBeginExecuteRequest;
import io.tessera.proto.query.ReserveBeginExecuteResponse;
import io.tessera.proto.query.ReserveExecuteRequest;
import io.tessera.proto.query.ReserveExecuteResponse;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.RollbackResponse;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtrpc.Code;
import io.tessera.queryservice.GrpcQueryServiceClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reserved connections of the tablet query service against a real MariaDB, called through the gRPC client over a
 * real (loopback) gRPC server and {@link io.tessera.queryservice.QueryServiceGrpcAdapter}, as a gate calls them: the
 * session state a client sets on its reserved connection is there at its next call, never on anyone else's
 * connection, and ends with the reservation.
 */
class ReservedConnectionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path root;

    private static QueryServiceFixture fixture;
    private static QueryServiceFixture.Served defaults;
    private static GrpcQueryServiceClient client;

    @BeforeAll
    static void start() {
        fixture = new QueryServiceFixture(root);
        fixture.dba("CREATE TABLE kv (k INT PRIMARY KEY, v VARCHAR(20))", "CREATE TABLE locked (id INT PRIMARY KEY)");
        defaults = fixture.serve(QueryServiceConfig.defaults());
        client = defaults.client();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void nothingLeftHeld() {
        // Every test releases what it reserved on the shared service; a leak would show up here.
        assertThat(defaults.service().reservedConnections()).isZero();
        assertThat(defaults.service().openTransactions()).isZero();
        fixture.dba("DELETE FROM kv");
    }

    private static ReserveExecuteResponse reserve(GrpcQueryServiceClient c, String sql, String... preQueries) {
        return c.reserveExecute(ReserveExecuteRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setQuery(BoundQuery.newBuilder().setSql(sql)).addAllPreQueries(List.of(preQueries)).build());
    }

    private static ExecuteRequest onReserved(String sql, long reservedId) {
        return execute(sql).toBuilder().setReservedId(reservedId).build();
    }

    private static ExecuteRequest inReservedTransaction(String sql, long id) {
        return execute(sql).toBuilder().setReservedId(id).setTransactionId(id).build();
    }

    private static List<List<String>> query(GrpcQueryServiceClient c, ExecuteRequest request) {
        return rows(c.execute(request).getResult());
    }

    private static void release(GrpcQueryServiceClient c, long reservedId) {
        c.release(ReleaseRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).setReservedId(reservedId).build());
    }

    private static CommitResponse commit(GrpcQueryServiceClient c, long transactionId) {
        return c.commit(CommitRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setTransactionId(transactionId).build());
    }

    private static RollbackResponse rollback(GrpcQueryServiceClient c, long transactionId) {
        return c.rollback(RollbackRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setTransactionId(transactionId).build());
    }

    private static BeginExecuteResponse beginOnReserved(GrpcQueryServiceClient c, long reservedId, String sql,
            String... preQueries) {
        return c.beginExecute(BeginExecuteRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setReservedId(reservedId).addAllPreQueries(List.of(preQueries))
                .setQuery(BoundQuery.newBuilder().setSql(sql)).build());
    }

    private static List<String> one(String value) {
        return Collections.singletonList(value);
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

    /** Runs {@code call}, returning its result or the TesseraException it threw. */
    private static Object outcome(Supplier<?> call) {
        try {
            return call.get();
        } catch (TesseraException e) {
            return e;
        }
    }

    @Test
    void foreignKeyChecksOffInPreQueriesLetAChildTableComeBeforeItsParent() {
        String child = "CREATE TABLE %s (id INT PRIMARY KEY, parent_id INT, FOREIGN KEY (parent_id) "
                + "REFERENCES %s (id)) ENGINE=InnoDB";
        ReserveExecuteResponse r = reserve(client, child.formatted("child", "parent"),
                "SET @@session.foreign_key_checks = 0");
        assertThat(r.hasError()).as("error: %s", r.getError()).isFalse();
        assertThat(r.getReservedId()).isNotZero();
        assertThat(r.getTabletAlias()).isEqualTo(QueryServiceFixture.ALIAS);
        assertThat(fixture.dbaColumn("SHOW TABLES LIKE 'child'")).containsExactly("child");
        assertThat(query(client, onReserved("SELECT @@session.foreign_key_checks", r.getReservedId())))
                .containsExactly(List.of("0"));

        // A pooled connection has the server's default: the same statement fails.
        assertError(() -> client.execute(execute(child.formatted("child2", "parent2"))), ErrorKind.MYSQL_ERROR,
                Code.UNKNOWN, e -> assertThat(e.mysqlErrno()).isEqualTo(1005));
        assertThat(query(client, execute("SELECT @@session.foreign_key_checks"))).containsExactly(List.of("1"));
        release(client, r.getReservedId());
        fixture.dba("DROP TABLE child");
    }

    @Test
    void sessionAndUserVariablesSurviveBetweenCallsOnlyOnTheReservedConnection() {
        long id = reserve(client, "SET @counter = 41", "SET @@session.time_zone = '+05:00'").getReservedId();
        client.execute(onReserved("SET @counter = @counter + 1", id));
        assertThat(query(client, onReserved("SELECT @counter, @@session.time_zone", id)))
                .containsExactly(List.of("42", "+05:00"));
        // Streamed statements reach the same connection.
        List<QueryResult> chunks = new ArrayList<>();
        client.streamExecute(StreamExecuteRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setReservedId(id).setQuery(BoundQuery.newBuilder().setSql("SELECT @counter")).build(), chunks::add);
        assertThat(chunks.stream().flatMap(c -> rows(c).stream()).toList()).containsExactly(List.of("42"));
        // Nobody else sees them, and a pooled connection still refuses to be changed.
        assertThat(query(client, execute("SELECT @counter"))).containsExactly(one(null));
        assertError(() -> client.execute(execute("SET @counter = 1")), ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT);
        // Transactions go through the calls, on reserved connections too.
        assertError(() -> client.execute(onReserved("BEGIN", id)), ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT);
        assertError(() -> client.execute(onReserved("COMMIT", id)), ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT);
        release(client, id);
    }

    @Test
    void lockTablesTemporaryTablesAndNamedLocksStayWithTheirConnection() {
        long a = reserve(client, "LOCK TABLES locked WRITE").getReservedId();
        long b = reserve(client, "SELECT 1", "SET @@session.lock_wait_timeout = 1").getReservedId();
        client.execute(onReserved("INSERT INTO locked VALUES (1)", a));
        // The table lock is still held by a: b waits for it until its lock wait timeout.
        assertError(() -> client.execute(onReserved("SELECT * FROM locked", b)), ErrorKind.MYSQL_ERROR,
                Code.DEADLINE_EXCEEDED, e -> assertThat(e.mysqlErrno()).isEqualTo(1205));
        client.execute(onReserved("UNLOCK TABLES", a));
        assertThat(query(client, onReserved("SELECT id FROM locked", b))).containsExactly(List.of("1"));

        client.execute(onReserved("CREATE TEMPORARY TABLE scratch (n INT)", a));
        client.execute(onReserved("INSERT INTO scratch VALUES (7)", a));
        assertThat(query(client, onReserved("SELECT n FROM scratch", a))).containsExactly(List.of("7"));
        assertError(() -> client.execute(onReserved("SELECT n FROM scratch", b)), ErrorKind.MYSQL_ERROR,
                Code.NOT_FOUND, e -> assertThat(e.mysqlErrno()).isEqualTo(1146));

        assertThat(query(client, onReserved("SELECT GET_LOCK('tessera-reserved', 0)", a)))
                .containsExactly(List.of("1"));
        assertThat(query(client, onReserved("SELECT GET_LOCK('tessera-reserved', 0)", b)))
                .containsExactly(List.of("0"));
        // Releasing a closes its connection, and mysqld frees the lock with it.
        release(client, a);
        await().atMost(WAIT).until(() -> query(client, onReserved("SELECT GET_LOCK('tessera-reserved', 0)", b))
                .equals(List.of(List.of("1"))));
        release(client, b);
        fixture.dba("DELETE FROM locked");
    }

    @Test
    void aTransactionOnAReservedConnectionEndsButTheReservationStays() {
        long id = reserve(client, "SELECT 1", "SET @@session.time_zone = '+03:00'").getReservedId();
        BeginExecuteResponse begun = beginOnReserved(client, id, "INSERT INTO kv VALUES (1, 'reserved')");
        assertThat(begun.hasError()).as("error: %s", begun.getError()).isFalse();
        assertThat(begun.getTransactionId()).isEqualTo(id);
        assertThat(defaults.service().openTransactions()).isOne();
        // Both ids, or either alone, reach the transaction.
        assertThat(query(client, inReservedTransaction("SELECT v FROM kv WHERE k = 1", id)))
                .containsExactly(List.of("reserved"));
        assertThat(query(client, execute("SELECT v FROM kv WHERE k = 1", Map.of(), id)))
                .containsExactly(List.of("reserved"));
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k = 1")).isEmpty();
        assertError(() -> beginOnReserved(client, id, "SELECT 1"), ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT);

        assertThat(commit(client, id).getReservedId()).isEqualTo(id);
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k = 1")).containsExactly("reserved");
        assertThat(defaults.service().openTransactions()).isZero();
        assertThat(defaults.service().reservedConnections()).isOne();
        assertThat(query(client, onReserved("SELECT @@session.time_zone", id))).containsExactly(List.of("+03:00"));
        assertError(() -> client.execute(inReservedTransaction("SELECT 1", id)), ErrorKind.TX_NOT_FOUND,
                Code.NOT_FOUND);

        // Pre-queries of a BeginExecute on a reserved connection change the reservation's session for good.
        BeginExecuteResponse again = beginOnReserved(client, id, "UPDATE kv SET v = 'rolled back' WHERE k = 1",
                "SET @@session.time_zone = '+04:00'");
        assertThat(again.getTransactionId()).isEqualTo(id);
        assertThat(rollback(client, id).getReservedId()).isEqualTo(id);
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k = 1")).containsExactly("reserved");
        assertThat(query(client, onReserved("SELECT @@session.time_zone", id))).containsExactly(List.of("+04:00"));

        // A transaction on a plain connection answers without a reserved id.
        long plain = client.begin(BeginRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).build())
                .getTransactionId();
        assertThat(commit(client, plain).getReservedId()).isZero();
        release(client, id);
    }

    @Test
    void reserveBeginExecuteRunsPostBeginQueriesInTheTransaction() {
        ReserveBeginExecuteResponse r = client.reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder()
                .setTarget(target(TabletType.PRIMARY)).addPreQueries("SET @@session.time_zone = '+02:00'")
                .addPostBeginQueries("SAVEPOINT before_insert")
                .setQuery(BoundQuery.newBuilder().setSql("INSERT INTO kv VALUES (2, 'after savepoint')")).build());
        assertThat(r.hasError()).as("error: %s", r.getError()).isFalse();
        assertThat(r.getReservedId()).isNotZero();
        assertThat(r.getTransactionId()).isEqualTo(r.getReservedId());
        assertThat(r.getTabletAlias()).isEqualTo(QueryServiceFixture.ALIAS);
        long id = r.getReservedId();
        // The savepoint exists, so it was set inside the transaction, before the statement.
        client.execute(inReservedTransaction("ROLLBACK TO SAVEPOINT before_insert", id));
        client.execute(inReservedTransaction("INSERT INTO kv VALUES (3, 'kept')", id));
        assertThat(commit(client, id).getReservedId()).isEqualTo(id);
        assertThat(fixture.dbaColumn("SELECT k FROM kv ORDER BY k")).containsExactly("3");
        assertThat(query(client, onReserved("SELECT @@session.time_zone", id))).containsExactly(List.of("+02:00"));
        release(client, id);
    }

    @Test
    void reservingAnOpenTransactionKeepsItsId() {
        long tx = client.begin(BeginRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).build())
                .getTransactionId();
        client.execute(execute("INSERT INTO kv VALUES (4, 'before reserve')", Map.of(), tx));
        ReserveExecuteResponse r = client.reserveExecute(ReserveExecuteRequest.newBuilder()
                .setTarget(target(TabletType.PRIMARY)).setTransactionId(tx).addPreQueries("SET @origin = 'tx'")
                .setQuery(BoundQuery.newBuilder().setSql("SELECT v FROM kv WHERE k = 4")).build());
        assertThat(r.hasError()).as("error: %s", r.getError()).isFalse();
        assertThat(r.getReservedId()).isEqualTo(tx);
        assertThat(rows(r.getResult())).containsExactly(List.of("before reserve"));
        assertThat(commit(client, tx).getReservedId()).isEqualTo(tx);
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k = 4")).containsExactly("before reserve");
        assertThat(query(client, onReserved("SELECT @origin", tx))).containsExactly(List.of("tx"));
        release(client, tx);
    }

    @Test
    void aFailingStatementAfterReservingComesWithTheIds() {
        ReserveExecuteResponse r = reserve(client, "SELECT * FROM no_such_table", "SET @kept = 'yes'");
        assertThat(r.getError().getMysqlErrno()).isEqualTo(1146);
        assertThat(r.getReservedId()).isNotZero();
        assertThat(query(client, onReserved("SELECT @kept", r.getReservedId()))).containsExactly(List.of("yes"));
        release(client, r.getReservedId());

        ReserveBeginExecuteResponse rb = client.reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder()
                .setTarget(target(TabletType.PRIMARY))
                .setQuery(BoundQuery.newBuilder().setSql("INSERT INTO no_such_table VALUES (1)")).build());
        assertThat(rb.getError().getMysqlErrno()).isEqualTo(1146);
        assertThat(rb.getReservedId()).isNotZero();
        assertThat(rb.getTransactionId()).isEqualTo(rb.getReservedId());
        assertThat(rollback(client, rb.getTransactionId()).getReservedId()).isEqualTo(rb.getReservedId());
        release(client, rb.getReservedId());

        // Failing or refused pre-queries leave nothing reserved.
        assertError(() -> reserve(client, "SELECT 1", "SET @@session.no_such_variable = 1"), ErrorKind.MYSQL_ERROR,
                Code.UNKNOWN, e -> assertThat(e.mysqlErrno()).isEqualTo(1193));
        assertError(() -> reserve(client, "SELECT 1", "COMMIT"), ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT);
        assertError(() -> client.reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder()
                .setTarget(target(TabletType.PRIMARY)).addPostBeginQueries("ROLLBACK TO SAVEPOINT nowhere")
                .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build()), ErrorKind.MYSQL_ERROR,
                Code.NOT_FOUND, e -> assertThat(e.mysqlErrno()).isEqualTo(1305));
    }

    @Test
    void releaseClosesTheConnectionAndForgetsItsId() {
        // One transaction-pool connection: the next reservation would get the same one if release pooled it.
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults().withTransactionCap(1));
        ReserveExecuteResponse r = reserve(s.client(), "SELECT CONNECTION_ID()", "SET @secret = 'first session'");
        long id = r.getReservedId();
        String thread = rows(r.getResult()).get(0).get(0);
        release(s.client(), id);
        assertError(() -> release(s.client(), id), ErrorKind.RESERVED_CONN_NOT_FOUND, Code.NOT_FOUND,
                e -> assertThat(e.getMessage()).contains(Long.toString(id)).contains("zone1-0000000100"));
        assertError(() -> s.client().execute(onReserved("SELECT 1", id)), ErrorKind.RESERVED_CONN_NOT_FOUND,
                Code.NOT_FOUND);
        // Closed on mysqld, not returned to the pool.
        await().atMost(WAIT).until(() -> fixture.dbaColumn("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                + "WHERE ID = " + thread).equals(List.of("0")));
        ReserveExecuteResponse next = reserve(s.client(), "SELECT @secret");
        assertThat(rows(next.getResult())).containsExactly(one(null));

        // Release with both ids rolls back the transaction on the reservation.
        beginOnReserved(s.client(), next.getReservedId(), "INSERT INTO kv VALUES (5, 'released')");
        s.client().release(ReleaseRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setReservedId(next.getReservedId()).setTransactionId(next.getReservedId()).build());
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k = 5")).isEmpty();
        assertThat(s.service().reservedConnections()).isZero();
        assertError(() -> s.client().release(ReleaseRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setTransactionId(12345).build()), ErrorKind.TX_NOT_FOUND, Code.NOT_FOUND);
    }

    @Test
    void closingAllSessionsForgetsEveryReservation() throws Exception {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults());
        long idle = reserve(s.client(), "SET @x = 1").getReservedId();
        ReserveBeginExecuteResponse inTx = s.client().reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder()
                .setTarget(target(TabletType.PRIMARY))
                .setQuery(BoundQuery.newBuilder().setSql("INSERT INTO kv VALUES (6, 'never committed')")).build());
        long busy = reserve(s.client(), "SELECT 1").getReservedId();
        String slow = "SELECT SLEEP(60) AS closing";
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> outcome(() ->
                s.client().execute(onReserved(slow, busy))));
        await().atMost(WAIT).until(() -> fixture.running(slow) == 1);
        assertThat(s.service().reservedConnections()).isEqualTo(3);

        s.service().closeAllSessions("the tablet is being demoted");

        assertThat(s.service().reservedConnections()).isZero();
        assertThat(s.service().openTransactions()).isZero();
        // The busy statement was killed on mysqld, its call either finished or lost its reservation.
        Object busyOutcome = running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (busyOutcome instanceof TesseraException e) {
            assertThat(e.kind()).as("outcome: %s", e).isEqualTo(ErrorKind.RESERVED_CONN_NOT_FOUND);
        } else {
            assertThat(busyOutcome).isInstanceOf(ExecuteResponse.class);
        }
        await().atMost(WAIT).until(() -> fixture.running(slow) == 0);
        for (long id : new long[] {idle, inTx.getReservedId(), busy}) {
            assertError(() -> s.client().execute(onReserved("SELECT 1", id)), ErrorKind.RESERVED_CONN_NOT_FOUND,
                    Code.NOT_FOUND);
        }
        assertError(() -> commit(s.client(), inTx.getTransactionId()), ErrorKind.TX_EXPIRED, Code.ABORTED);
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k = 6")).isEmpty();
        // The service goes on serving: a new reservation works.
        long fresh = reserve(s.client(), "SELECT 1").getReservedId();
        release(s.client(), fresh);
    }

    @Test
    void reservedConnectionsCountAgainstTheTransactionCap() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults().withTransactionCap(2)
                .withTxPoolTimeout(Duration.ofMillis(300)));
        long reserved = reserve(s.client(), "SELECT 1").getReservedId();
        long tx = s.client().begin(BeginRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).build())
                .getTransactionId();
        assertError(() -> reserve(s.client(), "SELECT 1"), ErrorKind.TX_POOL_FULL, Code.RESOURCE_EXHAUSTED,
                e -> assertThat(e.mysqlErrno()).isEqualTo(1203));
        assertError(() -> s.client().begin(BeginRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).build()),
                ErrorKind.TX_POOL_FULL, Code.RESOURCE_EXHAUSTED);
        release(s.client(), reserved);
        long again = reserve(s.client(), "SELECT 1").getReservedId();
        release(s.client(), again);
        rollback(s.client(), tx);
    }

    @Test
    void anIdleReservationIsClosedAndAnOpenTransactionOnOneStillTimesOut() {
        AtomicLong now = new AtomicLong();
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults(), now::get);
        long abandoned = reserve(s.client(), "SELECT 1").getReservedId();
        long used = reserve(s.client(), "SET @alive = 'yes'").getReservedId();
        BeginExecuteResponse begun = beginOnReserved(s.client(), used, "INSERT INTO kv VALUES (7, 'times out')");
        assertThat(begun.hasError()).isFalse();

        // Past the transaction timeout: the transaction is rolled back, the reservation stays.
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        await().atMost(WAIT).until(() -> s.service().openTransactions() == 0);
        assertError(() -> s.client().execute(inReservedTransaction("SELECT 1", used)), ErrorKind.TX_EXPIRED,
                Code.ABORTED);
        assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k = 7")).isEmpty();
        assertThat(query(s.client(), onReserved("SELECT @alive", used))).containsExactly(List.of("yes"));
        assertThat(s.service().reservedConnections()).isEqualTo(2);

        // Past the idle timeout for the reservation nobody used, not for the one just used.
        now.addAndGet(Duration.ofMinutes(20).toNanos());
        assertThat(query(s.client(), onReserved("SELECT @alive", used))).containsExactly(List.of("yes"));
        now.addAndGet(Duration.ofMinutes(15).toNanos());
        await().atMost(WAIT).until(() -> s.service().reservedConnections() == 1);
        assertError(() -> s.client().execute(onReserved("SELECT 1", abandoned)), ErrorKind.RESERVED_CONN_NOT_FOUND,
                Code.NOT_FOUND);
        assertThat(query(s.client(), onReserved("SELECT @alive", used))).containsExactly(List.of("yes"));
        release(s.client(), used);
    }

    @Test
    void aReservedTransactionBusyPastItsTimeoutLosesItsConnection() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults()
                .withTransactionTimeout(Duration.ofSeconds(1)).withQueryTimeout(Duration.ofSeconds(60)));
        long id = s.client().reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder()
                .setTarget(target(TabletType.PRIMARY)).setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build())
                .getReservedId();
        assertError(() -> s.client().execute(inReservedTransaction("SELECT SLEEP(60) AS reserved_tx", id)),
                ErrorKind.TX_EXPIRED, Code.ABORTED);
        await().atMost(WAIT).until(() -> fixture.running("SELECT SLEEP(60) AS reserved_tx") == 0);
        assertError(() -> s.client().execute(onReserved("SELECT 1", id)), ErrorKind.RESERVED_CONN_NOT_FOUND,
                Code.NOT_FOUND);
        assertThat(s.service().reservedConnections()).isZero();
    }

    @Test
    void aStatementPastTheQueryTimeoutIsKilledAndTheSessionLivesOn() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults()
                .withQueryTimeout(Duration.ofSeconds(1)));
        long id = reserve(s.client(), "SET @survives = 'yes'").getReservedId();
        assertError(() -> s.client().execute(onReserved("SELECT SLEEP(100) AS reserved_timeout", id)),
                ErrorKind.QUERY_TIMEOUT, Code.DEADLINE_EXCEEDED);
        await().atMost(WAIT).until(() -> fixture.running("SELECT SLEEP(100) AS reserved_timeout") == 0);
        assertThat(query(s.client(), onReserved("SELECT @survives", id))).containsExactly(List.of("yes"));
        release(s.client(), id);
    }

    @Test
    void aReservedConnectionServesOneCallAtATime() throws Exception {
        long id = reserve(client, "SELECT 1").getReservedId();
        String slow = "SELECT SLEEP(5) AS reserved_busy"; // longer than the wait for a busy connection
        CompletableFuture<Object> busy = CompletableFuture.supplyAsync(() -> outcome(() ->
                client.execute(onReserved(slow, id))));
        await().atMost(WAIT).until(() -> fixture.running(slow) == 1);
        assertError(() -> client.execute(onReserved("SELECT 1", id)), ErrorKind.TX_IN_USE, Code.FAILED_PRECONDITION);
        assertError(() -> release(client, id), ErrorKind.TX_IN_USE, Code.FAILED_PRECONDITION);
        assertThat(busy.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecuteResponse.class);
        // Ids of a transaction and a reservation must agree.
        assertError(() -> client.execute(onReserved("SELECT 1", id).toBuilder().setTransactionId(id + 1).build()),
                ErrorKind.BAD_REQUEST, Code.INVALID_ARGUMENT);
        release(client, id);
    }

    @Test
    void aReplicaServesTemporaryTablesOnAReservedConnectionUnderReadOnly() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults());
        s.state().update(st -> st.withType(TabletType.REPLICA));
        fixture.dba("INSERT INTO kv VALUES (41, 'a'), (42, 'b')", "SET GLOBAL read_only = 1");
        try {
            ReserveExecuteResponse r = s.client().reserveExecute(ReserveExecuteRequest.newBuilder()
                    .setTarget(target(TabletType.REPLICA)).setQuery(BoundQuery.newBuilder()
                            .setSql("CREATE TEMPORARY TABLE report AS SELECT k, v FROM kv WHERE k > 40")).build());
            long id = r.getReservedId();
            assertThat(rows(s.client().execute(onReserved("SELECT v FROM report ORDER BY k", id).toBuilder()
                    .setTarget(target(TabletType.REPLICA)).build()).getResult()))
                    .containsExactly(List.of("a"), List.of("b"));
            // The session writes into its own temporary table: a report stages and reworks its rows there.
            Function<String, ExecuteRequest> onReplica = sql -> onReserved(sql, id).toBuilder()
                    .setTarget(target(TabletType.REPLICA)).build();
            assertThat(s.client().execute(onReplica.apply("INSERT INTO report VALUES (43, 'c'), (44, 'd')"))
                    .getResult().getRowsAffected()).isEqualTo(2);
            assertThat(s.client().execute(onReplica.apply("UPDATE report r SET v = UPPER(v) WHERE k > 42"))
                    .getResult().getRowsAffected()).isEqualTo(2);
            s.client().execute(onReplica.apply("DELETE FROM report WHERE k = 41"));
            s.client().execute(onReplica.apply("REPLACE INTO `report` SELECT k + 10, v FROM kv WHERE k = 42"));
            assertThat(rows(s.client().execute(onReplica.apply("SELECT k, v FROM report ORDER BY k")).getResult()))
                    .containsExactly(List.of("42", "b"), List.of("43", "C"), List.of("44", "D"), List.of("52", "b"));
            // Every other write is refused: real tables, several tables at once, a qualified name, and the
            // temporary table's name on a pooled connection (which has none).
            for (String write : List.of("INSERT INTO kv VALUES (45, 'e')", "UPDATE kv SET v = 'x' WHERE k = 41",
                    "DELETE FROM kv WHERE k = 41", "UPDATE report JOIN kv USING (k) SET kv.v = 'x'",
                    "DELETE report FROM report JOIN kv USING (k)", "INSERT INTO vt_commerce.report VALUES (46, 'f')",
                    "CREATE TABLE report2 (k INT)")) {
                assertError(() -> s.client().execute(onReplica.apply(write)), ErrorKind.WRITE_ON_NON_PRIMARY,
                        Code.READ_ONLY);
            }
            assertError(() -> s.client().execute(ExecuteRequest.newBuilder().setTarget(target(TabletType.REPLICA))
                    .setQuery(BoundQuery.newBuilder().setSql("INSERT INTO report VALUES (47, 'g')")).build()),
                    ErrorKind.WRITE_ON_NON_PRIMARY, Code.READ_ONLY);
            assertThat(fixture.dbaColumn("SELECT v FROM kv WHERE k IN (41, 42) ORDER BY k"))
                    .containsExactly("a", "b");
            // Once dropped, the name is a real table's again: writes to it are refused.
            s.client().execute(onReplica.apply("DROP TEMPORARY TABLE IF EXISTS report"));
            assertError(() -> s.client().execute(onReplica.apply("INSERT INTO report VALUES (48, 'h')")),
                    ErrorKind.WRITE_ON_NON_PRIMARY, Code.READ_ONLY);
            s.client().execute(onReplica.apply("CREATE TEMPORARY TABLE IF NOT EXISTS report (k INT)"));
            s.client().execute(onReplica.apply("INSERT INTO report VALUES (49)"));
            s.client().execute(onReplica.apply("DROP TEMPORARY TABLE report"));
            assertError(() -> s.client().execute(onReserved("CREATE TABLE report2 (k INT)", id).toBuilder()
                    .setTarget(target(TabletType.REPLICA)).build()), ErrorKind.WRITE_ON_NON_PRIMARY, Code.READ_ONLY);
            s.client().release(ReleaseRequest.newBuilder().setTarget(target(TabletType.REPLICA)).setReservedId(id)
                    .build());
        } finally {
            fixture.dba("SET GLOBAL read_only = 0", "DELETE FROM kv WHERE k IN (41, 42)");
        }
    }

    @Test
    void aReplicaRefusesWritesOnAReservedConnectionToo() {
        QueryServiceFixture.Served s = fixture.serve(QueryServiceConfig.defaults());
        s.state().update(st -> st.withType(TabletType.REPLICA));
        ReserveExecuteResponse r = s.client().reserveExecute(ReserveExecuteRequest.newBuilder()
                .setTarget(target(TabletType.REPLICA)).addPreQueries("SET @@session.time_zone = '+01:00'")
                .setQuery(BoundQuery.newBuilder().setSql("SELECT @@session.time_zone")).build());
        assertThat(rows(r.getResult())).containsExactly(List.of("+01:00"));
        assertError(() -> s.client().execute(onReserved("INSERT INTO kv VALUES (8, 'no')", r.getReservedId())
                .toBuilder().setTarget(target(TabletType.REPLICA)).build()), ErrorKind.WRITE_ON_NON_PRIMARY,
                Code.READ_ONLY);
        assertError(() -> s.client().reserveExecute(ReserveExecuteRequest.newBuilder()
                .setTarget(target(TabletType.REPLICA)).addPreQueries("DELETE FROM kv")
                .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build()), ErrorKind.WRITE_ON_NON_PRIMARY,
                Code.READ_ONLY);
        // Release checks only the target, like Rollback.
        s.state().update(st -> st.withNotServing("demoted"));
        s.client().release(ReleaseRequest.newBuilder().setTarget(target(TabletType.REPLICA))
                .setReservedId(r.getReservedId()).build());
        assertThat(s.service().reservedConnections()).isZero();
    }
}
