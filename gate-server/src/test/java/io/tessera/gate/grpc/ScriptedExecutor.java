package io.tessera.gate.grpc;

import io.tessera.gate.executor.Caller;
import io.tessera.gate.executor.Executor;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.proto.vtgate.Session;
import io.tessera.queryservice.CompactRows;
import io.tessera.queryservice.QueryResultConsumer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link Executor} whose statements each test scripts. By default every statement counts itself in the session
 * (the user variable {@code @calls}), so a test sees whether the session it sent is the one the executor got and
 * the one it got back; and every call is recorded with the session as the executor received it.
 */
final class ScriptedExecutor implements Executor {
    /** One statement's behaviour. */
    @FunctionalInterface
    interface Statement {
        QueryResult run(Session.Builder session, String sql, Map<String, BindVariable> bindVariables);
    }

    /** One streamed statement's behaviour. */
    @FunctionalInterface
    interface StreamedStatement {
        void run(Session.Builder session, String sql, QueryResultConsumer consumer);
    }

    /** A call as the executor saw it. */
    record Call(String sql, Caller caller, Session session, Map<String, BindVariable> bindVariables) {}

    volatile Statement statement = (session, sql, bindVariables) -> QueryResult.newBuilder()
            .addFields(Field.newBuilder().setName("sql").setType(Type.VARCHAR))
            .addRows(CompactRows.ofStrings(sql)).build();
    volatile StreamedStatement streamed = (session, sql, consumer) -> {};
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<Call> closed = new CopyOnWriteArrayList<>();
    /** How a streamed statement ended: null when it ran to completion, else what it threw. */
    final CompletableFuture<Throwable> streamEnded = new CompletableFuture<>();
    final AtomicInteger chunksAccepted = new AtomicInteger();
    volatile Thread streamThread;

    @Override
    public QueryResult execute(Session.Builder session, Caller caller, String sql,
            Map<String, BindVariable> bindVariables) {
        calls.add(new Call(sql, caller, session.build(), bindVariables));
        countCall(session);
        return statement.run(session, sql, bindVariables);
    }

    @Override
    public void streamExecute(Session.Builder session, Caller caller, String sql,
            Map<String, BindVariable> bindVariables, QueryResultConsumer consumer) {
        calls.add(new Call(sql, caller, session.build(), bindVariables));
        streamThread = Thread.currentThread();
        countCall(session);
        try {
            streamed.run(session, sql, chunk -> {
                consumer.accept(chunk);
                chunksAccepted.incrementAndGet();
            });
            streamEnded.complete(null);
        } catch (RuntimeException e) {
            streamEnded.complete(e);
            throw e;
        }
    }

    @Override
    public void closeSession(Session.Builder session, Caller caller) {
        closed.add(new Call("", caller, session.build(), Map.of()));
    }

    /** The value of {@code @calls} in {@code session}, 0 if unset. */
    static long callCount(Session session) {
        BindVariable calls = session.getUserDefinedVariablesMap().get("calls");
        return calls == null ? 0 : Long.parseLong(calls.getValue().toString(StandardCharsets.UTF_8));
    }

    private static void countCall(Session.Builder session) {
        long next = callCount(session.build()) + 1;
        session.putUserDefinedVariables("calls", BindVariable.newBuilder().setType(Type.INT64)
                .setValue(com.google.protobuf.ByteString.copyFromUtf8(Long.toString(next))).build());
    }
}
