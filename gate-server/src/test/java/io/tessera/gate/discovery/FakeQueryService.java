package io.tessera.gate.discovery;

import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.ReleaseRequest;
import io.tessera.proto.query.ReleaseResponse;
import io.tessera.proto.query.ReserveBeginExecuteRequest;
import io.tessera.proto.query.ReserveBeginExecuteResponse;
import io.tessera.proto.query.ReserveExecuteRequest;
import io.tessera.proto.query.ReserveExecuteResponse;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.RollbackResponse;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.queryservice.CompactRows;
import io.tessera.queryservice.QueryResultConsumer;
import io.tessera.queryservice.QueryService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A tablet's query service that answers every statement with its own alias (in {@code QueryResult.info}), counts
 * calls, and fails on demand. Transaction and reservation ids come back without a tablet alias, so tests can see
 * that the gateway fills it in.
 */
final class FakeQueryService implements QueryService {
    private final String alias;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger successes = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong(1000);
    private volatile Supplier<RuntimeException> failure;
    private volatile boolean failAfterFirstChunk;

    FakeQueryService(String alias) {
        this.alias = alias;
    }

    /** Every call from now on throws what {@code error} makes; null to succeed again. */
    void failWith(Supplier<RuntimeException> error) {
        this.failure = error;
    }

    /** A streamed read sends its first chunk before failing (with the {@link #failWith} error). */
    void failAfterFirstChunk(boolean value) {
        this.failAfterFirstChunk = value;
    }

    int calls() {
        return calls.get();
    }

    int successes() {
        return successes.get();
    }

    private QueryResult result() {
        return QueryResult.newBuilder().setInfo(alias).addFields(Field.newBuilder().setName("tablet"))
                .addRows(CompactRows.ofStrings(alias)).build();
    }

    private void enter() {
        calls.incrementAndGet();
        Supplier<RuntimeException> f = failure;
        if (f != null) {
            throw f.get();
        }
    }

    private <T> T ok(T response) {
        successes.incrementAndGet();
        return response;
    }

    @Override
    public ExecuteResponse execute(ExecuteRequest request) {
        enter();
        return ok(ExecuteResponse.newBuilder().setResult(result()).build());
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, QueryResultConsumer consumer) {
        calls.incrementAndGet();
        Supplier<RuntimeException> f = failure;
        if (f != null && !failAfterFirstChunk) {
            throw f.get();
        }
        consumer.accept(QueryResult.newBuilder().setInfo(alias).addFields(Field.newBuilder().setName("tablet"))
                .build());
        if (f != null) {
            throw f.get();
        }
        consumer.accept(QueryResult.newBuilder().addRows(CompactRows.ofStrings(alias)).build());
        successes.incrementAndGet();
    }

    @Override
    public BeginResponse begin(BeginRequest request) {
        enter();
        return ok(BeginResponse.newBuilder().setTransactionId(ids.incrementAndGet()).build());
    }

    @Override
    public CommitResponse commit(CommitRequest request) {
        enter();
        return ok(CommitResponse.getDefaultInstance());
    }

    @Override
    public RollbackResponse rollback(RollbackRequest request) {
        enter();
        return ok(RollbackResponse.getDefaultInstance());
    }

    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
        enter();
        return ok(BeginExecuteResponse.newBuilder().setTransactionId(ids.incrementAndGet()).setResult(result())
                .build());
    }

    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        enter();
        return ok(ReserveExecuteResponse.newBuilder().setReservedId(ids.incrementAndGet()).setResult(result())
                .build());
    }

    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        enter();
        return ok(ReserveBeginExecuteResponse.newBuilder().setReservedId(ids.incrementAndGet())
                .setTransactionId(ids.incrementAndGet()).setResult(result()).build());
    }

    @Override
    public ReleaseResponse release(ReleaseRequest request) {
        enter();
        return ok(ReleaseResponse.getDefaultInstance());
    }
}
