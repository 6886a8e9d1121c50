package io.tessera.gate.buffer;

import io.grpc.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.topodata.TabletAlias;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds PRIMARY requests back while a shard changes primary, instead of failing them, and lets them go on to the new
 * primary once it serves. One buffer serves a whole gate; each shard has its own failover state.
 *
 * <p><b>A failover starts</b> when a PRIMARY request fails because the primary is not serving or is read-only
 * ({@link #waitAfterPrimaryError}), when the shard's primary leaves rotation (reported through
 * {@link #primaryChanged}), or when a request finds no primary for a shard that had one ({@link #waitForPrimary}).
 * It is not started (its requests fail through, counted as {@code skipped}) when the shard's previous failover ended
 * less than {@code minTimeBetweenFailovers} ago.
 *
 * <p><b>While it lasts</b>, every PRIMARY request of the shard waits ({@link #waitIfFailingOver}), each for at most
 * {@code window}, and all shards together hold at most {@code size} requests; one more fails at once with
 * BUFFER_FULL. A request that waited its whole window fails with BUFFER_WINDOW_EXCEEDED.
 *
 * <p><b>It ends</b> when the gate routes the shard's PRIMARY traffic to a tablet again, and that tablet is either a
 * different one than the failed primary (a newer term: the health check never routes to an older one) or the old
 * primary serving again after it was seen out of rotation. The waiting requests are then released in arrival order,
 * a few at a time (see {@link DrainSlot}). A failover that lasts longer than {@code maxFailoverDuration} ends
 * without a primary: its requests fail with BUFFER_WINDOW_EXCEEDED.
 *
 * <p>Waiting parks the caller (a virtual thread, in the gate) on a future; no thread polls. When buffering is off
 * every method returns at once without waiting. Metrics:
 * {@code tessera_gate_buffer_requests_total{keyspace,shard,outcome}} (outcome {@code drained},
 * {@code window_exceeded}, {@code full}, {@code skipped}) and {@code tessera_gate_buffer_failovers_total{keyspace,
 * shard}}.
 */
public final class FailoverBuffer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FailoverBuffer.class);

    /** Vitess's {@code --buffer_drain_concurrency} default: buffered requests retry one at a time. */
    public static final int DEFAULT_DRAIN_CONCURRENCY = 1;

    private final BufferConfig config;
    private final int drainConcurrency;
    private final PrometheusRegistry registry;
    private final Counter requests;
    private final Counter failovers;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<ShardBuffer.Key, ShardBuffer> shards = new HashMap<>(); // guarded by lock
    private int buffered; // guarded by lock
    private boolean closed; // guarded by lock
    /** How many shards are failing over: lets the common case skip the lock entirely. */
    private volatile int activeFailovers;

    /** A buffer draining one request at a time, as Vitess does by default. */
    public FailoverBuffer(BufferConfig config, PrometheusRegistry registry) {
        this(config, DEFAULT_DRAIN_CONCURRENCY, registry);
    }

    /**
     * @param config whether and how long to buffer
     * @param drainConcurrency how many released requests may retry at once ({@code --buffer_drain_concurrency})
     * @param registry receives the metrics
     */
    public FailoverBuffer(BufferConfig config, int drainConcurrency, PrometheusRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        if (drainConcurrency < 1) {
            throw new IllegalArgumentException("the drain concurrency must be at least 1, got " + drainConcurrency);
        }
        this.drainConcurrency = drainConcurrency;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.requests = Counter.builder().name("tessera_gate_buffer_requests_total")
                .help("PRIMARY requests that met a failover, by outcome: drained (retried on the new primary), "
                        + "window_exceeded, full (the buffer had no room), skipped (too soon after the last "
                        + "failover)")
                .labelNames("keyspace", "shard", "outcome").register(registry);
        this.failovers = Counter.builder().name("tessera_gate_buffer_failovers_total")
                .help("Failovers the buffer started (PRIMARY requests arriving meanwhile wait), by shard")
                .labelNames("keyspace", "shard").register(registry);
    }

    /** Whether buffering is on ({@code --enable_buffer}). */
    public boolean enabled() {
        return config.enabled();
    }

    /**
     * Whether buffering is on and some shard is failing over now: a PRIMARY request may then have to wait in
     * {@link #waitIfFailingOver}. A cheap check without the lock, for callers that must not wait.
     */
    public boolean anyFailover() {
        return config.enabled() && activeFailovers != 0;
    }

    /**
     * Called before a PRIMARY request is sent: while the shard is failing over, waits for the end, so the request
     * is not sent to a primary on its way out.
     *
     * @return empty if the shard is not failing over (send the request now); otherwise the slot to retry in
     * @throws TesseraException BUFFER_FULL, BUFFER_WINDOW_EXCEEDED, or CANCELED if the gate shuts down meanwhile
     */
    public Optional<DrainSlot> waitIfFailingOver(String keyspace, String shard) {
        if (!config.enabled() || activeFailovers == 0) {
            return Optional.empty();
        }
        Entry entry;
        lock.lock();
        try {
            ShardBuffer sb = shards.get(new ShardBuffer.Key(keyspace, shard));
            if (closed || sb == null) {
                return Optional.empty();
            }
            expire(sb, System.nanoTime());
            if (!sb.failingOver()) {
                return Optional.empty();
            }
            entry = enqueue(sb);
        } finally {
            lock.unlock();
        }
        return Optional.of(await(entry));
    }

    /**
     * Called when a PRIMARY request found no primary in rotation. If the shard had a primary before, this is a
     * failover: the request waits for the new primary.
     *
     * @return the slot to retry in; empty if the request should fail now (the shard never had a primary, or its
     *     last failover ended too recently)
     * @throws TesseraException BUFFER_FULL, BUFFER_WINDOW_EXCEEDED, or CANCELED
     */
    public Optional<DrainSlot> waitForPrimary(String keyspace, String shard) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        Entry entry;
        lock.lock();
        try {
            if (closed) {
                return Optional.empty();
            }
            long now = System.nanoTime();
            ShardBuffer sb = shard(keyspace, shard);
            expire(sb, now);
            if (!sb.failingOver()) {
                if (sb.primary() != null) {
                    return Optional.of(DrainSlot.NONE); // one arrived meanwhile
                }
                if (sb.lastPrimary() == null) {
                    return Optional.empty();
                }
                if (!sb.mayStartFailover(now, config.minTimeBetweenFailovers())) {
                    count(sb, "skipped");
                    return Optional.empty();
                }
                start(sb, sb.lastPrimary(), true, now, "no primary in rotation");
            }
            entry = enqueue(sb);
        } finally {
            lock.unlock();
        }
        return Optional.of(await(entry));
    }

    /**
     * Called when a PRIMARY request failed on {@code failed} because that tablet is not serving or is read-only,
     * which means the statement did not run and may be sent again.
     *
     * @return the slot to retry in (at once, when the gate already routes to a newer primary); empty if the
     *     request should fail with its error (the last failover of the shard ended too recently)
     * @throws TesseraException BUFFER_FULL, BUFFER_WINDOW_EXCEEDED, or CANCELED
     */
    public Optional<DrainSlot> waitAfterPrimaryError(String keyspace, String shard, TabletAlias failed) {
        Objects.requireNonNull(failed, "failed");
        if (!config.enabled()) {
            return Optional.empty();
        }
        Entry entry;
        lock.lock();
        try {
            if (closed) {
                return Optional.empty();
            }
            long now = System.nanoTime();
            ShardBuffer sb = shard(keyspace, shard);
            expire(sb, now);
            if (!sb.failingOver()) {
                if (sb.primary() != null && !sb.primary().equals(failed)) {
                    return Optional.of(DrainSlot.NONE); // the request raced with the switch: just resend it
                }
                if (!sb.mayStartFailover(now, config.minTimeBetweenFailovers())) {
                    count(sb, "skipped");
                    return Optional.empty();
                }
                start(sb, failed, sb.primary() == null, now, "the primary refused a request");
            }
            entry = enqueue(sb);
        } finally {
            lock.unlock();
        }
        return Optional.of(await(entry));
    }

    /**
     * Tells the buffer which tablet the gate now routes the shard's PRIMARY traffic to, or that it has none (null);
     * the health check calls this on every change. Never blocks.
     */
    public void primaryChanged(String keyspace, String shard, TabletAlias primary) {
        if (!config.enabled()) {
            return;
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            long now = System.nanoTime();
            ShardBuffer sb = shard(keyspace, shard);
            TabletAlias previous = sb.primary();
            sb.primary(primary);
            expire(sb, now);
            if (sb.failingOver()) {
                ShardBuffer.Failover f = sb.failover();
                if (primary == null) {
                    f.primaryGone = true;
                } else if (!primary.equals(f.failedPrimary) || f.primaryGone) {
                    end(sb, true, now);
                }
            } else if (primary == null && previous != null
                    && sb.mayStartFailover(now, config.minTimeBetweenFailovers())) {
                start(sb, previous, true, now, "the primary left rotation");
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many requests are waiting now, across all shards. */
    public int bufferedRequests() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the shard is failing over now (a request for it would wait). */
    public boolean isFailingOver(String keyspace, String shard) {
        lock.lock();
        try {
            ShardBuffer sb = shards.get(new ShardBuffer.Key(keyspace, shard));
            return sb != null && sb.failingOver();
        } finally {
            lock.unlock();
        }
    }

    /** Fails every waiting request with CANCELED, stops buffering and removes the metrics. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            registry.unregister(requests);
            registry.unregister(failovers);
            for (ShardBuffer sb : shards.values()) {
                ShardBuffer.Failover f = sb.endFailover(System.nanoTime());
                if (f != null) {
                    activeFailovers--;
                    for (Entry e : f.waiting) {
                        leave(e);
                        e.release.completeExceptionally(
                                TesseraException.of(ErrorKind.CANCELED, "the gate is shutting down"));
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- state changes; lock held ----

    private ShardBuffer shard(String keyspace, String shard) {
        return shards.computeIfAbsent(new ShardBuffer.Key(keyspace, shard), ShardBuffer::new);
    }

    private void start(ShardBuffer sb, TabletAlias failed, boolean primaryGone, long now, String why) {
        sb.startFailover(now, failed, primaryGone);
        activeFailovers++;
        failovers.labelValues(sb.key().keyspace(), sb.key().shard()).inc();
        log.info("buffering PRIMARY requests of {}/{}: {}", sb.key().keyspace(), sb.key().shard(), why);
    }

    /** Ends a failover that has lasted too long, failing its requests. */
    private void expire(ShardBuffer sb, long now) {
        if (sb.failingOver() && now - sb.failover().startNanos >= config.maxFailoverDuration().toNanos()) {
            end(sb, false, now);
        }
    }

    private void end(ShardBuffer sb, boolean primaryFound, long now) {
        ShardBuffer.Failover f = sb.endFailover(now);
        activeFailovers--;
        List<Entry> waiting = List.copyOf(f.waiting);
        if (primaryFound) {
            log.info("{}/{} has a serving primary again: releasing {} buffered requests", sb.key().keyspace(),
                    sb.key().shard(), waiting.size());
            waiting.forEach(e -> e.draining = true);
            if (!waiting.isEmpty()) {
                Thread.ofVirtual().name("gate-buffer-drain-" + sb.key().keyspace() + "-" + sb.key().shard())
                        .start(() -> drain(sb, waiting));
            }
            return;
        }
        log.warn("{}/{} found no serving primary within {} (--buffer_max_failover_duration): failing {} buffered "
                + "requests", sb.key().keyspace(), sb.key().shard(), config.maxFailoverDuration(), waiting.size());
        for (Entry e : waiting) {
            leave(e);
            count(sb, "window_exceeded");
            e.release.completeExceptionally(windowExceeded(sb, config.maxFailoverDuration(),
                    "--buffer_max_failover_duration"));
        }
    }

    private Entry enqueue(ShardBuffer sb) {
        if (buffered >= config.size()) {
            count(sb, "full");
            throw TesseraException.of(ErrorKind.BUFFER_FULL, config.size(), sb.key().keyspace(), sb.key().shard());
        }
        Entry e = new Entry(sb, sb.failover(), System.nanoTime());
        sb.failover().waiting.add(e);
        buffered++;
        return e;
    }

    /** Takes a request out of the count of waiting ones, once. */
    private void leave(Entry e) {
        if (!e.left) {
            e.left = true;
            buffered--;
        }
    }

    // ---- waiting and draining ----

    /**
     * Waits for the entry's release; runs without the lock. A request whose gRPC context is cancelled meanwhile (the
     * gate's KILL QUERY) leaves the buffer at once, as an interrupted one does.
     */
    private DrainSlot await(Entry e) {
        long deadline = Math.min(e.enqueuedNanos + config.window().toNanos(),
                e.failover.startNanos + config.maxFailoverDuration().toNanos());
        Context context = Context.current();
        Context.CancellationListener onCancel = c -> e.release.completeExceptionally(TesseraException.of(
                ErrorKind.CANCELED, "the statement was cancelled while waiting in the failover buffer"));
        context.addListener(onCancel, Runnable::run);
        try {
            return awaitRelease(e, deadline);
        } catch (TesseraException failed) {
            if (context.isCancelled()) {
                giveUp(e);
            }
            throw failed;
        } finally {
            context.removeListener(onCancel);
        }
    }

    /** Leaves the buffer before the entry was released; if the drain released it meanwhile, gives the turn back. */
    private void giveUp(Entry e) {
        lock.lock();
        try {
            e.failover.waiting.remove(e);
            leave(e);
        } finally {
            lock.unlock();
        }
        e.release.thenAccept(DrainSlot::close);
    }

    private DrainSlot awaitRelease(Entry e, long deadlineNanos) {
        long deadline = deadlineNanos;
        try {
            while (true) {
                try {
                    if (deadline == Long.MAX_VALUE) {
                        return e.release.get();
                    }
                    return e.release.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException timeout) {
                    lock.lock();
                    try {
                        if (e.release.isDone()) {
                            continue;
                        }
                        if (e.draining) {
                            // The failover is over and the drain will reach this request shortly: its window was
                            // for finding a primary, which has happened.
                            deadline = Long.MAX_VALUE;
                            continue;
                        }
                        e.failover.waiting.remove(e);
                        leave(e);
                        count(e.shard, "window_exceeded");
                        if (System.nanoTime() - e.failover.startNanos < config.maxFailoverDuration().toNanos()) {
                            throw windowExceeded(e.shard, config.window(), "--buffer_window");
                        }
                        if (e.shard.failover() == e.failover) {
                            expire(e.shard, System.nanoTime()); // fails the others too
                        }
                        throw windowExceeded(e.shard, config.maxFailoverDuration(), "--buffer_max_failover_duration");
                    } finally {
                        lock.unlock();
                    }
                }
            }
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof TesseraException te ? te
                    : TesseraException.withCause(ErrorKind.INTERNAL, failed.getCause(), "failover buffer failed");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            giveUp(e);
            throw TesseraException.of(ErrorKind.CANCELED, "interrupted while waiting in the failover buffer");
        }
    }

    /** Releases the requests of an ended failover in arrival order, a few at a time. Runs on its own thread. */
    private void drain(ShardBuffer sb, List<Entry> waiting) {
        Semaphore turns = new Semaphore(drainConcurrency);
        for (Entry e : waiting) {
            turns.acquireUninterruptibly();
            lock.lock();
            try {
                if (e.left) {
                    turns.release(); // it gave up (interrupted) or the buffer closed
                    continue;
                }
                leave(e);
                count(sb, "drained");
            } finally {
                lock.unlock();
            }
            Slot slot = new Slot(turns);
            if (!e.release.complete(slot)) {
                slot.close();
            }
        }
    }

    private void count(ShardBuffer sb, String outcome) {
        requests.labelValues(sb.key().keyspace(), sb.key().shard(), outcome).inc();
    }

    private static TesseraException windowExceeded(ShardBuffer sb, Duration limit, String flag) {
        return TesseraException.of(ErrorKind.BUFFER_WINDOW_EXCEEDED, sb.key().keyspace(), sb.key().shard(),
                format(limit) + " (" + flag + ")");
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** One waiting request. */
    static final class Entry {
        final ShardBuffer shard;
        final ShardBuffer.Failover failover;
        final long enqueuedNanos;
        final CompletableFuture<DrainSlot> release = new CompletableFuture<>();
        /** The failover ended with a primary; the drain will release this one. Guarded by the buffer's lock. */
        boolean draining;
        /** No longer counted as waiting. Guarded by the buffer's lock. */
        boolean left;

        Entry(ShardBuffer shard, ShardBuffer.Failover failover, long enqueuedNanos) {
            this.shard = shard;
            this.failover = failover;
            this.enqueuedNanos = enqueuedNanos;
        }
    }

    /** A drain turn, given back once. */
    private static final class Slot implements DrainSlot {
        private final Semaphore turns;
        private final AtomicBoolean closed = new AtomicBoolean();

        Slot(Semaphore turns) {
            this.turns = turns;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                turns.release();
            }
        }
    }
}
