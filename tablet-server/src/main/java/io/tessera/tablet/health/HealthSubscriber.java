package io.tessera.tablet.health;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.tessera.proto.query.StreamHealthResponse;

/**
 * One StreamHealth subscriber with a mailbox of one message. A new state replaces an unsent one (keeping its
 * schema-change names), so a slow subscriber costs one message of memory and gets the latest state when it is
 * ready again, not a backlog.
 *
 * <p>For a gRPC stream, "ready" is the call's flow control ({@link ServerCallStreamObserver#isReady()}): a message
 * is handed to gRPC only when its outbound buffer has room, and the call's on-ready callback sends the waiting
 * message. Other observers are always ready. A {@link StreamObserver} is not thread-safe, so every call on it
 * happens under this object's lock.
 */
final class HealthSubscriber {
    private final StreamObserver<StreamHealthResponse> observer;
    private final ServerCallStreamObserver<StreamHealthResponse> flowControl; // null when not a gRPC server call
    private StreamHealthResponse pending; // guarded by this
    private volatile boolean done;

    HealthSubscriber(StreamObserver<StreamHealthResponse> observer) {
        this.observer = observer;
        this.flowControl = observer instanceof ServerCallStreamObserver<StreamHealthResponse> call ? call : null;
    }

    ServerCallStreamObserver<StreamHealthResponse> flowControl() {
        return flowControl;
    }

    /** True once the stream has ended, for any reason; the streamer then drops the subscriber. */
    boolean isDone() {
        return done;
    }

    /** Queues {@code response} in place of any unsent one and sends it if the stream is ready. */
    synchronized void offer(StreamHealthResponse response) {
        if (done) {
            return;
        }
        pending = pending == null ? response : HealthResponses.coalesce(pending, response);
        drain();
    }

    /** Sends the waiting message if there is one and the stream is ready; the call's on-ready callback. */
    synchronized void drain() {
        if (done || pending == null) {
            return;
        }
        if (flowControl != null && (flowControl.isCancelled() || !flowControl.isReady())) {
            return;
        }
        StreamHealthResponse next = pending;
        pending = null;
        try {
            observer.onNext(next);
        } catch (RuntimeException e) {
            // The call is gone (cancelled or failed); there is nobody left to tell.
            done = true;
        }
    }

    /** Marks the stream ended by the client: nothing more is sent. */
    synchronized void cancelled() {
        done = true;
        pending = null;
    }

    /** Ends the stream normally. */
    synchronized void complete() {
        if (done) {
            return;
        }
        done = true;
        pending = null;
        try {
            observer.onCompleted();
        } catch (RuntimeException ignored) {
            // Already cancelled by the client: nothing to complete.
        }
    }

    /** Ends the stream with an error status. */
    synchronized void fail(Status status) {
        if (done) {
            return;
        }
        done = true;
        pending = null;
        try {
            observer.onError(status.asRuntimeException());
        } catch (RuntimeException ignored) {
            // Already cancelled by the client.
        }
    }
}
