package io.tessera.gate.grpc;

import io.grpc.Context;
import io.grpc.ServerInterceptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.executor.Caller;
import io.tessera.gate.executor.Executor;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.ResultWithError;
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
import io.tessera.proto.vtrpc.RPCError;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's gRPC {@code Vitess} service: a thin adapter that checks a request is complete, hands it to the
 * {@link Executor}, and maps errors through the catalogue.
 *
 * <p>The gate is stateless towards gRPC clients. A client sends its {@link Session} with every call and keeps the
 * one in the response; a client that sends none gets a fresh autocommit session without a target (the gate's
 * default keyspace applies). Because the executor updates the session even when a statement fails, a failed
 * statement is answered with status OK, the error in the response's {@code error} field and the updated session
 * beside it: an open transaction or reserved connection is never lost to an error. Only requests that cannot be run
 * at all (no SQL) fail the call itself, with INVALID_ARGUMENT and the error in the
 * {@value GrpcErrors#TRAILER_NAME} trailer.
 *
 * <p>Execute, ExecuteBatch and CloseSession block on the executor in the gRPC handler thread, so the server should
 * be built with a virtual-thread executor ({@code ServerBuilder.executor}). StreamExecute runs its producer on
 * {@code streamThreads} and honours gRPC flow control, so a slow reader slows the query instead of filling the
 * gate's heap, and a reader that cancels stops it.
 */
public final class VitessGrpcService extends VitessGrpc.VitessImplBase {
    private static final Logger log = LoggerFactory.getLogger(VitessGrpcService.class);

    private final Executor executor;
    private final java.util.concurrent.Executor streamThreads;

    /**
     * @param executor runs the statements
     * @param streamThreads runs one producer per StreamExecute call for the call's whole duration; give it virtual
     *     threads (the producer mostly waits on tablets and on the client)
     */
    public VitessGrpcService(Executor executor, java.util.concurrent.Executor streamThreads) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.streamThreads = Objects.requireNonNull(streamThreads, "streamThreads");
    }

    /**
     * The interceptor that counts this service's calls in {@code registry} (see {@link GateRpcMetrics}); add it
     * with {@code ServerInterceptors.intercept(service, metrics)} or to the server builder.
     */
    public static ServerInterceptor metrics(PrometheusRegistry registry) {
        return new GateRpcMetrics(registry);
    }

    @Override
    public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> response) {
        try {
            Requests.requireSql(request.hasQuery(), request.getQuery(), "the request");
        } catch (TesseraException e) {
            response.onError(GrpcErrors.toStatus(e));
            return;
        }
        Session.Builder session = Requests.session(request.hasSession(), request.getSession());
        Caller caller = Requests.caller(request.getCallerId());
        ResultWithError outcome = run(session, caller, request.getQuery());
        ExecuteResponse.Builder out = ExecuteResponse.newBuilder().setSession(session);
        if (outcome.hasError()) {
            out.setError(outcome.getError());
        } else {
            out.setResult(outcome.getResult());
        }
        response.onNext(out.build());
        response.onCompleted();
    }

    /**
     * Runs the batch's statements one after another in one session, each reporting its own result or error; a
     * failed statement does not stop the ones after it (inside a transaction the executor decides whether they may
     * still run). The batch fails as a whole only when the client cancels it, and then stops before the next
     * statement.
     */
    @Override
    public void executeBatch(ExecuteBatchRequest request, StreamObserver<ExecuteBatchResponse> response) {
        try {
            if (request.getQueriesCount() == 0) {
                throw TesseraException.of(ErrorKind.BAD_REQUEST, "the batch has no queries");
            }
            for (int i = 0; i < request.getQueriesCount(); i++) {
                Requests.requireSql(true, request.getQueries(i), "query " + i + " of the batch");
            }
        } catch (TesseraException e) {
            response.onError(GrpcErrors.toStatus(e));
            return;
        }
        Session.Builder session = Requests.session(request.hasSession(), request.getSession());
        Caller caller = Requests.caller(request.getCallerId());
        ExecuteBatchResponse.Builder out = ExecuteBatchResponse.newBuilder();
        for (BoundQuery query : request.getQueriesList()) {
            if (Context.current().isCancelled()) {
                out.setError(TesseraException.of(ErrorKind.CANCELED, "the client cancelled the batch after "
                        + out.getResultsCount() + " of " + request.getQueriesCount() + " statements").toRpcError());
                break;
            }
            out.addResults(run(session, caller, query));
        }
        response.onNext(out.setSession(session).build());
        response.onCompleted();
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, StreamObserver<StreamExecuteResponse> response) {
        ServerCallStreamObserver<StreamExecuteResponse> call =
                (ServerCallStreamObserver<StreamExecuteResponse>) response;
        try {
            Requests.requireSql(request.hasQuery(), request.getQuery(), "the request");
        } catch (TesseraException e) {
            call.onError(GrpcErrors.toStatus(e));
            return;
        }
        StreamFlow flow = new StreamFlow(call);
        Session.Builder session = Requests.session(request.hasSession(), request.getSession());
        Caller caller = Requests.caller(request.getCallerId());
        try {
            streamThreads.execute(() -> stream(session, caller, request.getQuery(), call, flow));
        } catch (RejectedExecutionException e) {
            call.onError(GrpcErrors.toStatus(TesseraException.withCause(ErrorKind.INTERNAL, e,
                    "the gate has no thread to run the stream: " + e.getMessage())));
        }
    }

    /**
     * Produces one stream: the executor's chunks (fields first, then rows) as they come, then one last message with
     * the updated session, sent also when the statement failed so the client keeps its session, and finally the
     * status. Nothing is sent once the client has cancelled.
     */
    private void stream(Session.Builder session, Caller caller, BoundQuery query,
            ServerCallStreamObserver<StreamExecuteResponse> call, StreamFlow flow) {
        Throwable failure = null;
        try {
            executor.streamExecute(session, caller, query.getSql(), query.getBindVariablesMap(), chunk -> {
                flow.awaitReady();
                call.onNext(StreamExecuteResponse.newBuilder().setResult(chunk).build());
            });
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        if (!flow.cancelled()) {
            finish(session, call, flow, failure);
        }
        if (failure instanceof Error error) {
            throw error;
        }
    }

    /** Sends the session and then the outcome; the client may still go away meanwhile. */
    private static void finish(Session.Builder session, ServerCallStreamObserver<StreamExecuteResponse> call,
            StreamFlow flow, Throwable failure) {
        try {
            flow.awaitReady();
            call.onNext(StreamExecuteResponse.newBuilder().setSession(session).build());
            if (failure == null) {
                call.onCompleted();
            } else {
                call.onError(GrpcErrors.toStatus(reported(failure)));
            }
        } catch (RuntimeException e) {
            // Usually the client went away while the session was on its way, and there is nobody left to tell.
            if (!flow.cancelled()) {
                call.onError(GrpcErrors.toStatus(reported(e)));
            }
        }
    }

    /**
     * Releases what the session holds on tablets. A client that sends no session holds nothing, so the executor is
     * not bothered then.
     */
    @Override
    public void closeSession(CloseSessionRequest request, StreamObserver<CloseSessionResponse> response) {
        CloseSessionResponse.Builder out = CloseSessionResponse.newBuilder();
        if (request.hasSession()) {
            try {
                executor.closeSession(request.getSession().toBuilder(), Requests.caller(request.getCallerId()));
            } catch (RuntimeException e) {
                // The executor promises not to throw; should it anyway, the client still learns of it.
                out.setError(rpcError(e));
            }
        }
        response.onNext(out.build());
        response.onCompleted();
    }

    private ResultWithError run(Session.Builder session, Caller caller, BoundQuery query) {
        try {
            return ResultWithError.newBuilder()
                    .setResult(executor.execute(session, caller, query.getSql(), query.getBindVariablesMap()))
                    .build();
        } catch (RuntimeException e) {
            return ResultWithError.newBuilder().setError(rpcError(e)).build();
        }
    }

    private static RPCError rpcError(Throwable e) {
        return reported(e).toRpcError();
    }

    /** The catalogued error for {@code e}; anything else is a gate bug, logged here and sent as INTERNAL. */
    private static TesseraException reported(Throwable e) {
        if (e instanceof TesseraException t) {
            return t;
        }
        log.warn("internal error while serving a Vitess gRPC call", e);
        return GrpcErrors.asTesseraException(e);
    }
}
