package io.tessera.queryservice;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.netty.util.concurrent.EventExecutor;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.vtrpc.Code;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.MultiplexExecuteRequest;
import io.tessera.proto.query.MultiplexExecuteRequests;
import io.tessera.proto.query.MultiplexExecuteResponse;
import io.tessera.proto.query.MultiplexExecuteResponses;
import io.tessera.proto.queryservice.QueryGrpc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of {@code MultiplexExecuteBatches}: Executes sent by one event loop share one long-lived stream to
 * the tablet instead of making a call each. Everything here belongs to {@code loop}: requests are sent from it, and
 * the stub delivers the answers on it (its channel runs on that loop, with a direct executor), so there is no
 * locking.
 *
 * <p>Requests are not written one by one: those made while the loop handles its ready connections wait in a batch,
 * which a task of the loop sends as one message once that pass is over (the loop's writes leave in one flush at
 * that point anyway, so nothing waits longer for it).
 *
 * <p>The stream is a connection to the tablet's framed multiplex port when the tablet has one (see
 * {@link FramedMultiplexServer}), else a gRPC {@code MultiplexExecuteBatches} call; both behave alike here. If the
 * framed port cannot be reached, nothing was sent on it: what waited goes on a gRPC stream, as does everything for the
 * next ten seconds, after which the framed port is tried again.
 *
 * <p>The stream is opened on first use and reopened after it ends. When it breaks, every request still waiting on
 * it fails with the stream's error, as a unary call cut off mid-flight would; a tablet that does not know the method
 * (UNIMPLEMENTED, before any answer) executed none of them, so they are resent as unary calls, and so is everything
 * after. A tablet that is shutting down ends its streams cleanly once it has answered every request it started; the
 * requests still waiting then never ran, and are resent as unary calls too (which follow the tablet's shutdown the
 * way gRPC does for any call).
 *
 * <p>A request sent in a cancellable gRPC {@link Context} is cancelled with it, as a unary call would be: when the
 * context is cancelled while the request waits for its answer, a cancel naming it follows on the stream, and the
 * tablet kills its statement. The request is still answered (with the error it then ends with), so its caller
 * learns of it only once the statement is over.
 */
final class MultiplexedExecutes {
    private static final Logger log = LoggerFactory.getLogger(MultiplexedExecutes.class);
    /** How long a loop sends over gRPC after the tablet's framed port could not be reached, before trying it again. */
    private static final long FRAMED_RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final QueryGrpc.QueryStub stub;
    /** The tablet's framed multiplex port, or null to use gRPC streams. */
    private final MultiplexTransport framed;
    private final EventExecutor loop;
    private final Function<ExecuteRequest, CompletableFuture<ExecuteResponse>> unary;

    private Stream open;
    /** Framed streams half-closed by {@link #finish} and not ended yet, for {@link #abandon}. */
    private final List<Stream> finishing = new ArrayList<>();
    private boolean unsupported;
    private long lastId;
    /** Whether the framed port could not be reached lately; gRPC streams carry the requests until {@link #retryAt}. */
    private boolean framedPaused;
    private long retryAt;

    /**
     * @param stub a stub whose answers are delivered on {@code loop}
     * @param framed the tablet's framed multiplex port, preferred to gRPC streams while it can be reached; or null
     * @param loop the only thread that uses this
     * @param unary how a request is sent on its own, for a tablet without the method
     */
    MultiplexedExecutes(QueryGrpc.QueryStub stub, MultiplexTransport framed, EventExecutor loop,
            Function<ExecuteRequest, CompletableFuture<ExecuteResponse>> unary) {
        this.stub = stub;
        this.framed = framed;
        this.loop = loop;
        this.unary = unary;
    }

    /** True when the calling thread is the loop, the only one that may call {@link #execute}. */
    boolean onLoop() {
        return loop.inEventLoop();
    }

    /**
     * Sends {@code request} on the stream; call on the loop only. The request is cancelled with the current gRPC
     * context (see the class comment).
     */
    CompletableFuture<ExecuteResponse> execute(ExecuteRequest request) {
        if (unsupported) {
            return unary.apply(request);
        }
        Context context = Context.current();
        if (context.isCancelled()) {
            return CompletableFuture.failedFuture(TesseraException.withCause(ErrorKind.CANCELED,
                    context.cancellationCause(), "the request was cancelled before it was sent"));
        }
        if (open != null && open.overGrpc && framedPaused && framedUsable()) {
            // The framed port may be back: the gRPC stream answers what it carries, new requests go framed.
            Stream s = open;
            open = null;
            s.flush();
            s.requests.onCompleted();
        }
        if (open == null) {
            Stream opened = new Stream();
            open = opened;
            if (framed != null && framedUsable()) {
                opened.requests = framed.open(opened);
            } else {
                opened.overGrpc = true;
                // The stream outlives the request that opens it: it must not be cancelled with that request's
                // context.
                Context previous = Context.ROOT.attach();
                try {
                    opened.requests = stub.multiplexExecuteBatches(opened);
                } finally {
                    Context.ROOT.detach(previous);
                }
            }
            if (opened.ended) {
                // The call failed as it started, on this thread (a channel shutting down fails it at once): a call
                // of its own fails the request with the channel's error, or runs it if that has passed.
                return unary.apply(request);
            }
        }
        Stream stream = open;
        long id = ++lastId;
        CompletableFuture<ExecuteResponse> answer = new CompletableFuture<>();
        Waiting waiting = new Waiting(request, answer, context, cancelled -> cancel(stream, id));
        stream.pending.put(id, waiting);
        stream.send(MultiplexExecuteRequest.newBuilder().setId(id).setRequest(request).build());
        // A context that cannot be cancelled (ROOT, on the loop) takes no listener: this costs nothing then.
        context.addListener(waiting.onCancel(), loop);
        return answer;
    }

    /** Whether a stream may go to the framed port now (not paused, or paused long enough to try again). */
    private boolean framedUsable() {
        if (framedPaused && System.nanoTime() - retryAt >= 0) {
            framedPaused = false;
        }
        return !framedPaused;
    }

    /** On the loop: asks the tablet to cancel request {@code id} of {@code stream}, if it still waits there. */
    private void cancel(Stream stream, long id) {
        if (open != stream || !stream.pending.containsKey(id)) {
            return; // answered, or its stream ended (which fails or resends it)
        }
        stream.send(MultiplexExecuteRequest.newBuilder().setId(++lastId).setCancelId(id).build());
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
                    s.flush();
                    if (!s.overGrpc) {
                        finishing.add(s);
                    }
                    s.requests.onCompleted();
                }
            });
        } catch (RejectedExecutionException e) {
            // The loop has shut down, and the channel's transport with it: there is no stream left to finish.
        }
    }

    /**
     * Closes this loop's framed connections at once, the open one and those {@link #finish} left waiting for their
     * answers, failing what still waits on them (UNAVAILABLE): what a channel's {@code shutdownNow} does to its gRPC
     * streams, for a tablet that does not answer within the caller's grace period.
     */
    void abandon() {
        try {
            loop.execute(() -> {
                for (Stream s : List.copyOf(finishing)) {
                    s.abandon();
                }
                finishing.clear();
                if (open != null) {
                    open.abandon();
                }
            });
        } catch (RejectedExecutionException e) {
            // The loop has shut down, and its connections with it.
        }
    }

    /**
     * A request sent on a stream, the caller's future for its answer, the context it was sent in and the listener
     * that cancels it with that context.
     */
    private record Waiting(ExecuteRequest request, CompletableFuture<ExecuteResponse> answer, Context context,
            Context.CancellationListener onCancel) {
        /** Stops listening to the context: the request is answered or leaves the stream. */
        Waiting done() {
            context.removeListener(onCancel);
            return this;
        }
    }

    /** One stream and the requests sent on it that wait for their answer. */
    private final class Stream implements StreamObserver<MultiplexExecuteResponses> {
        final Map<Long, Waiting> pending = new HashMap<>();
        StreamObserver<MultiplexExecuteRequests> requests;
        /** Requests and cancels not written yet: the batch {@link #flush} sends. */
        private final List<MultiplexExecuteRequest> batch = new ArrayList<>();
        /** Whether the tablet answered on this stream, so it knows the method. */
        boolean answered;
        /** Whether this is a gRPC stream (else a framed connection). */
        boolean overGrpc;
        /** Whether the stream broke or ended; what is still in the batch then has been failed or resent. */
        private boolean ended;

        /** Adds {@code request} to the batch, which leaves when the loop has handled the rest of its ready work. */
        void send(MultiplexExecuteRequest request) {
            batch.add(request);
            if (batch.size() == 1) {
                try {
                    loop.execute(this::flush);
                } catch (RejectedExecutionException e) {
                    flush(); // the loop is shutting down: no later pass to wait for
                }
            }
        }

        /** Writes the batch, if any, as one message. */
        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            MultiplexExecuteRequests message = MultiplexExecuteRequests.newBuilder().addAllRequests(batch).build();
            batch.clear();
            if (!ended) {
                requests.onNext(message);
            }
        }

        @Override
        public void onNext(MultiplexExecuteResponses answers) {
            if (elsewhere(() -> onNext(answers))) {
                return;
            }
            answered = true;
            for (MultiplexExecuteResponse answer : answers.getResponsesList()) {
                answered(answer);
            }
        }

        private void answered(MultiplexExecuteResponse answer) {
            Waiting waiting = pending.remove(answer.getId());
            if (waiting == null) {
                return; // an id this side never sent or already answered, or a cancel's: nothing waits for it
            }
            waiting.done();
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
            if (t instanceof FramedMultiplexClient.Unreachable) {
                // Nothing left on it: what waits goes on a gRPC stream, as does everything for a while.
                framedPaused = true;
                retryAt = System.nanoTime() + FRAMED_RETRY_NANOS;
                log.warn("{}; sending over gRPC for {} s", t.getMessage(),
                        TimeUnit.NANOSECONDS.toSeconds(FRAMED_RETRY_NANOS));
                resend(MultiplexedExecutes.this::execute);
                return;
            }
            if (!answered && Status.fromThrowable(t).getCode() == Status.Code.UNIMPLEMENTED) {
                unsupported = true;
                resend(unary);
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
            resend(unary);
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
            ended = true;
            batch.clear();
            if (open == this) {
                open = null;
            }
            finishing.remove(this);
        }

        /** See {@link MultiplexedExecutes#abandon}; a gRPC stream is left to its channel's shutdown. */
        void abandon() {
            if (ended || overGrpc) {
                return;
            }
            ended();
            requests.onError(null); // closes the connection
            failAll(TesseraException.uncatalogued(Code.UNAVAILABLE, ErrorKind.UNCATALOGUED.mysqlErrno(),
                    ErrorKind.UNCATALOGUED.sqlState(), "", "the multiplex connection to the tablet was closed: the "
                            + "gate stopped using the tablet", null));
        }

        /** Sends every waiting request again {@code via} (as a call of its own, or on a new stream), in order. */
        private void resend(Function<ExecuteRequest, CompletableFuture<ExecuteResponse>> via) {
            List<Map.Entry<Long, Waiting>> waiting = new ArrayList<>(pending.entrySet());
            pending.clear();
            waiting.sort(Map.Entry.comparingByKey());
            for (Map.Entry<Long, Waiting> w : waiting) {
                Waiting resent = w.getValue().done();
                CompletableFuture<ExecuteResponse> answer = resent.answer();
                // In the request's own context, so the new call is cancelled with it as this one was.
                CompletableFuture<ExecuteResponse> call;
                Context previous = resent.context().attach();
                try {
                    call = via.apply(resent.request());
                } finally {
                    resent.context().detach(previous);
                }
                call.whenComplete((response, failure) -> {
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
            waiting.forEach(w -> w.done().answer().completeExceptionally(e));
        }
    }
}
