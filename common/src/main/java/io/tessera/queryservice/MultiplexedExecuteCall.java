package io.tessera.queryservice;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.MultiplexExecuteRequest;
import io.tessera.proto.query.MultiplexExecuteRequests;
import io.tessera.proto.query.MultiplexExecuteResponse;
import io.tessera.proto.query.MultiplexExecuteResponses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The server side of one multiplexed stream of Executes (a {@code MultiplexExecuteBatches} call, or a connection to
 * the framed port, see {@link FramedMultiplexServer}): each request is started as it arrives and answered,
 * with its id, when it is done, in whatever order that happens. The stream ends once the client has half-closed it (or
 * the server {@link #finish finishes} it) and every request started is answered; if the client goes away, answers
 * still to come are dropped.
 *
 * <p>Each request runs in a cancellable gRPC {@link Context} of its own, so that a cancel naming it (see
 * {@code MultiplexExecuteRequest.cancel_id}) cancels that request alone, as cancelling a unary call cancels its
 * context; the query service kills a statement whose context is cancelled. When the stream ends early (the client
 * cancelled it or went away) every request still running is cancelled too. The request contexts are forked from the
 * stream's rather than made its children: a child that listens and stops listening would leave a listener behind on
 * the long-lived stream context each time (gRPC removes it under the wrong key), and removing listeners from that
 * ever longer list soon costs more than the statements.
 *
 * <p>Answers are written from the transport thread that delivers the requests (see {@link TransportThread}), and
 * not one by one: those ready in one pass of that loop (the statements whose results it read from mysqld) leave
 * together in one message at the end of the pass. The state is guarded by this object's monitor all the same, since
 * an in-process transport has no such thread and gRPC's observers are not thread-safe.
 */
final class MultiplexedExecuteCall implements StreamObserver<MultiplexExecuteRequests> {
    private final Function<ExecuteRequest, CompletableFuture<ExecuteResponse>> execute;
    private final StreamObserver<MultiplexExecuteResponses> responses;
    private final TransportThread transport;
    private final Consumer<MultiplexedExecuteCall> onEnd;

    private int unanswered;
    /** The context of each request started and not yet answered, by id (guarded by this). */
    private final Map<Long, Context.CancellableContext> running = new HashMap<>();
    private boolean halfClosed;
    private boolean ended;
    /** Answers not written yet (guarded by this): the batch {@link #flush} sends. */
    private final List<MultiplexExecuteResponse> batch = new ArrayList<>();

    /**
     * @param execute starts one request; it may throw the error the request is to be answered with
     * @param responses where the answers go; its transport calls {@link #cancelled} if the caller goes away first
     * @param transport the transport thread delivering this call's requests
     * @param onEnd gets this call once, when the stream has ended, however it ended
     */
    MultiplexedExecuteCall(Function<ExecuteRequest, CompletableFuture<ExecuteResponse>> execute,
            StreamObserver<MultiplexExecuteResponses> responses, TransportThread transport,
            Consumer<MultiplexedExecuteCall> onEnd) {
        this.execute = execute;
        this.onEnd = onEnd;
        this.responses = responses;
        this.transport = transport;
    }

    @Override
    public void onNext(MultiplexExecuteRequests requests) {
        for (MultiplexExecuteRequest request : requests.getRequestsList()) {
            start(request);
        }
    }

    private void start(MultiplexExecuteRequest request) {
        if (request.getCancelId() != 0) {
            cancel(request.getCancelId());
            return;
        }
        long id = request.getId();
        Context.CancellableContext context = Context.current().fork().withCancellation();
        synchronized (this) {
            if (ended || halfClosed) {
                // Only a stream the server is finishing gets requests after its half-close. Not starting them
                // lets it end: the client resends what is unanswered when it does.
                return;
            }
            unanswered++;
            running.put(id, context);
        }
        CompletableFuture<ExecuteResponse> started;
        Context previous = context.attach();
        try {
            started = execute.apply(request.getRequest());
        } catch (RuntimeException e) {
            send(id, null, e);
            return;
        } finally {
            context.detach(previous);
        }
        started.whenComplete((response, failure) -> transport.run(() -> send(id, response, failure)));
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            end(); // the client broke the stream off: nobody is left to answer
        }
        cancelRunning();
    }

    @Override
    public synchronized void onCompleted() {
        halfClosed = true;
        endIfDone();
    }

    /** The caller went away (cancelled the call, or its connection closed) before the stream ended. */
    void cancelled() {
        synchronized (this) {
            end();
        }
        cancelRunning();
    }

    /** Cancels every request still running: the stream ended before they were answered. */
    private void cancelRunning() {
        List<Context.CancellableContext> contexts;
        synchronized (this) {
            contexts = new ArrayList<>(running.values());
        }
        // Outside the lock: the listeners (the statements' kills) run on this thread.
        contexts.forEach(c -> c.cancel(null));
    }

    /** Cancels the context of request {@code id}, if it is still running; a cancel that comes late does nothing. */
    private void cancel(long id) {
        Context.CancellableContext context;
        synchronized (this) {
            context = running.get(id);
        }
        if (context != null) {
            // Outside the lock: the listeners (the statement's kill) run on this thread.
            context.cancel(null);
        }
    }

    /**
     * Ends the stream from this side once the requests started on it are answered (the server is shutting down);
     * requests that arrive later are not started, and the client sends them again elsewhere.
     */
    synchronized void finish() {
        halfClosed = true;
        endIfDone();
    }

    private synchronized void send(long id, ExecuteResponse response, Throwable failure) {
        unanswered--;
        running.remove(id);
        if (ended) {
            return;
        }
        MultiplexExecuteResponse.Builder answer = MultiplexExecuteResponse.newBuilder().setId(id);
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            answer.setError(GrpcErrors.asTesseraException(cause).toRpcError());
        } else {
            answer.setResponse(response);
        }
        batch.add(answer.build());
        if (batch.size() == 1) {
            transport.later(this::flush);
        }
        endIfDone();
    }

    /** Writes the answers not written yet, if any, as one message. */
    private synchronized void flush() {
        if (batch.isEmpty() || ended) {
            batch.clear();
            return;
        }
        MultiplexExecuteResponses message = MultiplexExecuteResponses.newBuilder().addAllResponses(batch).build();
        batch.clear();
        responses.onNext(message);
    }

    private void endIfDone() {
        if (halfClosed && unanswered == 0 && !ended) {
            flush();
            end();
            responses.onCompleted();
        }
    }

    private void end() {
        if (!ended) {
            ended = true;
            onEnd.accept(this);
        }
    }
}
