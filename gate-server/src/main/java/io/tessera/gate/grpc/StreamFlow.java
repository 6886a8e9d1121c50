package io.tessera.gate.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Holds a stream's producer back until the client can take another message, so that a slow reader slows the
 * query down instead of piling its rows up in the gate's memory, and stops the producer once the client has gone.
 *
 * <p>The readiness and cancellation callbacks of a call are delivered on the call's serialized executor, so the
 * producer must run on another thread than the handler method, or it would wait for a callback that can never run.
 */
final class StreamFlow {
    /**
     * How long a waiting producer sleeps before looking at readiness again; only a safety net, since the ready
     * callback wakes it as soon as the client asks for more.
     */
    private static final long RECHECK_MILLIS = 1000;

    private final ServerCallStreamObserver<?> call;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean cancelled;

    /** Watches {@code call}; must be created inside the handler method, before it returns. */
    StreamFlow(ServerCallStreamObserver<?> call) {
        this.call = call;
        call.setOnReadyHandler(this::wake);
        call.setOnCancelHandler(() -> {
            cancelled = true;
            wake();
        });
    }

    /** True once the client cancelled the call or went away. */
    boolean cancelled() {
        return cancelled || call.isCancelled();
    }

    /**
     * Returns when the call can take another message.
     *
     * @throws TesseraException of kind {@link ErrorKind#CANCELED} if the client cancelled the call meanwhile, or
     *     the producer thread was interrupted
     */
    void awaitReady() {
        lock.lock();
        try {
            while (!cancelled() && !call.isReady()) {
                changed.await(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TesseraException.withCause(ErrorKind.CANCELED, e, "interrupted while waiting for the client to read");
        } finally {
            lock.unlock();
        }
        if (cancelled()) {
            throw TesseraException.of(ErrorKind.CANCELED, "the client cancelled the stream or went away");
        }
    }

    private void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
