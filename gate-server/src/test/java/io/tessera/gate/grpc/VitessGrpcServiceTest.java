package io.tessera.gate.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.executor.Caller;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.ResultWithError;
import io.tessera.proto.query.Type;
import io.tessera.proto.vtgate.CloseSessionRequest;
import io.tessera.proto.vtgate.CloseSessionResponse;
import io.tessera.proto.vtgate.ExecuteBatchRequest;
import io.tessera.proto.vtgate.ExecuteBatchResponse;
import io.tessera.proto.vtgate.ExecuteRequest;
import io.tessera.proto.vtgate.ExecuteResponse;
import io.tessera.proto.vtgate.Session;
import io.tessera.proto.vtgate.StreamExecuteRequest;
import io.tessera.proto.vtgate.StreamExecuteResponse;
import io.tessera.proto.vtgateservice.VitessGrpc;
import io.tessera.proto.vtrpc.CallerID;
import io.tessera.proto.vtrpc.Code;
import io.tessera.queryservice.CompactRows;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Vitess service over in-process gRPC, with a scripted executor behind it and raw stubs in front: sessions go
 * to the executor and back unchanged except by it, statement errors come back beside the session, incomplete
 * requests fail the call, batches run in order, streams honour flow control and cancellation.
 */
class VitessGrpcServiceTest {
    private static final Session SESSION = Session.newBuilder().setAutocommit(true).setTargetString("commerce")
            .build();

    private final ScriptedExecutor executor = new ScriptedExecutor();
    private final ExecutorService streamThreads = Executors.newVirtualThreadPerTaskExecutor();
    private Server server;
    private ManagedChannel channel;
    private VitessGrpc.VitessBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(new VitessGrpcService(executor, streamThreads))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        stub = VitessGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        streamThreads.shutdownNow();
    }

    private static BoundQuery query(String sql) {
        return BoundQuery.newBuilder().setSql(sql).build();
    }

    private ExecuteResponse execute(Session session, String sql) {
        return stub.execute(ExecuteRequest.newBuilder().setSession(session).setQuery(query(sql)).build());
    }

    @Test
    void aRequestWithoutSessionOrCallerGetsAnAutocommitSessionAndTheDefaultCaller() {
        ExecuteResponse response = stub.execute(ExecuteRequest.newBuilder().setQuery(query("select 1")).build());

        assertThat(response.hasError()).isFalse();
        assertThat(CompactRows.strings(response.getResult().getRows(0))).containsExactly("select 1");
        ScriptedExecutor.Call call = executor.calls.getFirst();
        assertThat(call.session().getAutocommit()).isTrue();
        assertThat(call.session().getTargetString()).isEmpty();
        assertThat(call.caller()).isEqualTo(new Caller("grpc-client", List.of()));
        assertThat(response.getSession().getAutocommit()).isTrue();
        assertThat(ScriptedExecutor.callCount(response.getSession())).isEqualTo(1);
    }

    @Test
    void theCallerComesFromTheCallerIdAndBindVariablesPassUnchanged() {
        BindVariable id = BindVariable.newBuilder().setType(Type.INT64)
                .setValue(com.google.protobuf.ByteString.copyFromUtf8("42")).build();
        stub.execute(ExecuteRequest.newBuilder()
                .setCallerId(CallerID.newBuilder().setPrincipal("alice").addGroups("dev").addGroups("ops"))
                .setSession(SESSION)
                .setQuery(BoundQuery.newBuilder().setSql("select * from t where id = :id").putBindVariables("id", id))
                .build());

        ScriptedExecutor.Call call = executor.calls.getFirst();
        assertThat(call.caller()).isEqualTo(new Caller("alice", List.of("dev", "ops")));
        assertThat(call.bindVariables()).containsExactly(java.util.Map.entry("id", id));
        assertThat(call.session().getTargetString()).isEqualTo("commerce");
    }

    @Test
    void theSessionRoundTripsAcrossCallsAndAcrossAFailedStatement() {
        executor.statement = (session, sql, bindVariables) -> {
            switch (sql) {
                case "begin" -> session.setInTransaction(true);
                case "use customer@replica" -> session.setTargetString("customer@replica");
                case "insert dup" -> {
                    session.setErrorUntilRollback(true);
                    throw TesseraException.mysql(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'", null);
                }
                default -> { }
            }
            return QueryResult.getDefaultInstance();
        };

        Session session = SESSION;
        session = execute(session, "begin").getSession();
        session = execute(session, "use customer@replica").getSession();
        ExecuteResponse failed = execute(session, "insert dup");
        session = failed.getSession();
        ExecuteResponse last = execute(session, "select 1");

        assertThat(failed.hasError()).isTrue();
        assertThat(failed.hasResult()).isFalse();
        assertThat(last.getSession().getInTransaction()).isTrue();
        assertThat(last.getSession().getTargetString()).isEqualTo("customer@replica");
        assertThat(last.getSession().getErrorUntilRollback()).isTrue();
        assertThat(ScriptedExecutor.callCount(last.getSession())).isEqualTo(4);
        // The executor saw each call's session exactly as the previous response left it.
        assertThat(executor.calls.get(3).session()).isEqualTo(failed.getSession());
    }

    @Test
    void statementErrorsComeBackInTheResponseWithCodeErrnoAndSqlstate() {
        executor.statement = (session, sql, bindVariables) -> {
            throw TesseraException.of(ErrorKind.UNKNOWN_DATABASE, "nope");
        };
        RpcErrorAssert.of(execute(SESSION, "select 1").getError(), ErrorKind.UNKNOWN_DATABASE.id(), Code.NOT_FOUND,
                1049, "42000", "Unknown database 'nope'");

        executor.statement = (session, sql, bindVariables) -> {
            throw TesseraException.mysql(1146, "42S02", "Table 'vt_commerce.x' doesn't exist", null);
        };
        ExecuteResponse mysql = execute(SESSION, "select * from x");
        RpcErrorAssert.of(mysql.getError(), ErrorKind.MYSQL_ERROR.id(), Code.NOT_FOUND, 1146, "42S02",
                "Table 'vt_commerce.x' doesn't exist");
        assertThat(ScriptedExecutor.callCount(mysql.getSession())).isEqualTo(1);
    }

    @Test
    void unexpectedExceptionsBecomeInternalErrors() {
        executor.statement = (session, sql, bindVariables) -> {
            throw new IllegalStateException("planner bug");
        };
        ExecuteResponse response = execute(SESSION, "select 1");
        assertThat(response.getError().getCode()).isEqualTo(Code.INTERNAL);
        assertThat(response.getError().getErrorId()).isEqualTo(ErrorKind.INTERNAL.id());
        assertThat(response.getError().getMessage()).contains("planner bug");
        assertThat(response.hasSession()).isTrue();
    }

    @Test
    void requestsWithoutSqlFailTheCallWithInvalidArgumentAndReachNoExecutor() {
        assertBadRequest(() -> stub.execute(ExecuteRequest.newBuilder().setSession(SESSION).build()),
                "the request has no SQL statement");
        assertBadRequest(() -> execute(SESSION, "  "), "the request has no SQL statement");
        assertBadRequest(() -> stub.executeBatch(ExecuteBatchRequest.newBuilder().setSession(SESSION).build()),
                "the batch has no queries");
        assertBadRequest(() -> stub.executeBatch(ExecuteBatchRequest.newBuilder().setSession(SESSION)
                .addQueries(query("select 1")).addQueries(query("")).build()), "query 1 of the batch has no SQL");
        assertBadRequest(() -> stub.streamExecute(StreamExecuteRequest.newBuilder().setSession(SESSION).build())
                .hasNext(), "the request has no SQL statement");
        assertThat(executor.calls).isEmpty();
    }

    private static void assertBadRequest(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
            TesseraException error = GrpcErrors.fromStatus(e);
            assertThat(error.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(error.getMessage()).contains(message);
        });
    }

    @Test
    void aBatchRunsInOrderInOneSessionAndEachStatementReportsItsOwnOutcome() {
        executor.statement = (session, sql, bindVariables) -> {
            if (sql.equals("insert dup")) {
                throw TesseraException.mysql(1062, "23000", "Duplicate entry", null);
            }
            return QueryResult.newBuilder().setRowsAffected(sql.length()).build();
        };
        ExecuteBatchResponse response = stub.executeBatch(ExecuteBatchRequest.newBuilder().setSession(SESSION)
                .addQueries(query("insert a")).addQueries(query("insert dup")).addQueries(query("insert ccc"))
                .build());

        assertThat(response.hasError()).isFalse();
        assertThat(executor.calls).extracting(ScriptedExecutor.Call::sql)
                .containsExactly("insert a", "insert dup", "insert ccc");
        List<ResultWithError> results = response.getResultsList();
        assertThat(results).hasSize(3);
        assertThat(results.get(0).getResult().getRowsAffected()).isEqualTo(8);
        assertThat(results.get(0).hasError()).isFalse();
        assertThat(results.get(1).getError().getMysqlErrno()).isEqualTo(1062);
        assertThat(results.get(1).hasResult()).isFalse();
        assertThat(results.get(2).getResult().getRowsAffected()).isEqualTo(10);
        // One session threaded through the three statements.
        assertThat(ScriptedExecutor.callCount(response.getSession())).isEqualTo(3);
        assertThat(executor.calls.get(2).session().getUserDefinedVariablesMap()).containsKey("calls");
    }

    @Test
    void aStreamSendsFieldsThenRowsInOrderThenTheSession() {
        executor.streamed = (session, sql, consumer) -> {
            consumer.accept(QueryResult.newBuilder().addFields(Field.newBuilder().setName("n").setType(Type.INT64))
                    .build());
            for (int i = 0; i < 5; i++) {
                consumer.accept(QueryResult.newBuilder().addRows(CompactRows.ofStrings(Integer.toString(i))).build());
            }
            session.setTargetString("commerce@rdonly");
        };
        List<StreamExecuteResponse> messages = new ArrayList<>();
        stub.streamExecute(StreamExecuteRequest.newBuilder().setSession(SESSION).setQuery(query("select n"))
                .build()).forEachRemaining(messages::add);

        assertThat(messages).hasSize(7);
        assertThat(messages.getFirst().getResult().getFields(0).getName()).isEqualTo("n");
        List<String> values = new ArrayList<>();
        for (StreamExecuteResponse m : messages.subList(1, 6)) {
            assertThat(m.hasSession()).isFalse();
            values.add(CompactRows.strings(m.getResult().getRows(0)).getFirst());
        }
        assertThat(values).containsExactly("0", "1", "2", "3", "4");
        StreamExecuteResponse last = messages.getLast();
        assertThat(last.hasResult()).isFalse();
        assertThat(last.getSession().getTargetString()).isEqualTo("commerce@rdonly");
        assertThat(ScriptedExecutor.callCount(last.getSession())).isEqualTo(1);
    }

    @Test
    void aFailedStreamSendsTheSessionBeforeTheError() {
        executor.streamed = (session, sql, consumer) -> {
            consumer.accept(QueryResult.newBuilder().addFields(Field.newBuilder().setName("n")).build());
            session.setInTransaction(true);
            throw TesseraException.mysql(1317, "70100", "Query execution was interrupted", null);
        };
        Iterator<StreamExecuteResponse> messages = stub.streamExecute(StreamExecuteRequest.newBuilder()
                .setSession(SESSION).setQuery(query("select n")).build());

        assertThat(messages.next().getResult().getFieldsCount()).isEqualTo(1);
        assertThat(messages.next().getSession().getInTransaction()).isTrue();
        assertThatThrownBy(messages::hasNext).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            TesseraException error = GrpcErrors.fromStatus(e);
            assertThat(error.mysqlErrno()).isEqualTo(1317);
            assertThat(error.sqlState()).isEqualTo("70100");
        });
    }

    @Test
    void aSlowReaderHoldsTheProducerBack() throws Exception {
        int total = 1000;
        executor.streamed = (session, sql, consumer) -> {
            for (int i = 0; i < total; i++) {
                consumer.accept(QueryResult.newBuilder().addRows(CompactRows.ofStrings(Integer.toString(i))).build());
            }
        };
        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<ClientCallStreamObserver<StreamExecuteRequest>> started = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        VitessGrpc.newStub(channel).streamExecute(StreamExecuteRequest.newBuilder().setSession(SESSION)
                .setQuery(query("select n")).build(), new ClientResponseObserver<StreamExecuteRequest,
                        StreamExecuteResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamExecuteRequest> call) {
                        // The reader asks for messages itself, a few at a time.
                        call.disableAutoRequestWithInitial(3);
                        started.complete(call);
                    }

                    @Override
                    public void onNext(StreamExecuteResponse value) {
                        if (value.hasResult()) {
                            received.add(CompactRows.strings(value.getResult().getRows(0)).getFirst());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });

        await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 3);
        // The producer is parked waiting for the reader, a handful of chunks ahead of it at most.
        await().atMost(10, TimeUnit.SECONDS).until(() -> executor.streamThread != null
                && (executor.streamThread.getState() == Thread.State.WAITING
                        || executor.streamThread.getState() == Thread.State.TIMED_WAITING));
        assertThat(executor.chunksAccepted.get()).isLessThan(10);
        assertThat(executor.streamEnded).isNotDone();

        started.get().request(total);
        done.get(10, TimeUnit.SECONDS);
        assertThat(received).hasSize(total);
        for (int i = 0; i < total; i++) {
            assertThat(received.get(i)).isEqualTo(Integer.toString(i));
        }
        assertThat(executor.streamEnded.get(10, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aReaderThatCancelsStopsTheProducer() throws Exception {
        executor.streamed = (session, sql, consumer) -> {
            for (long i = 0; i < Long.MAX_VALUE; i++) {
                consumer.accept(QueryResult.newBuilder().addRows(CompactRows.ofStrings(Long.toString(i))).build());
            }
        };
        Context.CancellableContext context = Context.current().withCancellation();
        Context previous = context.attach();
        try {
            Iterator<StreamExecuteResponse> messages = stub.streamExecute(StreamExecuteRequest.newBuilder()
                    .setSession(SESSION).setQuery(query("select n")).build());
            assertThat(CompactRows.strings(messages.next().getResult().getRows(0))).containsExactly("0");
            assertThat(CompactRows.strings(messages.next().getResult().getRows(0))).containsExactly("1");
        } finally {
            context.detach(previous);
            context.cancel(null);
        }

        Throwable ended = executor.streamEnded.get(10, TimeUnit.SECONDS);
        assertThat(ended).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELED));
    }

    @Test
    void aStreamWithoutAThreadFailsWithInternal() throws Exception {
        streamThreads.shutdown();
        assertThatThrownBy(() -> stub.streamExecute(StreamExecuteRequest.newBuilder().setSession(SESSION)
                .setQuery(query("select 1")).build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(GrpcErrors.fromStatus(e).kind()).isEqualTo(ErrorKind.INTERNAL));
    }

    @Test
    void closeSessionHandsTheSessionAndCallerToTheExecutor() {
        Session open = SESSION.toBuilder().setInTransaction(true).build();
        CloseSessionResponse response = stub.closeSession(CloseSessionRequest.newBuilder()
                .setCallerId(CallerID.newBuilder().setPrincipal("bob")).setSession(open).build());

        assertThat(response.hasError()).isFalse();
        assertThat(executor.closed).hasSize(1);
        assertThat(executor.closed.getFirst().session()).isEqualTo(open);
        assertThat(executor.closed.getFirst().caller().username()).isEqualTo("bob");

        stub.closeSession(CloseSessionRequest.getDefaultInstance());
        assertThat(executor.closed).hasSize(1);
    }

    /** Checks every field of an RPCError. */
    private static final class RpcErrorAssert {
        static void of(io.tessera.proto.vtrpc.RPCError error, String id, Code code, int errno, String sqlState,
                String message) {
            assertThat(error.getErrorId()).isEqualTo(id);
            assertThat(error.getCode()).isEqualTo(code);
            assertThat(error.getMysqlErrno()).isEqualTo(errno);
            assertThat(error.getSqlstate()).isEqualTo(sqlState);
            assertThat(error.getMessage()).isEqualTo(message);
        }
    }
}
