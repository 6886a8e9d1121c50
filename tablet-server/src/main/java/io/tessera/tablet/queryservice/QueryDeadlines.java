package io.tessera.tablet.queryservice;

import io.grpc.Context;
import io.netty.channel.EventLoop;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Kills statements on mysqld when they run past their timeout, or when the gRPC call they serve is cancelled by its
 * caller (as Vitess's tablet does when a request's context is done: a caller that gave up must not leave its query
 * running). {@link #start} arms a timer for one statement on one connection and listens to the current gRPC
 * context; {@link Deadline#finish()} disarms both and waits for a kill already under way, so a late kill can never
 * hit the next statement on that (pooled) connection.
 */
final class QueryDeadlines {
    private final ScheduledExecutorService scheduler;
    private final MysqlKiller killer;
    /** The sweep of each event loop that has run a statement with a timeout. */
    private final Map<EventLoop, LoopDeadlineSweep> sweeps = new ConcurrentHashMap<>();

    QueryDeadlines(ScheduledExecutorService scheduler, MysqlKiller killer) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.killer = Objects.requireNonNull(killer, "killer");
    }

    /** A deadline for the statement about to run on connection {@code threadId}; zero timeout means none. */
    Deadline start(long threadId, Duration timeout) {
        Deadline d = new Deadline(threadId, timeout, Context.current());
        if (!timeout.isZero()) {
            // The kill opens a connection to mysqld, which may be slow; keep it off the timer's thread.
            d.timer = scheduler.schedule(d::fireElsewhere, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        listenForCancel(d);
        return d;
    }

    /**
     * As {@link #start(long, Duration)}, for a statement that {@code loop} runs and finishes (its
     * {@link Deadline#tryFinish()} is called on the loop). The loop times it itself, with one timer for all its
     * statements (see {@link LoopDeadlineSweep}): arming and disarming a statement's deadline costs no timer of its
     * own and wakes no other thread.
     */
    Deadline start(long threadId, Duration timeout, EventLoop loop) {
        Deadline d = new Deadline(threadId, timeout, Context.current());
        if (!timeout.isZero()) {
            LoopDeadlineSweep sweep = sweep(loop);
            d.sweep = sweep;
            sweep.arm(d, System.nanoTime() + timeout.toNanos());
        }
        listenForCancel(d);
        return d;
    }

    /** The sweep that times {@code loop}'s statements. */
    LoopDeadlineSweep sweep(EventLoop loop) {
        return sweeps.computeIfAbsent(loop, LoopDeadlineSweep::new);
    }

    private static void listenForCancel(Deadline d) {
        // The call's context (a unary call's, or a multiplexed stream's) is cancelled when the caller gives up or
        // goes; one that cannot be cancelled (no call: ROOT) takes no listener.
        d.context.addListener(d.onCancel, Runnable::run);
    }

    /** The timer of one statement. */
    final class Deadline {
        private final long threadId;
        private final Duration timeout;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile ScheduledFuture<?> timer;
        /** The sweep that times this statement on its loop, if one does (then {@link #timer} stays null). */
        private LoopDeadlineSweep sweep;
        /** Used by {@link #sweep} only, on its loop: when the deadline passes, and where the sweep keeps it. */
        long dueNanos;
        int slot = -1;
        private final Context context;
        private final Context.CancellationListener onCancel = cancelled -> {
            byCaller = true;
            fireElsewhere();
        };
        private boolean finished; // guarded by lock
        private volatile boolean fired;
        private volatile boolean byCaller;

        private Deadline(long threadId, Duration timeout, Context context) {
            this.threadId = threadId;
            this.timeout = timeout;
            this.context = context;
        }

        /** Kills on a thread of its own: the kill opens a connection to mysqld, which may be slow. */
        void fireElsewhere() {
            Thread.ofVirtual().name("kill-query-" + threadId).start(this::fire);
        }

        private void fire() {
            lock.lock();
            try {
                if (finished) {
                    return;
                }
                fired = true;
                killer.killQuery(threadId);
            } finally {
                lock.unlock();
            }
        }

        /** Disarms the timer; returns after any kill in progress has completed. */
        void finish() {
            disarm();
            lock.lock();
            try {
                finished = true;
            } finally {
                lock.unlock();
            }
        }

        /**
         * As {@link #finish()}, but for an event loop, which must not wait: returns false instead of waiting when a
         * kill is under way (the caller must then not reuse the connection, which the kill may still hit).
         */
        boolean tryFinish() {
            disarm();
            if (!lock.tryLock()) {
                return false;
            }
            try {
                finished = true;
                return true;
            } finally {
                lock.unlock();
            }
        }

        private void disarm() {
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            if (sweep != null) {
                sweep.disarm(this);
            }
            context.removeListener(onCancel);
        }

        /** True if the statement was killed: it ran past its timeout, or its caller cancelled it. */
        boolean fired() {
            return fired;
        }

        /**
         * The error a statement that {@link #fired} failed with, for its answer: a timeout, or a cancellation (which
         * a unary caller never sees, but a request cancelled on a multiplexed stream is answered with).
         */
        TesseraException killedError(Throwable cause) {
            if (byCaller) {
                return TesseraException.withCause(ErrorKind.CANCELED, cause,
                        "the caller cancelled the statement, and it was killed on mysqld");
            }
            return TesseraException.withCause(ErrorKind.QUERY_TIMEOUT, cause, SqlErrors.human(timeout));
        }

        Duration timeout() {
            return timeout;
        }
    }
}
