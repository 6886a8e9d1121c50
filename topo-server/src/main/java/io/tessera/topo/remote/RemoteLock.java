package io.tessera.topo.remote;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Status;
import io.tessera.proto.topo.KeepAliveLockRequest;
import io.tessera.proto.topo.KeepAliveLockResponse;
import io.tessera.proto.topo.UnlockRequest;
import io.tessera.topo.LockHandle;
import io.tessera.topo.TopoException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock the server holds for this client under a lock id. The server drops the lock unless it hears a
 * {@code KeepAliveLock} within the lock's ttl, so this handle sends one every ttl/3 in the background.
 *
 * <p>The handle counts as lost when the server answers {@code NOT_FOUND} (it no longer holds the lock), or when
 * no keep-alive has been acknowledged for a whole ttl: by then the server may have dropped the lock, and a holder
 * that kept going would race the next one.
 */
final class RemoteLock implements LockHandle {
    private static final Logger log = LoggerFactory.getLogger(RemoteLock.class);

    private enum State { HELD, LOST, RELEASED }

    private final TopoCalls calls;
    private final String dirPath;
    private final String contents;
    private final String lockId;
    private final Duration ttl;
    private final Consumer<RemoteLock> onEnd;
    private final AtomicReference<State> state = new AtomicReference<>(State.HELD);
    /** When the last acknowledged keep-alive was sent: the server's own deadline is at least ttl after it. */
    private volatile long renewedAtNanos;
    private volatile String lostReason = "";
    private volatile ScheduledFuture<?> renewal;

    RemoteLock(TopoCalls calls, String dirPath, String contents, String lockId, Duration ttl, long acquiredAtNanos,
            Consumer<RemoteLock> onEnd) {
        this.calls = calls;
        this.dirPath = dirPath;
        this.contents = contents;
        this.lockId = lockId;
        this.ttl = ttl;
        this.renewedAtNanos = acquiredAtNanos;
        this.onEnd = onEnd;
    }

    void startKeepAlive(ScheduledExecutorService scheduler) {
        long period = Math.max(1, ttl.toMillis() / 3);
        renewal = scheduler.scheduleWithFixedDelay(this::renewInBackground, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public String dirPath() {
        return dirPath;
    }

    @Override
    public String contents() {
        return contents;
    }

    String lockId() {
        return lockId;
    }

    @Override
    public void check() throws TopoException {
        switch (state.get()) {
            case LOST -> throw lockLost(lostReason);
            case RELEASED -> throw lockLost("the lock was released");
            case HELD -> { }
        }
        long sent = System.nanoTime();
        try {
            calls.unary(dirPath, s -> s.keepAliveLock(keepAliveRequest()));
            renewed(sent);
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                markLost("the server no longer holds it: " + e.getMessage());
                throw lockLost(lostReason);
            }
            if (expiredLocally()) {
                markLost("no keep-alive was acknowledged within the ttl of " + ttl);
                throw lockLost(lostReason);
            }
            throw e;
        }
    }

    @Override
    public void unlock() throws TopoException {
        unlock(calls.callTimeout());
    }

    /** Releases the lock, giving the server {@code deadline} to confirm. */
    void unlock(Duration deadline) throws TopoException {
        if (!state.compareAndSet(State.HELD, State.RELEASED)) {
            return;
        }
        ended();
        calls.unary(dirPath, deadline, s -> s.unlock(UnlockRequest.newBuilder().setLockId(lockId).build()));
    }

    @Override
    public void close() throws TopoException {
        unlock();
    }

    private void renewInBackground() {
        if (state.get() != State.HELD) {
            // The lock can end before the first tick was scheduled; stop the schedule here then.
            renewal.cancel(false);
            return;
        }
        if (expiredLocally()) {
            markLost("no keep-alive was acknowledged within the ttl of " + ttl);
            return;
        }
        long sent = System.nanoTime();
        Futures.addCallback(calls.futureStub(ttl).keepAliveLock(keepAliveRequest()),
                new FutureCallback<KeepAliveLockResponse>() {
                    @Override
                    public void onSuccess(KeepAliveLockResponse result) {
                        renewed(sent);
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        Status status = Status.fromThrowable(t);
                        if (status.getCode() == Status.Code.NOT_FOUND) {
                            markLost("the server no longer holds it: " + status.getDescription());
                        } else {
                            // Transient (server restarting, network): the next tick retries, and a whole ttl
                            // without success marks the lock lost.
                            log.debug("keep-alive of lock on {} failed: {}", dirPath, status);
                        }
                    }
                },
                MoreExecutors.directExecutor());
    }

    private void renewed(long sentAtNanos) {
        // Replies can arrive out of order; only ever move the renewal time forward.
        long current = renewedAtNanos;
        if (sentAtNanos - current > 0) {
            renewedAtNanos = sentAtNanos;
        }
    }

    private boolean expiredLocally() {
        return System.nanoTime() - renewedAtNanos >= ttl.toNanos();
    }

    private void markLost(String reason) {
        lostReason = reason;
        if (state.compareAndSet(State.HELD, State.LOST)) {
            log.warn("lock on {} lost: {}", dirPath, reason);
            ended();
        }
    }

    private void ended() {
        ScheduledFuture<?> r = renewal;
        if (r != null) {
            r.cancel(false);
        }
        onEnd.accept(this);
    }

    private KeepAliveLockRequest keepAliveRequest() {
        return KeepAliveLockRequest.newBuilder().setLockId(lockId).build();
    }

    private TopoException lockLost(String why) {
        return new TopoException(TopoException.Code.LOCK_LOST, dirPath, "lock on " + dirPath + " lost: " + why);
    }
}
