package io.tessera.topo.remote;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.tessera.proto.topo.WatchRequest;
import io.tessera.proto.topo.WatchResponse;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.Version;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Watch} stream, read by its own thread that also delivers the events, so events reach the listener
 * one at a time and in order. The stream is read one message at a time: a slow listener holds back the server
 * (gRPC flow control) rather than filling memory here, and the server fails the watch if its backend cannot keep
 * every change for it.
 */
final class RemoteWatch implements TopoWatch {
    private static final Logger log = LoggerFactory.getLogger(RemoteWatch.class);

    private final TopoCalls calls;
    private final String path;
    private final Consumer<WatchEvent> listener;
    private final Consumer<RemoteWatch> onEnd;
    // Detached from the caller's context: a watch opened while serving some other call outlives that call.
    private final Context.CancellableContext context = Context.ROOT.withCancellation();
    private final CompletableFuture<VersionedData> initial = new CompletableFuture<>();
    private final Object deliveryLock = new Object();
    private boolean cancelled;
    private volatile boolean ended;

    private RemoteWatch(TopoCalls calls, String path, Consumer<WatchEvent> listener, Consumer<RemoteWatch> onEnd) {
        this.calls = calls;
        this.path = path;
        this.listener = listener;
        this.onEnd = onEnd;
    }

    /**
     * Opens the stream and waits for the file's current value.
     *
     * @throws TopoException as {@link io.tessera.topo.TopoConn#watch} documents; {@code TIMEOUT} if the initial
     *     value does not arrive within the call timeout
     */
    static RemoteWatch start(TopoCalls calls, String path, Consumer<WatchEvent> listener,
            Consumer<RemoteWatch> onEnd) throws TopoException {
        RemoteWatch watch = new RemoteWatch(calls, path, listener, onEnd);
        Thread.ofVirtual().name("topo-watch " + path).start(() -> watch.context.run(watch::pump));
        watch.awaitInitial();
        return watch;
    }

    /** True once the stream is over (deleted, failed or cancelled) and no event will follow. */
    boolean ended() {
        return ended;
    }

    @Override
    public VersionedData initial() {
        return initial.join();
    }

    @Override
    public void cancel() {
        synchronized (deliveryLock) {
            cancelled = true;
        }
        context.cancel(null);
    }

    private void awaitInitial() throws TopoException {
        Duration timeout = calls.callTimeout();
        try {
            initial.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            cancel();
            if (e.getCause() instanceof TopoException te) {
                throw te;
            }
            throw new TopoException(TopoException.Code.UNAVAILABLE, path, "watch failed: " + e.getCause(), e);
        } catch (TimeoutException e) {
            cancel();
            throw new TopoException(TopoException.Code.TIMEOUT, path,
                    "watch on " + path + ": no initial value from " + calls.target() + " within " + timeout);
        } catch (InterruptedException e) {
            cancel();
            throw TopoException.interrupted(path);
        }
    }

    /** Runs on the watch's own thread until the stream ends. */
    private void pump() {
        try {
            Iterator<WatchResponse> stream = calls.streamStub().watch(WatchRequest.newBuilder().setPath(path).build());
            WatchResponse first = stream.next();
            if (first.getKind() != WatchResponse.Kind.INITIAL) {
                initial.completeExceptionally(protocolError("the first watch message was " + first.getKind()));
                return;
            }
            initial.complete(data(first));
            while (stream.hasNext()) {
                WatchResponse next = stream.next();
                switch (next.getKind()) {
                    case CHANGED -> deliver(new WatchEvent.Changed(data(next)));
                    case DELETED -> {
                        deliver(new WatchEvent.Deleted());
                        return;
                    }
                    default -> {
                        deliver(new WatchEvent.Failed(protocolError("unexpected watch message " + next.getKind())));
                        return;
                    }
                }
            }
            deliver(new WatchEvent.Failed(new TopoException(TopoException.Code.UNAVAILABLE, path,
                    "watch on " + path + " ended by " + calls.target() + " without a delete")));
        } catch (StatusRuntimeException e) {
            TopoException error = calls.failure(e, path);
            if (!initial.completeExceptionally(error)) {
                deliver(new WatchEvent.Failed(error));
            }
        } catch (TopoException e) {
            if (!initial.completeExceptionally(e)) {
                deliver(new WatchEvent.Failed(e));
            }
        } catch (RuntimeException e) {
            TopoException error = new TopoException(TopoException.Code.UNAVAILABLE, path, "watch broke: " + e, e);
            if (!initial.completeExceptionally(error)) {
                deliver(new WatchEvent.Failed(error));
            }
        } finally {
            context.cancel(null);
            ended = true;
            onEnd.accept(this);
        }
    }

    private void deliver(WatchEvent event) {
        synchronized (deliveryLock) {
            if (cancelled) {
                return;
            }
        }
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            // A faulty listener must not end the watch for good: later events still come in order.
            log.warn("watch listener on {} threw on {}", path, event, e);
        }
    }

    private VersionedData data(WatchResponse r) throws TopoException {
        if (r.getVersion() <= 0) {
            throw protocolError("watch message with version " + r.getVersion());
        }
        return new VersionedData(r.getContents().toByteArray(), new Version(r.getVersion()));
    }

    private TopoException protocolError(String what) {
        return new TopoException(TopoException.Code.UNAVAILABLE, path, calls.target() + " broke the watch protocol: "
                + what);
    }
}
