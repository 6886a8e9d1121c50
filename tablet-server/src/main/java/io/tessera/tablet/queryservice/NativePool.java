package io.tessera.tablet.queryservice;

import io.netty.channel.EventLoop;
import io.tessera.tablet.mysqlclient.NativeConnection;
import io.tessera.tablet.mysqlclient.NativeConnector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native connections to mysqld for statements run on the query service's event loops (see
 * {@link TabletQueryService#executeNow}). Each loop has its own connections, registered on it, and only that loop
 * touches them, so nothing here is locked: {@link #take} and {@link #give} must be called on a loop of the pool.
 *
 * <p>The pool never makes a statement wait: {@link #take} returns null when its loop has no idle connection, and the
 * statement runs the blocking way on the JDBC pool instead. That same call opens another connection in the
 * background while the loop has fewer than {@code perLoop}, so the pool fills to what the load needs. After a
 * failed connect the loop waits a second before trying again, so a mysqld that is down is not hammered. With an idle
 * timeout, a connection unused that long is closed (as vttablet's pools close theirs), so a pool that filled during
 * a peak shrinks again; the loop checks every tenth of the timeout.
 */
public final class NativePool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NativePool.class);
    private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final NativeConnector connector;
    private final List<LoopPool> pools;
    private final int perLoop;
    private final int preparedPerConnection;
    private final LongSupplier nanoTime;
    private final long idleTimeoutNanos;
    private volatile boolean closed;

    /** How many server-side prepared statements a connection keeps unless told otherwise. */
    public static final int DEFAULT_PREPARED_PER_CONNECTION = 64;

    /**
     * As the other public constructor, each connection keeping {@link #DEFAULT_PREPARED_PER_CONNECTION}, and
     * connections kept however long they stay idle.
     */
    public NativePool(NativeConnector connector, List<EventLoop> loops, int perLoop) {
        this(connector, loops, perLoop, DEFAULT_PREPARED_PER_CONNECTION, Duration.ZERO);
    }

    /**
     * @param connector opens connections (as the app user, in the keyspace's database)
     * @param loops the loops statements arrive on; each gets its own connections
     * @param perLoop the most connections one loop opens
     * @param preparedPerConnection how many server-side prepared statements each connection keeps for SELECTs sent
     *     with bind variables (see {@link PreparedPlans}); 0 sends every statement as text
     * @param idleTimeout how long a connection may stay unused before it is closed; zero keeps it open
     */
    public NativePool(NativeConnector connector, List<EventLoop> loops, int perLoop, int preparedPerConnection,
            Duration idleTimeout) {
        this(connector, loops, perLoop, preparedPerConnection, idleTimeout, System::nanoTime);
    }

    private NativePool(NativeConnector connector, List<EventLoop> loops, int perLoop, int preparedPerConnection,
            Duration idleTimeout, LongSupplier nanoTime) {
        this.connector = Objects.requireNonNull(connector, "connector");
        if (perLoop < 1) {
            throw new IllegalArgumentException("perLoop must be at least 1, got " + perLoop);
        }
        if (preparedPerConnection < 0) {
            throw new IllegalArgumentException("preparedPerConnection must not be negative, got "
                    + preparedPerConnection);
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative, got " + idleTimeout);
        }
        this.perLoop = perLoop;
        this.preparedPerConnection = preparedPerConnection;
        this.nanoTime = nanoTime;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.pools = loops.stream().map(LoopPool::new).toList();
        if (idleTimeoutNanos > 0) {
            long every = Math.max(idleTimeoutNanos / 10, MIN_IDLE_CHECK_NANOS);
            for (LoopPool p : pools) {
                p.idleCheck = p.loop.scheduleAtFixedRate(p::closeExpired, every, every, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * An idle connection of the calling loop, or null if there is none (or the caller is not one of the pool's
     * loops, or the pool is closed). The caller gives it back with {@link #give} or closes it.
     */
    NativeConnection take() {
        LoopPool pool = current();
        if (pool == null || closed) {
            return null;
        }
        Idle i;
        while ((i = pool.idle.pollLast()) != null) {
            if (i.connection().isUsable()) {
                return i.connection();
            }
            i.connection().close();
        }
        pool.growIfAllowed();
        return null;
    }

    /** Returns {@code c}, taken on this loop, for the next statement; a connection no longer usable is closed. */
    void give(NativeConnection c) {
        LoopPool pool = current();
        if (pool == null || closed || !c.isUsable() || pool.loop != c.loop()) {
            c.close();
            return;
        }
        pool.idle.addLast(new Idle(c, nanoTime.getAsLong()));
    }

    /** Connections open now, over all loops (a snapshot; each loop counts its own). */
    int openCount() {
        int n = 0;
        for (LoopPool p : pools) {
            n += p.open;
        }
        return n;
    }

    /** Opens every loop's connections up to the cap, in the background (tests use it to start with a full pool). */
    void fill() {
        for (LoopPool p : pools) {
            p.loop.execute(() -> {
                int before;
                do {
                    before = p.connecting;
                    p.growIfAllowed();
                } while (p.connecting > before);
            });
        }
    }

    /** The most connections one loop opens. */
    int perLoop() {
        return perLoop;
    }

    /** How many server-side prepared statements each connection keeps (0: none). */
    int preparedPerConnection() {
        return preparedPerConnection;
    }

    /** Closes idle connections now; connections in use close when they are given back. */
    @Override
    public void close() {
        closed = true;
        for (LoopPool p : pools) {
            if (p.idleCheck != null) {
                p.idleCheck.cancel(false);
            }
            if (p.loop.isShuttingDown()) {
                continue;
            }
            try {
                p.loop.submit(p::closeIdle).await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.debug("closing native connections: {}", e.toString());
            }
        }
    }

    private LoopPool current() {
        for (LoopPool p : pools) {
            if (p.loop.inEventLoop()) {
                return p;
            }
        }
        return null;
    }

    /** A connection free for the next statement, and since when (on the pool's clock). */
    private record Idle(NativeConnection connection, long sinceNanos) {}

    /** One loop's connections; touched only on that loop. */
    private final class LoopPool {
        final EventLoop loop;
        /** Free connections, the longest unused first ({@link #take} takes the most recently used). */
        final ArrayDeque<Idle> idle = new ArrayDeque<>();
        ScheduledFuture<?> idleCheck;
        int open;
        int connecting;
        long retryAt;
        boolean failedBefore;

        LoopPool(EventLoop loop) {
            this.loop = Objects.requireNonNull(loop, "loop");
        }

        void growIfAllowed() {
            if (open + connecting >= perLoop || (failedBefore && nanoTime.getAsLong() - retryAt < 0)) {
                return;
            }
            connecting++;
            connector.connect(loop).whenComplete((c, failure) -> {
                // Completes on this loop.
                connecting--;
                if (failure != null) {
                    failedBefore = true;
                    retryAt = nanoTime.getAsLong() + RETRY_AFTER_FAILURE_NANOS;
                    log.warn("could not open a native connection to mysqld (statements use the JDBC pool): {}",
                            failure.getMessage());
                    return;
                }
                failedBefore = false;
                open++;
                c.onClose(() -> {
                    open--;
                    idle.removeIf(i -> i.connection() == c);
                });
                if (closed) {
                    c.close();
                } else {
                    idle.addLast(new Idle(c, nanoTime.getAsLong()));
                }
            });
        }

        void closeIdle() {
            Idle i;
            while ((i = idle.pollLast()) != null) {
                i.connection().close();
            }
        }

        /** Closes the connections unused for the idle timeout. */
        void closeExpired() {
            long now = nanoTime.getAsLong();
            while (!idle.isEmpty() && now - idle.peekFirst().sinceNanos() >= idleTimeoutNanos) {
                idle.pollFirst().connection().close();
            }
        }
    }
}
