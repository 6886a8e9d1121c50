package io.tessera.queryservice;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.netty.util.concurrent.EventExecutor;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.MultiplexExecuteRequest;
import io.tessera.proto.query.MultiplexExecuteResponse;
import io.tessera.proto.queryservice.QueryGrpc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The client side of {@code MultiplexExecute}: Executes sent by one event loop share one long-lived stream to the
 * tablet instead of making a call each. Everything here belongs to {@code loop}: requests are sent from it, and the
 * stub delivers the answers on it (its channel runs on that loop, with a direct executor), so there is no locking.
 *
 * <p>The stream is opened on first use and reopened after it ends. When it breaks, every request still waiting on
 * it fails with the stream's error, as a unary call cut off mid-flight would; a tablet that does not know the method
 * (UNIMPLEMENTED, before any answer) executed none of them, so they are resent as unary calls, and so is everything
 * after. A tablet that is shutting down ends its streams cleanly once it has answered every request it started; the
 * requests still waiting then never ran, and are resent as unary calls too (which follow the tablet's shutdown the
 * way gRPC does for any call).
 */
final class MultiplexedExecutes {
    private final QueryGrpc.QueryStub stub;
    private final EventExecutor loop;
    private final Function<ExecuteRequest, CompletableFuture<ExecuteResponse>> unary;

    private Stream open;
    private boolean unsupported;
    private long lastId;

    /**
     * @param stub a stub whose answers are delivered on {@code loop}
     * @param loop the only thread that uses this
     * @param unary how a request is sent on its own, for a tablet without the method
     */
    MultiplexedExecutes(QueryGrpc.QueryStub stub, EventExecutor loop,
            Function<ExecuteRequest, CompletableFuture<ExecuteResponse>> unary) {
        this.stub = stub;
        this.loop = loop;
        this.unary = unary;
    }

    /** True when the calling thread is the loop, the only one that may call {@link #execute}. */
    boolean onLoop() {
        return loop.inEventLoop();
    }

    /** Sends {@code request} on the stream; call on the loop only. */
    CompletableFuture<ExecuteResponse> execute(ExecuteRequest request) {
        if (unsupported) {
            return unary.apply(request);
        }
        if (open == null) {
            open = new Stream();
            open.requests = stub.multiplexExecute(open);
        }
        long id = ++lastId;
        CompletableFuture<ExecuteResponse> answer = new CompletableFuture<>();
        open.pending.put(id, new Waiting(request, answer));
        open.requests.onNext(MultiplexExecuteRequest.newBuilder().setId(id).setRequest(request).build());
        return answer;
    }

    /**
     * Half-closes the open stream, if any, from the loop: the tablet answers what it has and ends it, so a channel
     * being shut down is not held open by it. Later requests open a new stream.
     */
    void finish() {
        try {
            loop.execute(() -> {
                if (open != null) {
                    Stream s = open;
                    open = null;
                    s.requests.onCompleted();
                }
            });
        } catch (RejectedExecutionException e) {
            // The loop has shut down, and the channel's transport with it: there is no stream left to finish.
        }
    }

    /** A request sent on a stream and the caller's future for its answer. */
    private record Waiting(ExecuteRequest request, CompletableFuture<ExecuteResponse> answer) {}

    /** One stream and the requests sent on it that wait for their answer. */
    private final class Stream implements StreamObserver<MultiplexExecuteResponse> {
        final Map<Long, Waiting> pending = new HashMap<>();
        StreamObserver<MultiplexExecuteRequest> requests;
        /** Whether the tablet answered on this stream, so it knows the method. */
        boolean answered;

        @Override
        public void onNext(MultiplexExecuteResponse answer) {
            if (elsewhere(() -> onNext(answer))) {
                return;
            }
            answered = true;
            Waiting waiting = pending.remove(answer.getId());
            if (waiting == null) {
                return; // an id this side never sent or already answered: nothing waits for it
            }
            if (answer.hasError()) {
                waiting.answer().completeExceptionally(TesseraException.fromRpcError(answer.getError(), null));
            } else {
                waiting.answer().complete(answer.getResponse());
            }
        }

        @Override
        public void onError(Throwable t) {
            if (elsewhere(() -> onError(t))) {
                return;
            }
            ended();
            if (!answered && Status.fromThrowable(t).getCode() == Status.Code.UNIMPLEMENTED) {
                unsupported = true;
                resend();
                return;
            }
            TesseraException e = GrpcErrors.asTesseraException(t);
            failAll(e);
        }

        @Override
        public void onCompleted() {
            if (elsewhere(this::onCompleted)) {
                return;
            }
            ended();
            // The tablet ended the stream cleanly (it is shutting down): it answers every request it started
            // before it ends a stream, so the ones still waiting never ran there.
            resend();
        }

        /**
         * Moves a callback to the loop if it arrived on another thread (gRPC delivers on the transport thread, which
         * is the loop, except for a call failed before it reached the transport, e.g. by a shutdown from elsewhere);
         * true if it was moved.
         */
        private boolean elsewhere(Runnable callback) {
            if (loop.inEventLoop()) {
                return false;
            }
            try {
                loop.execute(callback);
                return true;
            } catch (RejectedExecutionException e) {
                return false; // the loop is gone, and with it everyone who could race this
            }
        }

        private void ended() {
            if (open == this) {
                open = null;
            }
        }

        /** Sends every waiting request again as a call of its own, in the order they were sent. */
        private void resend() {
            List<Map.Entry<Long, Waiting>> waiting = new ArrayList<>(pending.entrySet());
            pending.clear();
            waiting.sort(Map.Entry.comparingByKey());
            for (Map.Entry<Long, Waiting> w : waiting) {
                CompletableFuture<ExecuteResponse> answer = w.getValue().answer();
                unary.apply(w.getValue().request()).whenComplete((response, failure) -> {
                    if (failure != null) {
                        answer.completeExceptionally(failure);
                    } else {
                        answer.complete(response);
                    }
                });
            }
        }

        private void failAll(TesseraException e) {
            List<Waiting> waiting = new ArrayList<>(pending.values());
            pending.clear();
            waiting.forEach(w -> w.answer().completeExceptionally(e));
        }
    }
}
