package io.tessera.gate.executor;

import static io.tessera.gate.executor.FakeGateway.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.mysql.AuthenticatedUser;
import io.tessera.gate.mysql.ClientConnection;
import io.tessera.gate.mysql.ConnectionHandler;
import io.tessera.gate.mysql.PreparedMetadata;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class MysqlSessionsTest {
    private static final AuthenticatedUser USER = new AuthenticatedUser("app", "", List.of("web"),
            InetSocketAddress.createUnresolved("127.0.0.1", 50000));
    private static final int MULTI = ClientConnection.CLIENT_MULTI_STATEMENTS;

    private final FakeGateway gateway = FakeGateway.standard();
    private final GateExecutor executor = new GateExecutor(gateway, ExecutorConfig.defaults(),
            new PrometheusRegistry());
    private final MysqlSessions sessions = new MysqlSessions(executor, gateway);

    private MysqlSession open(String database, int capabilities) {
        return (MysqlSession) sessions.open(new ClientConnection(77, USER, database, capabilities));
    }

    private record Delivered(QueryResult result, boolean more) {}

    private static List<Delivered> query(ConnectionHandler h, String sql) {
        List<Delivered> out = new ArrayList<>();
        h.query(sql, (r, more) -> out.add(new Delivered(r, more)));
        return out;
    }

    @Test
    void theHandshakeDatabaseBecomesTheTarget() {
        MysqlSession s = open("commerce@replica", 0);
        assertThat(s.session().getTargetString()).isEqualTo("commerce@replica");
        assertThat(s.session().getAutocommit()).isTrue();
        assertThat(s.session().getOptions().getIncludedFields()).isEqualTo(ExecuteOptions.IncludedFields.ALL);
        assertThat(s.session().getOptions().getClientFoundRows()).isFalse();
        assertThat(open("", ClientConnection.CLIENT_FOUND_ROWS).session().getOptions().getClientFoundRows())
                .isTrue();
        assertThatThrownBy(() -> open("nosuch", 0)).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.mysqlErrno()).isEqualTo(1049));
    }

    @Test
    void severalStatementsNeedMultiStatements() {
        MysqlSession multi = open("commerce", MULTI);
        List<Delivered> out = query(multi, "SELECT 'a;b' FROM t; /* ; */ SELECT 2 FROM t;\nSELECT 3 FROM t;");
        assertThat(out).extracting(Delivered::more).containsExactly(true, true, false);
        assertThat(gateway.statements()).containsExactly("SELECT 'a;b' FROM t", "/* ; */ SELECT 2 FROM t",
                "SELECT 3 FROM t");

        MysqlSession single = open("commerce", 0);
        assertThat(query(single, "SELECT 1 FROM t;")).hasSize(1);
        assertThatThrownBy(() -> query(single, "SELECT 1 FROM t; DROP TABLE t"))
                .isInstanceOfSatisfying(TesseraException.class, e -> {
                    assertThat(e.mysqlErrno()).isEqualTo(1064);
                    assertThat(e.getMessage()).contains("DROP TABLE t");
                });
        assertThat(gateway.statements()).doesNotContain("DROP TABLE t");
        assertThatThrownBy(() -> query(single, " -- nothing")).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.mysqlErrno()).isEqualTo(1065));
    }

    @Test
    void aFailingStatementStopsTheRestAfterDeliveringThoseBefore() {
        gateway.fail("SELECT 2 FROM t", TesseraException.mysql(1146, "42S02", "Table 't' doesn't exist", null));
        MysqlSession s = open("commerce", MULTI);
        List<Delivered> out = new ArrayList<>();
        assertThatThrownBy(() -> s.query("SELECT 1 FROM t; SELECT 2 FROM t; SELECT 3 FROM t",
                (r, more) -> out.add(new Delivered(r, more)))).isInstanceOf(TesseraException.class);
        assertThat(out).hasSize(1);
        assertThat(gateway.statements()).doesNotContain("SELECT 3 FROM t");
    }

    @Test
    void preparedStatementsAreDescribedWithoutRowsAndRunWithBindVariables() {
        gateway.respond(c -> c.sql().startsWith("SELECT") ? QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("id").setType(Type.INT64))
                .addFields(Field.newBuilder().setName("name").setType(Type.VARCHAR)).build() : null);
        MysqlSession s = open("commerce", 0);
        PreparedMetadata select = s.prepare("SELECT id, name FROM product WHERE id = ? AND name <> '?'");
        assertThat(select.parameterCount()).isEqualTo(1);
        assertThat(select.columns()).extracting(Field::getName).containsExactly("id", "name");
        assertThat(gateway.lastCall().sql())
                .isEqualTo("SELECT id, name FROM product WHERE id = NULL AND name <> '?' LIMIT 0");

        s.prepare("SELECT * FROM product ORDER BY id LIMIT ?, ? FOR UPDATE");
        assertThat(gateway.lastCall().sql())
                .isEqualTo("SELECT * FROM (SELECT * FROM product ORDER BY id LIMIT 0, 0) AS tessera_prepare LIMIT 0");

        int before = gateway.calls().size();
        PreparedMetadata insert = s.prepare("INSERT INTO product (id, name) VALUES (?, ?)");
        assertThat(insert.parameterCount()).isEqualTo(2);
        assertThat(insert.columns()).isEmpty();
        assertThat(gateway.calls()).hasSize(before);

        s.executePrepared("INSERT INTO product (id, name) VALUES (?, ?)", List.of(
                BindVariable.newBuilder().setType(Type.INT64).setValue(ByteString.copyFromUtf8("7")).build(),
                BindVariable.newBuilder().setType(Type.VARCHAR).setValue(ByteString.copyFromUtf8("x?")).build()));
        FakeGateway.Call c = gateway.lastCall();
        assertThat(c.sql()).isEqualTo("INSERT INTO product (id, name) VALUES (:v1, :v2)");
        assertThat(c.bindVariables().get("v1").getValue().toStringUtf8()).isEqualTo("7");
        assertThat(c.bindVariables().get("v2").getValue().toStringUtf8()).isEqualTo("x?");

        assertThatThrownBy(() -> s.executePrepared("SELECT ?", List.of()))
                .isInstanceOfSatisfying(TesseraException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.WRONG_ARGUMENTS));
    }

    @Test
    void connectionIdIsTheGatesConnectionId() {
        MysqlSession s = open("", 0);
        List<Delivered> out = query(s, "SELECT CONNECTION_ID()");
        assertThat(values(out.getFirst().result())).containsExactly(List.of("77"));
        assertThat(out.getFirst().result().getFields(0).getName()).isEqualTo("CONNECTION_ID()");
        assertThat(values(query(s, "select connection_id() as id").getFirst().result())).containsExactly(List.of("77"));
        assertThat(gateway.calls()).isEmpty();
    }

    @Test
    void useDatabaseAndFieldList() {
        gateway.answer("SELECT * FROM `product` LIMIT 0", QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("id").setDatabase("vt_commerce").setType(Type.INT64))
                .addFields(Field.newBuilder().setName("name").setDatabase("vt_commerce").setType(Type.VARCHAR))
                .addFields(Field.newBuilder().setName("price").setDatabase("vt_commerce").setType(Type.DECIMAL))
                .build());
        MysqlSession s = open("", 0);
        s.useDatabase("commerce");
        assertThat(s.session().getTargetString()).isEqualTo("commerce");
        assertThatThrownBy(() -> s.useDatabase("nosuch")).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.mysqlErrno()).isEqualTo(1049));
        assertThat(s.fieldList("product", "")).extracting(Field::getName).containsExactly("id", "name", "price");
        assertThat(s.fieldList("product", "n%")).extracting(Field::getName).containsExactly("name");
        assertThat(s.fieldList("product", "")).extracting(Field::getDatabase).containsOnly("commerce");
    }

    @Test
    void flagsResetChangeUserAndClose() {
        MysqlSession s = open("commerce", MULTI);
        query(s, "SET autocommit = 0; SET @v = 1; SET sql_safe_updates = 1; INSERT INTO t VALUES (1)");
        assertThat(s.autocommit()).isFalse();
        assertThat(s.inTransaction()).isTrue();
        assertThat(gateway.openTransactions()).isEqualTo(1);
        assertThat(gateway.lastCall().immediate().getUsername()).isEqualTo("app");

        s.reset();
        assertThat(gateway.openTransactions()).isZero();
        assertThat(gateway.reservedConnections()).isZero();
        assertThat(s.autocommit()).isTrue();
        assertThat(s.inTransaction()).isFalse();
        assertThat(s.session().getUserDefinedVariablesMap()).isEmpty();
        assertThat(s.session().getSystemVariablesMap()).isEmpty();
        assertThat(s.session().getTargetString()).isEqualTo("commerce");

        s.changeUser(new AuthenticatedUser("bob", "robert", List.of("ops"), USER.remote()), "customer");
        query(s, "SELECT * FROM c");
        assertThat(gateway.lastCall().immediate().getUsername()).isEqualTo("robert");
        assertThat(gateway.lastCall().immediate().getGroupsList()).containsExactly("ops");
        assertThat(gateway.lastCall().target().getKeyspace()).isEqualTo("customer");

        query(s, "BEGIN; INSERT INTO c VALUES (1)");
        s.close();
        assertThat(gateway.openTransactions()).isZero();
    }

    @Test
    void killConnectionClosesAnotherSessionOfTheSameUserOnly() {
        AuthenticatedUser other = new AuthenticatedUser("other", "", List.of(),
                InetSocketAddress.createUnresolved("127.0.0.1", 50001));
        List<Long> closed = new ArrayList<>();
        ConnectionHandler killer = sessions.open(new ClientConnection(1, USER, "commerce", 0), () -> closed.add(1L));
        ConnectionHandler victim = sessions.open(new ClientConnection(2, USER, "commerce", 0), () -> closed.add(2L));
        ConnectionHandler stranger = sessions.open(new ClientConnection(3, other, "commerce", 0),
                () -> closed.add(3L));

        assertThat(query(killer, "KILL 2")).hasSize(1);
        assertThat(closed).containsExactly(2L);
        assertThat(query(killer, " kill connection 2 ;")).hasSize(1);
        assertThat(closed).containsExactly(2L, 2L);
        assertThat(gateway.calls()).as("answered by the gate").isEmpty();

        assertThatThrownBy(() -> query(killer, "KILL 3")).isInstanceOfSatisfying(TesseraException.class, e -> {
            assertThat(e.mysqlErrno()).isEqualTo(1095);
            assertThat(e.getMessage()).contains("not owner of thread 3");
        });
        victim.close();
        assertThatThrownBy(() -> query(killer, "KILL CONNECTION 2")).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.mysqlErrno()).isEqualTo(1094));
        assertThatThrownBy(() -> query(killer, "KILL USER app")).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNIMPLEMENTED));
        assertThat(closed).containsExactly(2L, 2L);

        // After COM_CHANGE_USER the session belongs to its new user.
        stranger.changeUser(USER, "commerce");
        assertThat(query(killer, "KILL 3")).hasSize(1);
        assertThat(closed).containsExactly(2L, 2L, 3L);

        // A session may end itself; the statement reports the connection killed.
        assertThatThrownBy(() -> query(killer, "KILL 1")).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.mysqlErrno()).isEqualTo(1927));
        assertThat(closed).containsExactly(2L, 2L, 3L, 1L);
        // Neither path starts a KILL without blocking: it is answered by the session.
        assertThat(killer.start("KILL 3", null)).isNull();
    }

    @Test
    void killQueryInterruptsTheStatementAnotherSessionOfTheSameUserIsRunning() throws Exception {
        gateway.blockOn("SLEEP(");
        AuthenticatedUser other = new AuthenticatedUser("other", "", List.of(),
                InetSocketAddress.createUnresolved("127.0.0.1", 50001));
        List<Long> closed = new ArrayList<>();
        ConnectionHandler killer = sessions.open(new ClientConnection(1, USER, "commerce", 0), () -> closed.add(1L));
        ConnectionHandler victim = sessions.open(new ClientConnection(2, USER, "commerce", MULTI),
                () -> closed.add(2L));
        ConnectionHandler stranger = sessions.open(new ClientConnection(3, other, "commerce", 0),
                () -> closed.add(3L));
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // Nothing running: KILL QUERY succeeds and changes nothing, as in MySQL.
            assertThat(query(killer, "KILL QUERY 2")).hasSize(1);
            assertThat(query(victim, "SELECT 1 FROM t")).hasSize(1);

            Future<List<Delivered>> sleeping = threads.submit(() -> query(victim, "SELECT SLEEP(100) FROM t"));
            awaitCall("SELECT SLEEP(100) FROM t");
            assertThatThrownBy(() -> query(stranger, "KILL QUERY 2")).isInstanceOfSatisfying(TesseraException.class,
                    e -> assertThat(e.mysqlErrno()).isEqualTo(1095));
            assertThat(gateway.cancelledCalls()).isZero();
            assertThat(query(killer, "kill query 2;")).hasSize(1);
            assertThatThrownBy(() -> sleeping.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(TesseraException.class, e -> {
                        assertThat(e.mysqlErrno()).isEqualTo(1317);
                        assertThat(e.sqlState()).isEqualTo("70100");
                        assertThat(e.getMessage()).isEqualTo("Query execution was interrupted");
                    });
            assertThat(gateway.cancelledCalls()).as("the tablet call was cancelled").isEqualTo(1);
            assertThat(closed).as("the session goes on").isEmpty();

            // In a transaction: the statement is interrupted, the transaction stays open and commits.
            query(victim, "BEGIN; INSERT INTO t VALUES (1)");
            Future<List<Delivered>> inTransaction = threads.submit(() -> query(victim, "SELECT SLEEP(100) FROM t"));
            awaitCall("SELECT SLEEP(100) FROM t");
            query(killer, "KILL QUERY 2");
            assertThatThrownBy(() -> inTransaction.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.mysqlErrno()).isEqualTo(1317));
            assertThat(victim.inTransaction()).isTrue();
            assertThat(gateway.openTransactions()).isEqualTo(1);
            query(victim, "COMMIT");
            assertThat(gateway.openTransactions()).isZero();
            assertThat(gateway.lastCall().method()).isEqualTo("commit");

            // The next statement is not affected by the kill that ended the one before.
            assertThat(query(victim, "SELECT 2 FROM t")).hasSize(1);
            assertThat(gateway.cancelledCalls()).isEqualTo(2);

            // KILL QUERY of one's own statement interrupts the KILL itself; unknown ids are refused.
            assertThatThrownBy(() -> query(killer, "KILL QUERY 1")).isInstanceOfSatisfying(TesseraException.class,
                    e -> assertThat(e.mysqlErrno()).isEqualTo(1317));
            assertThatThrownBy(() -> query(killer, "KILL QUERY 9")).isInstanceOfSatisfying(TesseraException.class,
                    e -> assertThat(e.mysqlErrno()).isEqualTo(1094));

            // KILL CONNECTION ends the running statement too, not only the connection.
            Future<List<Delivered>> beforeDisconnect = threads.submit(() -> query(victim, "SELECT SLEEP(100) FROM t"));
            awaitCall("SELECT SLEEP(100) FROM t");
            query(killer, "KILL 2");
            assertThat(closed).containsExactly(2L);
            assertThatThrownBy(() -> beforeDisconnect.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.mysqlErrno()).isEqualTo(1317));
            assertThat(gateway.cancelledCalls()).isEqualTo(3);
        }
    }

    /** Waits until a call running {@code sql} has reached the gateway, then forgets the calls so far. */
    private void awaitCall(String sql) {
        Awaitility.await().atMost(30, TimeUnit.SECONDS)
                .until(() -> gateway.calls().stream().anyMatch(c -> sql.equals(c.sql())));
        gateway.clearCalls();
    }
}
