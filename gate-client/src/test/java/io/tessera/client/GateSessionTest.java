package io.tessera.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.grpc.VitessGrpcService;
import io.tessera.proto.query.Type;
import io.tessera.proto.vtrpc.CallerID;
import io.tessera.proto.vtrpc.Code;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against the real Vitess service over in-process gRPC, with an executor that keeps all its state in
 * the session: what the client does not send back is lost, so these tests show the client keeps its session.
 */
class GateSessionTest {
    private final SessionKeepingExecutor executor = new SessionKeepingExecutor();
    private final ExecutorService streamThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private Server server;
    private ManagedChannel channel;
    private GateClient client;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(new VitessGrpcService(executor, streamThreads))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        client = new GateClient(channel);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        readers.shutdownNow();
        streamThreads.shutdownNow();
    }

    private static String single(Result result) {
        assertThat(result.rows()).hasSize(1);
        return result.rows().getFirst().get(0);
    }

    @Test
    void theTargetTravelsWithTheSessionAndCanBeChanged() {
        GateSession session = client.session("commerce@replica");
        assertThat(single(session.execute("select target"))).isEqualTo("commerce@replica");

        session.execute("use customer");
        assertThat(session.target()).isEqualTo("customer");
        assertThat(single(session.execute("select target"))).isEqualTo("customer");

        session.useTarget("commerce:-80@rdonly");
        assertThat(single(session.execute("select target"))).isEqualTo("commerce:-80@rdonly");
    }

    @Test
    void transactionsAndUserVariablesSurviveAcrossCallsAndAFailedStatement() {
        GateSession session = client.session("commerce");
        session.execute("set @greeting = ?", "hello");
        session.begin();
        assertThat(session.inTransaction()).isTrue();

        assertThatThrownBy(() -> session.execute("fail 1062 23000")).isInstanceOf(GateException.class);

        // The failed statement's session came back: still in the transaction, now marked failed, variable kept.
        assertThat(session.inTransaction()).isTrue();
        assertThat(session.session().getErrorUntilRollback()).isTrue();
        assertThat(session.session().getUserDefinedVariablesMap()).containsKey("greeting");
        assertThatThrownBy(() -> session.execute("select target")).isInstanceOfSatisfying(GateException.class,
                e -> assertThat(e.getMessage()).contains("roll it back"));
        session.rollback();
        assertThat(session.inTransaction()).isFalse();
        assertThat(single(session.execute("select @greeting"))).isEqualTo("hello");

        session.begin();
        session.commit();
        assertThat(session.inTransaction()).isFalse();
    }

    @Test
    void sessionsAreIndependent() {
        GateSession one = client.session("commerce");
        GateSession two = client.session("customer");
        one.begin();
        one.execute("set @x = :x", Map.of("x", 1));
        assertThat(two.inTransaction()).isFalse();
        assertThat(two.execute("select @x").rows().getFirst().isNull(0)).isTrue();
        assertThat(single(two.execute("select target"))).isEqualTo("customer");
    }

    @Test
    void errorsArriveWithCodeErrnoSqlstateAndCatalogueId() {
        GateSession session = client.session("commerce");
        assertThatThrownBy(() -> session.execute("fail 1062 23000")).isInstanceOfSatisfying(GateException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(Code.ALREADY_EXISTS);
                    assertThat(e.mysqlErrno()).isEqualTo(1062);
                    assertThat(e.sqlState()).isEqualTo("23000");
                    assertThat(e.errorId()).isEqualTo(ErrorKind.MYSQL_ERROR.id());
                    assertThat(e.getMessage()).isEqualTo("statement failed with 1062");
                });
        assertThatThrownBy(() -> session.execute("use nowhere")).isInstanceOfSatisfying(GateException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
            assertThat(e.mysqlErrno()).isEqualTo(1049);
            assertThat(e.sqlState()).isEqualTo("42000");
            assertThat(e.errorId()).isEqualTo(ErrorKind.UNKNOWN_DATABASE.id());
            assertThat(e.getMessage()).isEqualTo("Unknown database 'nowhere'");
        });
        assertThat(session.target()).isEqualTo("commerce");
    }

    @Test
    void aRequestTheGateRefusesArrivesAsGateExceptionFromTheTrailer() {
        GateSession session = client.session("commerce");
        assertThatThrownBy(() -> session.execute(" ")).isInstanceOfSatisfying(GateException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
            assertThat(e.errorId()).isEqualTo(ErrorKind.BAD_REQUEST.id());
            assertThat(e.mysqlErrno()).isEqualTo(1105);
            assertThat(e.getMessage()).contains("no SQL statement");
        });
    }

    @Test
    void writesReportRowsAffectedAndInsertId() {
        Result result = client.session("commerce").execute("insert into t values (?)", 1);
        assertThat(result.rowsAffected()).isEqualTo(1);
        assertThat(result.insertId()).isEqualTo(7);
        assertThat(result.rows()).isEmpty();
        assertThat(result.fields()).isEmpty();
    }

    @Test
    void positionalAndNamedParametersArriveAsTypedBindVariables() {
        GateSession session = client.session("commerce");
        Result positional = session.execute("select binds where a = ? and b = ? and c = '?' and d = ?", 5L, "x",
                null);
        assertThat(positional.fields()).containsExactly(new Column("name", Type.VARCHAR),
                new Column("type", Type.VARCHAR), new Column("value", Type.VARBINARY));
        assertThat(positional.rows()).extracting(Row::values).containsExactly(
                List.of("v1", "INT64", "5"), java.util.Arrays.asList("v2", "VARCHAR", "x"),
                java.util.Arrays.asList("v3", "NULL_TYPE", null));

        Result named = session.execute("select binds where id in ::ids", Map.of("ids", List.of(1, 2)));
        assertThat(named.rows()).hasSize(1);
        assertThat(named.rows().getFirst().get("name")).isEqualTo("ids");
        assertThat(named.rows().getFirst().get("TYPE")).isEqualTo("TUPLE");
    }

    @Test
    void theCallerIdIsSent() {
        GateClient alice = new GateClient(channel, CallerID.newBuilder().setPrincipal("alice").addGroups("dev")
                .build());
        alice.session("commerce").execute("select target");
        client.session("commerce").execute("select target");
        assertThat(executor.callers).extracting(c -> c.username()).containsExactly("alice", "grpc-client");
        assertThat(executor.callers.getFirst().groups()).containsExactly("dev");
    }

    @Test
    void streamedRowsArriveInOrderWithTheirColumns() {
        GateSession session = client.session("commerce");
        List<Long> numbers = new ArrayList<>();
        session.streamExecute("numbers 25", row -> {
            assertThat(row.columns()).containsExactly(new Column("n", Type.INT64));
            numbers.add(row.getLong("n"));
        });
        assertThat(numbers).hasSize(25);
        for (int i = 0; i < 25; i++) {
            assertThat(numbers.get(i)).isEqualTo(i);
        }

        List<String> targets = new ArrayList<>();
        session.streamExecute("select target", row -> targets.add(row.get("target")));
        assertThat(targets).containsExactly("commerce");
    }

    @Test
    void aStreamKeepsTheSessionItWasSentAndAFailureArrivesAfterTheRows() {
        GateSession session = client.session("commerce");
        session.execute("set @kept = ?", "yes");
        List<Long> numbers = new ArrayList<>();
        assertThatThrownBy(() -> session.streamExecute("numbers 15 then fail", row -> numbers.add(row.getLong(0))))
                .isInstanceOfSatisfying(GateException.class, e -> {
                    assertThat(e.mysqlErrno()).isEqualTo(1317);
                    assertThat(e.code()).isEqualTo(Code.CANCELED);
                });
        assertThat(numbers).hasSize(15);
        assertThat(single(session.execute("select @kept"))).isEqualTo("yes");
    }

    @Test
    void aSlowConsumerHoldsTheGateBack() throws Exception {
        GateSession session = client.session("commerce");
        CountDownLatch release = new CountDownLatch(1);
        List<Long> numbers = new ArrayList<>();
        Future<?> reading = readers.submit(() -> session.streamExecute("numbers 10000", row -> {
            numbers.add(row.getLong(0));
            if (numbers.size() == 1) {
                awaitQuietly(release);
            }
        }));

        // While the consumer sits on the first row, the producer waits a few chunks ahead instead of running on.
        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.streamThread != null
                && (executor.streamThread.getState() == Thread.State.WAITING
                        || executor.streamThread.getState() == Thread.State.TIMED_WAITING));
        assertThat(executor.chunksSent.get()).isLessThan(100);
        assertThat(executor.streamEnded).isNotDone();

        release.countDown();
        reading.get(30, TimeUnit.SECONDS);
        assertThat(numbers).hasSize(10000);
        assertThat(numbers.getLast()).isEqualTo(9999);
        assertThat(executor.streamEnded.get(10, TimeUnit.SECONDS)).isNull();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aConsumerThatThrowsCancelsTheStreamOnTheGate() throws Exception {
        GateSession session = client.session("commerce");
        List<Long> numbers = new ArrayList<>();
        IllegalStateException enough = new IllegalStateException("enough");
        assertThatThrownBy(() -> session.streamExecute("numbers 1000000", row -> {
            numbers.add(row.getLong(0));
            if (numbers.size() == 3) {
                throw enough;
            }
        })).isSameAs(enough);

        Throwable ended = executor.streamEnded.get(10, TimeUnit.SECONDS);
        assertThat(ended).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELED));
        // The session is usable again straight away.
        assertThat(single(session.execute("select target"))).isEqualTo("commerce");
    }

    @Test
    void aSessionRefusesToBeCalledFromItsOwnStream() {
        GateSession session = client.session("commerce");
        assertThatThrownBy(() -> session.streamExecute("numbers 3", row -> session.execute("select target")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("one call at a time");
        assertThatThrownBy(() -> session.streamExecute("numbers 3", row -> session.useTarget("customer")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("one call at a time");
        assertThatThrownBy(() -> session.streamExecute("numbers 3", row -> session.close()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("one call at a time");
        // Looking at the session from inside is fine, and the session is still whole afterwards.
        List<String> targets = new ArrayList<>();
        session.streamExecute("numbers 3", row -> targets.add(session.target()));
        assertThat(targets).containsExactly("commerce", "commerce", "commerce");
        assertThat(single(session.execute("select target"))).isEqualTo("commerce");
    }

    @Test
    void closeEndsTheSessionOnTheGateOnlyWhenItHoldsSomething() {
        GateSession idle = client.session("commerce");
        idle.execute("select target");
        idle.close();
        assertThat(executor.closed).isEmpty();

        GateSession open = client.session("commerce");
        open.begin();
        open.close();
        assertThat(executor.closed).hasSize(1);
        assertThat(executor.closed.getFirst().getInTransaction()).isTrue();
        assertThat(executor.closed.getFirst().getShardSessionsCount()).isEqualTo(1);

        open.close();
        assertThat(executor.closed).hasSize(1);
        assertThatThrownBy(() -> open.execute("select target")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
