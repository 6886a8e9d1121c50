package io.tessera.queryservice;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.BeginStreamExecuteRequest;
import io.tessera.proto.query.BeginStreamExecuteResponse;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.GetSchemaRequest;
import io.tessera.proto.query.GetSchemaResponse;
import io.tessera.proto.query.MultiplexExecuteRequests;
import io.tessera.proto.query.MultiplexExecuteResponses;
import io.tessera.proto.query.ReleaseRequest;
import io.tessera.proto.query.ReleaseResponse;
import io.tessera.proto.query.ReserveBeginExecuteRequest;
import io.tessera.proto.query.ReserveBeginExecuteResponse;
import io.tessera.proto.query.ReserveBeginStreamExecuteRequest;
import io.tessera.proto.query.ReserveBeginStreamExecuteResponse;
import io.tessera.proto.query.ReserveExecuteRequest;
import io.tessera.proto.query.ReserveExecuteResponse;
import io.tessera.proto.query.ReserveStreamExecuteRequest;
import io.tessera.proto.query.ReserveStreamExecuteResponse;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.RollbackResponse;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.proto.query.StreamExecuteResponse;
import io.tessera.proto.query.StreamHealthRequest;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.query.Target;
import io.tessera.proto.queryservice.QueryGrpc;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serves a {@link QueryService} as the gRPC {@code Query} service. It only checks that a request is complete
 * enough to be handed on, calls the service, and maps errors through the catalogue (see {@link GrpcErrors}); the
 * service decides everything else.
 *
 * <p>Streamed results honour gRPC flow control: the producer waits until the call is ready for more, so a slow
 * client slows the tablet down instead of filling its heap. Streams run on {@code workExecutor} rather than on
 * the gRPC handler thread, because the readiness callbacks of a call are delivered on that thread's serialized
 * executor and would never arrive while it is blocked.
 *
 * <p>Every call's work (unary calls too) runs on the work executor, never on the thread that delivers the call, so
 * the adapter is meant to be served with a direct call executor ({@link #callExecutors}): gRPC then parses the
 * request and invokes the handler on its transport thread, and the call costs one hand-over to a worker instead of
 * one per call event (started, message, half-close) as with a plain server executor. The call's gRPC
 * {@link Context} (deadline, cancellation) goes with the work. (A plain Execute the service can run without blocking,
 * see {@link InlineExecute}, stays on the transport thread.) Answers are written from the transport thread (see
 * {@link TransportThread}).
 *
 * <p>{@code MultiplexExecuteBatches} streams carry many Executes, each checked and run as a unary Execute is and
 * answered by id (see {@link MultiplexedExecuteCall}); the caller's time limit is in each request's options.
 *
 * <p>RPCs the service does not offer yet answer UNIMPLEMENTED with a message naming the RPC.
 */
public final class QueryServiceGrpcAdapter extends QueryGrpc.QueryImplBase {
    /** How often a waiting producer re-checks readiness, in case a wake-up was missed. */
    private static final long READY_RECHECK_MILLIS = 1000;

    /** Runs a call where it arrives: on the transport thread. */
    private static final Executor DIRECT = Runnable::run;

    private final QueryService service;
    private final Executor workExecutor;
    private final HealthStreams health;
    /** Executes received on {@code MultiplexExecuteBatches} streams. */
    private final LongAdder multiplexedExecutes = new LongAdder();
    /** Executes received on connections to the framed multiplex port. */
    private final LongAdder framedExecutes = new LongAdder();
    /** The open {@code MultiplexExecuteBatches} streams, for {@link #finishStreams}. */
    private final Set<MultiplexedExecuteCall> multiplexStreams = ConcurrentHashMap.newKeySet();

    /** Serves StreamHealth: the tablet's health streamer, which owns the subscription until the client cancels. */
    @FunctionalInterface
    public interface HealthStreams {
        void streamHealth(StreamHealthRequest request, StreamObserver<StreamHealthResponse> response);
    }

    /**
     * An adapter without health streaming (StreamHealth answers UNIMPLEMENTED), for services that have none.
     *
     * @param service the service to expose
     * @param workExecutor runs each call's work (a stream occupies a thread for its whole duration, and a unary
     *     call until the service answers), so give it virtual threads or an unbounded pool (the service bounds
     *     concurrency with its pools)
     */
    public QueryServiceGrpcAdapter(QueryService service, Executor workExecutor) {
        this(service, workExecutor, null);
    }

    /**
     * @param service the service to expose
     * @param workExecutor runs each call's work (see the other constructor)
     * @param health serves StreamHealth, or null to answer it UNIMPLEMENTED
     */
    public QueryServiceGrpcAdapter(QueryService service, Executor workExecutor, HealthStreams health) {
        this.service = Objects.requireNonNull(service, "service");
        this.workExecutor = Objects.requireNonNull(workExecutor, "workExecutor");
        this.health = health;
    }

    @Override
    public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> response) {
        TransportThread transport = TransportThread.current();
        CompletableFuture<ExecuteResponse> started;
        try {
            started = startExecute(request);
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
            return;
        }
        started.whenComplete((result, failure) -> transport.run(() -> {
            if (failure != null) {
                response.onError(GrpcErrors.toStatus(failure instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : failure));
                return;
            }
            response.onNext(result);
            response.onCompleted();
        }));
    }

    @Override
    public StreamObserver<MultiplexExecuteRequests> multiplexExecuteBatches(
            StreamObserver<MultiplexExecuteResponses> responses) {
        MultiplexedExecuteCall call = openMultiplexStream(responses, multiplexedExecutes);
        // Registered before the handler returns, as gRPC requires.
        ((ServerCallStreamObserver<MultiplexExecuteResponses>) responses).setOnCancelHandler(call::cancelled);
        return call;
    }

    /**
     * Opens one multiplexed stream of Executes answered on {@code answers}, from the transport thread that will
     * deliver its requests: a gRPC {@code MultiplexExecuteBatches} call or a connection to the framed port (see
     * {@link FramedMultiplexServer}). The transport calls {@link MultiplexedExecuteCall#cancelled} when the caller goes
     * away before the stream has ended.
     */
    MultiplexedExecuteCall openMultiplexStream(StreamObserver<MultiplexExecuteResponses> answers) {
        return openMultiplexStream(answers, framedExecutes);
    }

    private MultiplexedExecuteCall openMultiplexStream(StreamObserver<MultiplexExecuteResponses> answers,
            LongAdder counted) {
        MultiplexedExecuteCall call = new MultiplexedExecuteCall(request -> {
            counted.increment();
            return startExecute(request);
        }, answers, TransportThread.current(), multiplexStreams::remove);
        multiplexStreams.add(call);
        return call;
    }

    /**
     * Ends every open multiplexed stream (gRPC or framed) once the requests started on it are answered, so that a
     * server shutting down gracefully is not held open by them; clients send what was not started as calls of
     * their own. Call before shutting the server down.
     */
    public void finishStreams() {
        multiplexStreams.forEach(MultiplexedExecuteCall::finish);
    }

    /**
     * Starts one Execute, unary or multiplexed: checked, then offered to the service's inline path (see
     * {@link InlineExecute}) on this transport thread, else run on a worker with the call's context. Throws the error
     * it is refused with.
     */
    private CompletableFuture<ExecuteResponse> startExecute(ExecuteRequest request) {
        requireTarget(request.hasTarget(), request.getTarget());
        requireQuery(request.hasQuery(), request.getQuery());
        if (service instanceof InlineExecute inline) {
            CompletableFuture<ExecuteResponse> started = inline.executeNow(request);
            if (started != null) {
                return started;
            }
        }
        CompletableFuture<ExecuteResponse> done = new CompletableFuture<>();
        try {
            workExecutor.execute(Context.current().wrap(() -> {
                try {
                    done.complete(service.execute(request));
                } catch (RuntimeException | Error e) {
                    done.completeExceptionally(e);
                }
            }));
        } catch (RejectedExecutionException e) {
            throw TesseraException.withCause(ErrorKind.INTERNAL, e, "no thread to run the call: " + e.getMessage());
        }
        return done;
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, StreamObserver<StreamExecuteResponse> response) {
        ServerCallStreamObserver<StreamExecuteResponse> call = (ServerCallStreamObserver<StreamExecuteResponse>) response;
        FlowControl flow = new FlowControl(call);
        try {
            requireTarget(request.hasTarget(), request.getTarget());
            requireQuery(request.hasQuery(), request.getQuery());
            workExecutor.execute(Context.current().wrap(() -> stream(request, call, flow)));
        } catch (RejectedExecutionException e) {
            call.onError(GrpcErrors.toStatus(TesseraException.withCause(ErrorKind.INTERNAL, e,
                    "no thread to run the stream: " + e.getMessage())));
        } catch (RuntimeException e) {
            call.onError(GrpcErrors.toStatus(e));
        }
    }

    private void stream(StreamExecuteRequest request, ServerCallStreamObserver<StreamExecuteResponse> call,
            FlowControl flow) {
        try {
            service.streamExecute(request, chunk -> {
                flow.awaitReady();
                call.onNext(StreamExecuteResponse.newBuilder().setResult(chunk).build());
            });
            call.onCompleted();
        } catch (RuntimeException | Error e) {
            if (!flow.isCancelled()) {
                call.onError(GrpcErrors.toStatus(e));
            }
        }
    }

    @Override
    public void begin(BeginRequest request, StreamObserver<BeginResponse> response) {
        unary(response, () -> {
            requireTarget(request.hasTarget(), request.getTarget());
            return service.begin(request);
        });
    }

    @Override
    public void commit(CommitRequest request, StreamObserver<CommitResponse> response) {
        unary(response, () -> {
            requireTarget(request.hasTarget(), request.getTarget());
            requireTransaction(request.getTransactionId());
            return service.commit(request);
        });
    }

    @Override
    public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> response) {
        unary(response, () -> {
            requireTarget(request.hasTarget(), request.getTarget());
            requireTransaction(request.getTransactionId());
            return service.rollback(request);
        });
    }

    @Override
    public void beginExecute(BeginExecuteRequest request, StreamObserver<BeginExecuteResponse> response) {
        unary(response, () -> {
            requireTarget(request.hasTarget(), request.getTarget());
            requireQuery(request.hasQuery(), request.getQuery());
            return service.beginExecute(request);
        });
    }

    @Override
    public void beginStreamExecute(BeginStreamExecuteRequest request,
            StreamObserver<BeginStreamExecuteResponse> response) {
        unimplemented(response, "BeginStreamExecute");
    }

    @Override
    public void reserveExecute(ReserveExecuteRequest request, StreamObserver<ReserveExecuteResponse> response) {
        unary(response, () -> {
            requireTarget(request.hasTarget(), request.getTarget());
            requireQuery(request.hasQuery(), request.getQuery());
            return service.reserveExecute(request);
        });
    }

    @Override
    public void reserveBeginExecute(ReserveBeginExecuteRequest request,
            StreamObserver<ReserveBeginExecuteResponse> response) {
        unary(response, () -> {
            requireTarget(request.hasTarget(), request.getTarget());
            requireQuery(request.hasQuery(), request.getQuery());
            return service.reserveBeginExecute(request);
        });
    }

    @Override
    public void reserveStreamExecute(ReserveStreamExecuteRequest request,
            StreamObserver<ReserveStreamExecuteResponse> response) {
        unimplemented(response, "ReserveStreamExecute (reserved connections)");
    }

    @Override
    public void reserveBeginStreamExecute(ReserveBeginStreamExecuteRequest request,
            StreamObserver<ReserveBeginStreamExecuteResponse> response) {
        unimplemented(response, "ReserveBeginStreamExecute (reserved connections)");
    }

    @Override
    public void release(ReleaseRequest request, StreamObserver<ReleaseResponse> response) {
        unary(response, () -> {
            requireTarget(request.hasTarget(), request.getTarget());
            if (request.getTransactionId() == 0 && request.getReservedId() == 0) {
                throw TesseraException.of(ErrorKind.BAD_REQUEST,
                        "the request has neither a transaction id nor a reserved id");
            }
            return service.release(request);
        });
    }

    @Override
    public void streamHealth(StreamHealthRequest request, StreamObserver<StreamHealthResponse> response) {
        if (health == null) {
            unimplemented(response, "StreamHealth on this query service");
            return;
        }
        health.streamHealth(request, response);
    }

    @Override
    public void getSchema(GetSchemaRequest request, StreamObserver<GetSchemaResponse> response) {
        unimplemented(response, "GetSchema");
    }

    /** How many Executes arrived on {@code MultiplexExecuteBatches} streams (gRPC). */
    public long multiplexedExecutes() {
        return multiplexedExecutes.sum();
    }

    /** How many Executes arrived on connections to the framed multiplex port. */
    public long framedExecutes() {
        return framedExecutes.sum();
    }

    /** True for the methods of the gRPC {@code Query} service, which this adapter serves (see the class comment). */
    public static boolean isQueryService(MethodDescriptor<?, ?> method) {
        return QueryGrpc.SERVICE_NAME.equals(method.getServiceName());
    }

    /**
     * The call executors of a server that serves this adapter beside blocking services, for a server built with a
     * direct default executor (so every call starts on the transport thread that received it, with no hop to look
     * the method up): this adapter's calls stay there (see the class comment), other services' move to
     * {@code blocking}.
     */
    public static ServerCallExecutorSupplier callExecutors(Executor blocking) {
        Objects.requireNonNull(blocking, "blocking");
        return new ServerCallExecutorSupplier() {
            @Override
            public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata metadata) {
                return isQueryService(call.getMethodDescriptor()) ? DIRECT : blocking;
            }
        };
    }

    private <T> void unary(StreamObserver<T> response, Supplier<T> call) {
        // The answer goes back through the event loop that delivered the call, when there is one: the response
        // headers, message and trailers are then written in one task and flushed once, instead of each waking the
        // loop from the worker thread.
        TransportThread transport = TransportThread.current();
        try {
            workExecutor.execute(Context.current().wrap(() -> transport.run(answer(response, call))));
        } catch (RejectedExecutionException e) {
            response.onError(GrpcErrors.toStatus(TesseraException.withCause(ErrorKind.INTERNAL, e,
                    "no thread to run the call: " + e.getMessage())));
        }
    }

    /** Runs the call and returns what delivers its outcome to the client. */
    private static <T> Runnable answer(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException | Error e) {
            return () -> response.onError(GrpcErrors.toStatus(e));
        }
        return () -> {
            response.onNext(result);
            response.onCompleted();
        };
    }

    private static void unimplemented(StreamObserver<?> response, String what) {
        response.onError(GrpcErrors.toStatus(TesseraException.of(ErrorKind.UNIMPLEMENTED,
                what + " is not implemented by this tablet yet")));
    }

    private static void requireTarget(boolean present, Target target) {
        if (!present || target.getKeyspace().isEmpty()) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "the request has no target keyspace");
        }
    }

    private static void requireQuery(boolean present, BoundQuery query) {
        if (!present || query.getSql().isBlank()) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "the request has no SQL statement");
        }
    }

    private static void requireTransaction(long id) {
        if (id == 0) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "the request has no transaction id");
        }
    }

    /** Waits for a call's readiness on behalf of the producer thread. */
    private static final class FlowControl {
        private final ServerCallStreamObserver<?> call;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private volatile boolean cancelled;

        FlowControl(ServerCallStreamObserver<?> call) {
            this.call = call;
            // Both handlers must be registered before the handler method returns.
            call.setOnReadyHandler(this::signal);
            call.setOnCancelHandler(() -> {
                cancelled = true;
                signal();
            });
        }

        boolean isCancelled() {
            return cancelled;
        }

        /** Returns once the call can take another message; throws if the client went away meanwhile. */
        void awaitReady() {
            lock.lock();
            try {
                while (!call.isReady()) {
                    if (cancelled) {
                        break;
                    }
                    changed.await(READY_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw TesseraException.of(ErrorKind.CANCELED, "interrupted while waiting for the client to read");
            } finally {
                lock.unlock();
            }
            if (cancelled || call.isCancelled()) {
                cancelled = true;
                throw TesseraException.of(ErrorKind.CANCELED, "the client cancelled the stream or went away");
            }
        }

        private void signal() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
