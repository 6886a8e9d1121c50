package io.tessera.topo.server;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.tessera.proto.topo.WatchResponse;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import io.tessera.topo.remote.TopoStatusCodes;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Forwards one backend watch to one {@code Watch} stream: the initial value first, then each event in the order
 * the backend delivers it.
 *
 * <p>Events arrive on the backend's delivery thread. While the client is not reading (the stream is not ready),
 * this holds that thread back instead of queueing without bound; the backend then either catches up later or
 * fails the watch for falling too far behind, which the client sees as an error status. When the client goes
 * away the backend watch is cancelled.
 */
final class WatchForwarder implements Consumer<WatchEvent> {
    private final ServerCallStreamObserver<WatchResponse> call;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean started;
    private boolean cancelled;
    private boolean ended;
    private TopoWatch watch;

    /** Takes over the call's ready and cancel handlers; must be made on the call's own thread. */
    WatchForwarder(ServerCallStreamObserver<WatchResponse> call) {
        this.call = call;
        call.setOnReadyHandler(this::signal);
        call.setOnCancelHandler(this::onCancel);
    }

    /** Sends the initial value and lets events through. */
    void start(TopoWatch w) {
        lock.lock();
        try {
            watch = w;
            if (cancelled) {
                w.cancel();
                return;
            }
            call.onNext(response(WatchResponse.Kind.INITIAL, w.initial()));
            started = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream with an error because the watch could not be started. */
    void fail(TopoException e) {
        lock.lock();
        try {
            if (!cancelled && !ended) {
                ended = true;
                call.onError(TopoStatusCodes.toStatus(e).asRuntimeException());
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void accept(WatchEvent event) {
        lock.lock();
        try {
            // Events may come before start() has sent the initial value; they wait for it.
            while (!started && !cancelled) {
                changed.await(1, TimeUnit.SECONDS);
            }
            if (cancelled || ended) {
                return;
            }
            switch (event) {
                case WatchEvent.Changed c -> {
                    while (!call.isReady() && !cancelled) {
                        // Timed wait: a missed ready signal costs a second, never a stuck watch.
                        changed.await(1, TimeUnit.SECONDS);
                    }
                    if (!cancelled) {
                        call.onNext(response(WatchResponse.Kind.CHANGED, c.data()));
                    }
                }
                case WatchEvent.Deleted d -> {
                    ended = true;
                    call.onNext(WatchResponse.newBuilder().setKind(WatchResponse.Kind.DELETED).build());
                    call.onCompleted();
                }
                case WatchEvent.Failed f -> {
                    ended = true;
                    call.onError(TopoStatusCodes.toStatus(f.error()).asRuntimeException());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
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

    private void onCancel() {
        TopoWatch w;
        lock.lock();
        try {
            cancelled = true;
            changed.signalAll();
            w = watch;
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.cancel();
        }
    }

    private static WatchResponse response(WatchResponse.Kind kind, VersionedData data) {
        return WatchResponse.newBuilder()
                .setKind(kind)
                .setContents(ByteString.copyFrom(data.contents()))
                .setVersion(data.version().value())
                .build();
    }
}
