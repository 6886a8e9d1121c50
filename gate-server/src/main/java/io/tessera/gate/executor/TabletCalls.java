package io.tessera.gate.executor;

import io.grpc.Context;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteOptions;
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
import io.tessera.proto.query.Target;
import io.tessera.queryservice.QueryResultConsumer;
import io.tessera.queryservice.QueryService;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Builds the query-service requests of one statement (caller ids, options, ids) and makes the calls, under the
 * statement's deadline when it has one.
 *
 * <p>A call with a deadline runs on its own virtual thread while the statement's thread waits for it; when the
 * deadline passes the call is interrupted (a gRPC call is then cancelled on the tablet, which also got the time left
 * as its authoritative timeout and kills the query on mysqld) and the statement fails with QUERY_TIMEOUT. The call
 * only returns its response: the session is updated afterwards by the statement's thread, never by the call's.
 * Commit, Rollback and Release never run under a deadline, and are made outside the statement's gRPC context, so
 * that KILL QUERY does not cancel them either (see {@link RunningStatement}): cutting them off would leave the client
 * unsure of what happened. Every other call is made in the statement's context.
 */
final class TabletCalls {
    ExecuteResponse execute(CallContext ctx, QueryService service, Target target, BoundQuery query,
            long transactionId, long reservedId) {
        ExecuteRequest request = executeRequest(ctx, target, query, transactionId, reservedId);
        return withDeadline(ctx.deadline(), () -> service.execute(request));
    }

    /** The Execute request of one statement, for callers that send it themselves. */
    ExecuteRequest executeRequest(CallContext ctx, Target target, BoundQuery query, long transactionId,
            long reservedId) {
        return ExecuteRequest.newBuilder()
                .setEffectiveCallerId(ctx.effectiveCallerId()).setImmediateCallerId(ctx.immediateCallerId())
                .setTarget(target).setQuery(query).setTransactionId(transactionId).setReservedId(reservedId)
                .setOptions(ctx.options()).build();
    }

    void stream(CallContext ctx, QueryService service, Target target, BoundQuery query, long transactionId,
            long reservedId, QueryResultConsumer consumer) {
        StreamExecuteRequest request = StreamExecuteRequest.newBuilder()
                .setEffectiveCallerId(ctx.effectiveCallerId()).setImmediateCallerId(ctx.immediateCallerId())
                .setTarget(target).setQuery(query).setTransactionId(transactionId).setReservedId(reservedId)
                .setOptions(ctx.options()).build();
        if (!ctx.deadline().isSet()) {
            service.streamExecute(request, consumer);
            return;
        }
        GuardedConsumer guarded = new GuardedConsumer(consumer);
        try {
            withDeadline(ctx.deadline(), () -> {
                service.streamExecute(request, guarded);
                return null;
            });
        } finally {
            guarded.close();
        }
    }

    /**
     * Passes chunks on until closed. A stream that ran past its deadline keeps going on its own thread for a moment
     * after the statement failed; closing waits for a chunk being handed over and refuses the later ones, so the
     * client never gets rows after the error.
     */
    private static final class GuardedConsumer implements QueryResultConsumer {
        private final QueryResultConsumer downstream;
        private final ReentrantLock lock = new ReentrantLock();
        private boolean closed; // guarded by lock

        GuardedConsumer(QueryResultConsumer downstream) {
            this.downstream = downstream;
        }

        @Override
        public void accept(QueryResult chunk) {
            lock.lock();
            try {
                if (closed) {
                    throw TesseraException.of(ErrorKind.CANCELED, "the statement already ended");
                }
                downstream.accept(chunk);
            } finally {
                lock.unlock();
            }
        }

        void close() {
            lock.lock();
            try {
                closed = true;
            } finally {
                lock.unlock();
            }
        }
    }

    BeginResponse begin(CallContext ctx, QueryService service, Target target, ExecuteOptions options) {
        BeginRequest request = BeginRequest.newBuilder()
                .setEffectiveCallerId(ctx.effectiveCallerId()).setImmediateCallerId(ctx.immediateCallerId())
                .setTarget(target).setOptions(options).build();
        return withDeadline(ctx.deadline(), () -> service.begin(request));
    }

    BeginExecuteResponse beginExecute(CallContext ctx, QueryService service, Target target, BoundQuery query,
            long reservedId, ExecuteOptions options) {
        BeginExecuteRequest request = BeginExecuteRequest.newBuilder()
                .setEffectiveCallerId(ctx.effectiveCallerId()).setImmediateCallerId(ctx.immediateCallerId())
                .setTarget(target).setQuery(query).setReservedId(reservedId).setOptions(options).build();
        return withDeadline(ctx.deadline(), () -> service.beginExecute(request));
    }

    ReserveExecuteResponse reserveExecute(CallContext ctx, QueryService service, Target target, BoundQuery query,
            long transactionId, List<String> preQueries) {
        ReserveExecuteRequest request = ReserveExecuteRequest.newBuilder()
                .setEffectiveCallerId(ctx.effectiveCallerId()).setImmediateCallerId(ctx.immediateCallerId())
                .setTarget(target).setQuery(query).setTransactionId(transactionId).addAllPreQueries(preQueries)
                .setOptions(ctx.options()).build();
        return withDeadline(ctx.deadline(), () -> service.reserveExecute(request));
    }

    ReserveBeginExecuteResponse reserveBeginExecute(CallContext ctx, QueryService service, Target target,
            BoundQuery query, List<String> preQueries, List<String> postBeginQueries, ExecuteOptions options) {
        ReserveBeginExecuteRequest request = ReserveBeginExecuteRequest.newBuilder()
                .setEffectiveCallerId(ctx.effectiveCallerId()).setImmediateCallerId(ctx.immediateCallerId())
                .setTarget(target).setQuery(query).addAllPreQueries(preQueries)
                .addAllPostBeginQueries(postBeginQueries).setOptions(options).build();
        return withDeadline(ctx.deadline(), () -> service.reserveBeginExecute(request));
    }

    CommitResponse commit(CallContext ctx, QueryService service, Target target, long transactionId) {
        CommitRequest request = CommitRequest.newBuilder()
                .setEffectiveCallerId(ctx.effectiveCallerId()).setImmediateCallerId(ctx.immediateCallerId())
                .setTarget(target).setTransactionId(transactionId).build();
        return uninterrupted(() -> service.commit(request));
    }

    RollbackResponse rollback(CallContext ctx, QueryService service, Target target, long transactionId) {
        RollbackRequest request = RollbackRequest.newBuilder()
                .setEffectiveCallerId(ctx.effectiveCallerId()).setImmediateCallerId(ctx.immediateCallerId())
                .setTarget(target).setTransactionId(transactionId).build();
        return uninterrupted(() -> service.rollback(request));
    }

    void release(CallContext ctx, QueryService service, Target target, long transactionId, long reservedId) {
        ReleaseRequest request = ReleaseRequest.newBuilder()
                .setEffectiveCallerId(ctx.effectiveCallerId()).setImmediateCallerId(ctx.immediateCallerId())
                .setTarget(target).setTransactionId(transactionId).setReservedId(reservedId).build();
        uninterrupted(() -> service.release(request));
    }

    /** Runs {@code call} in a context the statement's cancellation does not reach. */
    private static <T> T uninterrupted(Supplier<T> call) {
        Context forked = Context.current().fork();
        Context previous = forked.attach();
        try {
            return call.get();
        } finally {
            forked.detach(previous);
        }
    }

    /** Runs {@code call}, giving up when {@code deadline} passes. */
    static <T> T withDeadline(Deadline deadline, Supplier<T> call) {
        if (!deadline.isSet()) {
            return call.get();
        }
        long remaining = deadline.remainingNanos();
        if (remaining <= 0) {
            throw timeout(deadline);
        }
        FutureTask<T> task = new FutureTask<>(call::get);
        // In the statement's context, which KILL QUERY cancels.
        Thread.ofVirtual().name("tessera-gate-call").start(Context.current().wrap(task));
        try {
            return task.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw timeout(deadline);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw TesseraException.withCause(ErrorKind.INTERNAL, cause, String.valueOf(cause));
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw TesseraException.of(ErrorKind.CANCELED, "the statement's thread was interrupted");
        }
    }

    static TesseraException timeout(Deadline deadline) {
        return TesseraException.of(ErrorKind.QUERY_TIMEOUT, deadline.timeoutMillis() + "ms");
    }
}
