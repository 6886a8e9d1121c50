package io.tessera.gate.discovery;

import io.grpc.ManagedChannel;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the health of every tablet in the watched cells and decides which of them the gate routes to.
 *
 * <p>Every {@code tablet_refresh_interval} it reads the tablets of each watched cell from the topology: a new tablet
 * gets a connection (one long-lived gRPC channel, carrying both its {@code StreamHealth} stream and its query calls);
 * a tablet that was deleted is dropped and its channel closed; a tablet whose host, gRPC or multiplex port changed is
 * dropped and connected anew. A cell that cannot be read keeps its tablets as they were. A health stream that breaks, or
 * stays silent longer than {@code healthcheck_timeout}, makes its tablet not serving at once and is reopened after
 * {@code healthcheck_retry_delay}.
 *
 * <p>Each report, break and topology change re-runs the {@link TabletPicker} for the targets concerned, which sets
 * {@link TabletHealth#inRotation()}; {@link HealthListener}s hear about every change. Routing reads the result
 * without taking the lock.
 *
 * <p>Metrics: {@code tessera_gate_tablets{keyspace,shard,type,state}} (state {@code serving}, {@code not_serving},
 * and {@code in_rotation}, which counts a subset of the serving ones) and
 * {@code tessera_gate_healthcheck_errors_total{tablet}} (health streams that broke or fell silent).
 */
public final class HealthCheck implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthCheck.class);

    /** How long calls still in flight on a dropped tablet's channel may run before the channel is cut. */
    private static final Duration DROP_GRACE = Duration.ofSeconds(10);
    /** How long {@link #close()} waits for each channel to terminate. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final TopoServer topo;
    private final DiscoveryConfig config;
    private final TabletConnector connector;
    private final RoutingTable routing;
    private final ScheduledExecutorService scheduler;
    private final PrometheusRegistry registry;
    private final Counter streamErrors;
    private final GaugeWithCallback tabletCounts;
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Written only under the lock; read without it by routing and status pages. */
    private final Map<TabletAlias, TabletConnection> connections = new ConcurrentHashMap<>();
    /** Channels of dropped tablets that are finishing their calls; guarded by the lock. */
    private final Set<ManagedChannel> retiring = new HashSet<>();
    /**
     * Listener calls collected during one change, made once the change is complete: tablet changes first, then
     * the primary changes they caused. Guarded by the lock.
     */
    private final List<Runnable> pendingEvents = new ArrayList<>();
    private final List<Runnable> pendingPrimaryEvents = new ArrayList<>();
    private boolean started; // guarded by the lock
    private boolean closed; // guarded by the lock

    /**
     * A health check that does nothing until {@link #start()}, so that listeners can be added first.
     *
     * @param topo where the tablets are registered
     * @param config the cells to watch, intervals and selection settings
     * @param connector opens the channel to each tablet
     * @param registry receives the metrics
     */
    public HealthCheck(TopoServer topo, DiscoveryConfig config, TabletConnector connector,
            PrometheusRegistry registry) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.config = Objects.requireNonNull(config, "config");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.routing = new RoutingTable(new TabletPicker(config.localCell(), ReplicationLagFilter.of(config)));
        // Topology reads block; on a virtual thread they hold no platform thread meanwhile.
        this.scheduler = Executors.newScheduledThreadPool(1,
                Thread.ofVirtual().name("gate-healthcheck-", 0).factory());
        this.registry = Objects.requireNonNull(registry, "registry");
        this.streamErrors = Counter.builder().name("tessera_gate_healthcheck_errors_total")
                .help("Tablet health streams that broke or stayed silent past --healthcheck_timeout, by tablet")
                .labelNames("tablet").register(registry);
        this.tabletCounts = GaugeWithCallback.builder().name("tessera_gate_tablets")
                .help("Tablets the gate follows, by target and state (in_rotation counts serving tablets that "
                        + "the gate routes to)")
                .labelNames("keyspace", "shard", "type", "state")
                .callback(this::reportTabletCounts).register(registry);
    }

    /** Adds a listener; add them before {@link #start()} to hear about every tablet. */
    public void addListener(HealthListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Reads the topology once, opening a health stream to each tablet found (this call does not wait for their
     * reports), and then keeps watching in the background until {@link #close()}.
     *
     * @throws IllegalStateException if already started or closed
     */
    public void start() {
        lock.lock();
        try {
            if (started || closed) {
                throw new IllegalStateException("the health check was already started or closed");
            }
            started = true;
        } finally {
            lock.unlock();
        }
        refreshQuietly();
        long refresh = config.tabletRefreshInterval().toNanos();
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, refresh, refresh, TimeUnit.NANOSECONDS);
        // A few looks per timeout keep a silent tablet from overstaying it by much.
        long check = Math.max(TimeUnit.MILLISECONDS.toNanos(10), config.healthCheckTimeout().toNanos() / 4);
        scheduler.scheduleWithFixedDelay(this::checkSilence, check, check, TimeUnit.NANOSECONDS);
    }

    /** Every followed tablet with its last health report, sorted by alias. */
    public List<TabletHealth> tablets() {
        return connections.values().stream().map(TabletConnection::health)
                .sorted(Comparator.comparing((TabletHealth h) -> h.tablet().getAlias().getCell())
                        .thenComparingLong(h -> h.tablet().getAlias().getUid()))
                .toList();
    }

    /**
     * Waits until every one of {@code targets} (keyspace, shard and tablet type; the cell is ignored) has a tablet
     * in rotation, or {@code timeout} passes: what a gate does at start before it takes traffic.
     *
     * @return the targets that still have no tablet in rotation; empty when all are ready
     */
    public Set<Target> waitForTablets(Collection<Target> targets, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                Set<Target> missing = new LinkedHashSet<>();
                for (Target t : targets) {
                    if (routing.rotation(TargetKey.of(t)).isEmpty()) {
                        missing.add(t);
                    }
                }
                long left = deadline - System.nanoTime();
                if (missing.isEmpty() || left <= 0 || closed) {
                    return missing;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LinkedHashSet<>(targets);
        } finally {
            lock.unlock();
        }
    }

    /** The tablets a target is routed to; {@link Rotation#EMPTY} when it has none. */
    Rotation rotation(TargetKey target) {
        return routing.rotation(target);
    }

    /** The connection to a followed tablet, or null. */
    TabletConnection connection(TabletAlias alias) {
        return connections.get(alias);
    }

    /** Stops watching, ends every health stream, closes every channel and removes the metrics. */
    @Override
    public void close() {
        List<ManagedChannel> channels = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (TabletConnection c : connections.values()) {
                c.closed = true;
                if (c.reconnect != null) {
                    c.reconnect.cancel(false);
                }
                if (c.stream != null) {
                    c.stream.cancel("the gate is shutting down");
                    c.stream = null;
                }
                channels.addAll(c.channels().all());
            }
            channels.addAll(retiring);
            retiring.clear();
            connections.clear();
            routing.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        scheduler.shutdownNow();
        registry.unregister(streamErrors);
        registry.unregister(tabletCounts);
        channels.forEach(ManagedChannel::shutdownNow);
        try {
            for (ManagedChannel ch : channels) {
                ch.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            scheduler.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- topology ----

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("reading the tablets from the topology failed: {}", e.toString());
        }
    }

    /** One look at the topology: connects new tablets, drops deleted ones, reconnects moved ones. */
    void refresh() {
        Map<TabletAlias, Tablet> found = new LinkedHashMap<>();
        Set<String> unreadable = new HashSet<>();
        for (String cell : config.cellsToWatch()) {
            try {
                for (Tablet t : topo.getTabletsByCell(cell)) {
                    if (!t.getHostname().isEmpty() && t.getPortMapMap().getOrDefault("grpc", 0) > 0) {
                        found.put(t.getAlias(), t);
                    }
                }
            } catch (TopoException e) {
                // A cell that does not exist (yet, or any more) has no tablets; any other failure says nothing
                // about them, so they stay as they are until the topology answers again.
                if (!e.is(TopoException.Code.NO_NODE)) {
                    unreadable.add(cell);
                    log.warn("cannot read the tablets of cell {}: {}", cell, e.getMessage());
                }
            }
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            for (TabletConnection c : List.copyOf(connections.values())) {
                Tablet t = found.get(c.alias());
                if (t == null) {
                    if (!unreadable.contains(c.alias().getCell())) {
                        drop(c, "removed from the topology");
                    }
                } else if (!TabletConnection.endpoints(t).equals(TabletConnection.endpoints(c.health().tablet()))) {
                    drop(c, "moved to " + TabletConnection.endpoints(t));
                    add(t);
                } else if (!t.equals(c.health().tablet())) {
                    replaceRecord(c, t);
                }
            }
            for (Tablet t : found.values()) {
                if (!connections.containsKey(t.getAlias())) {
                    add(t);
                }
            }
            fireEvents();
        } finally {
            lock.unlock();
        }
    }

    /** Lock held. */
    private void add(Tablet tablet) {
        TabletChannels channels;
        try {
            channels = connector.open(tablet);
        } catch (RuntimeException e) {
            log.warn("cannot open a channel to tablet {} at {}: {}", format(tablet.getAlias()),
                    TabletConnection.address(tablet), e.toString());
            return;
        }
        TabletConnection c = new TabletConnection(tablet, channels);
        connections.put(c.alias(), c);
        log.info("following tablet {} at {}", format(c.alias()), c.address());
        TabletHealth added = c.health();
        pendingEvents.add(() -> listeners.forEach(l -> l.tabletChanged(null, added)));
        openStream(c);
    }

    /** Lock held. */
    private void drop(TabletConnection c, String why) {
        log.info("dropping tablet {}: {}", format(c.alias()), why);
        c.closed = true;
        if (c.reconnect != null) {
            c.reconnect.cancel(false);
        }
        if (c.stream != null) {
            c.stream.cancel("the tablet was " + why);
            c.stream = null;
        }
        Map<TabletConnection, TabletHealth> before = snapshot(Set.of(c.targetKey()));
        connections.remove(c.alias());
        recompute(c.targetKey());
        TabletHealth last = before.remove(c);
        pendingEvents.add(() -> listeners.forEach(l -> l.tabletChanged(last, null)));
        collectChanges(before);
        c.finishStreams();
        // The framed connections have no channel to shut down: they are closed when the channels are.
        schedule(c::abandonStreams, DROP_GRACE);
        for (ManagedChannel channel : c.channels().all()) {
            channel.shutdown();
            retiring.add(channel);
            schedule(() -> {
                channel.shutdownNow();
                lock.lock();
                try {
                    retiring.remove(channel);
                } finally {
                    lock.unlock();
                }
            }, DROP_GRACE);
        }
    }

    /** The tablet's record changed but not its address. Lock held. */
    private void replaceRecord(TabletConnection c, Tablet tablet) {
        TabletHealth h = c.health();
        Target target = h.lastReport() != null ? h.target() : Target.newBuilder().setKeyspace(tablet.getKeyspace())
                .setShard(tablet.getShard()).setTabletType(tablet.getType()).setCell(c.alias().getCell()).build();
        update(c, new TabletHealth(tablet, target, h.serving(), h.replicationLagSeconds(), h.healthError(),
                h.primaryTermStartSeconds(), h.lastReport(), h.inRotation()));
    }

    // ---- health streams ----

    /** Lock held. */
    private void openStream(TabletConnection c) {
        if (closed || c.closed || c.stream != null) {
            return;
        }
        c.reconnect = null;
        c.lastActivityNanos = System.nanoTime();
        c.stream = HealthStream.open(c.channels().main(), new StreamEvents(c));
    }

    /** Takes the tablet out of service and reopens its stream later. Lock held. */
    private void breakStream(TabletConnection c, String reason) {
        HealthStream s = c.stream;
        c.stream = null;
        if (s != null) {
            s.cancel(reason);
        }
        streamErrors.labelValues(format(c.alias())).inc();
        log.info("tablet {} is not serving for the gate: {}", format(c.alias()), reason);
        TabletHealth h = c.health();
        update(c, new TabletHealth(h.tablet(), h.target(), false, h.replicationLagSeconds(), reason,
                h.primaryTermStartSeconds(), h.lastReport(), h.inRotation()));
        c.reconnect = schedule(() -> {
            lock.lock();
            try {
                openStream(c);
            } finally {
                lock.unlock();
            }
        }, config.healthCheckRetryDelay());
    }

    private void checkSilence() {
        long limit = config.healthCheckTimeout().toNanos();
        lock.lock();
        try {
            long now = System.nanoTime();
            for (TabletConnection c : List.copyOf(connections.values())) {
                if (c.stream != null && now - c.lastActivityNanos > limit) {
                    breakStream(c, "no health report within " + format(config.healthCheckTimeout())
                            + " (--healthcheck_timeout)");
                }
            }
            fireEvents();
        } finally {
            lock.unlock();
        }
    }

    /** Receives one stream's reports and end. */
    private final class StreamEvents implements HealthStream.Listener {
        private final TabletConnection c;

        StreamEvents(TabletConnection c) {
            this.c = c;
        }

        @Override
        public void report(HealthStream stream, StreamHealthResponse response) {
            lock.lock();
            try {
                if (c.closed || c.stream != stream) {
                    return; // a late message from a stream that was already replaced
                }
                c.lastActivityNanos = System.nanoTime();
                accept(c, response);
                fireEvents();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void ended(HealthStream stream, String reason) {
            lock.lock();
            try {
                if (c.closed || c.stream != stream) {
                    return;
                }
                breakStream(c, reason);
                fireEvents();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Applies one health report. Lock held. */
    private void accept(TabletConnection c, StreamHealthResponse r) {
        TabletHealth h = c.health();
        Target target = r.hasTarget() ? r.getTarget() : h.target();
        String error = r.getRealtimeStats().getHealthError();
        if (r.hasTabletAlias() && !r.getTabletAlias().equals(c.alias())) {
            // The topology points at a tablet that is not the one answering there: never route to it.
            error = "the tablet at " + c.address() + " is " + format(r.getTabletAlias()) + ", not "
                    + format(c.alias()) + " as the topology says";
        }
        boolean primary = target.getTabletType() == TabletType.PRIMARY;
        long term = primary ? r.getPrimaryTermStartTimestamp() : 0;
        if (primary) {
            TargetKey shard = TargetKey.of(target);
            boolean sameClaim = h.lastReport() != null && TargetKey.of(h.target()).equals(shard)
                    && h.primaryTermStartSeconds() == term;
            c.primaryClaim = routing.claimPrimary(shard, term, !sameClaim, c.primaryClaim);
        }
        long lag = Integer.toUnsignedLong(r.getRealtimeStats().getReplicationLagSeconds());
        update(c, new TabletHealth(h.tablet(), target, r.getServing(), lag, error, term, Instant.now(),
                h.inRotation()));
    }

    // ---- rotation ----

    /**
     * Gives a tablet its new health and re-chooses the tablets of the targets it left and joined, collecting the
     * listener calls. Lock held.
     */
    private void update(TabletConnection c, TabletHealth next) {
        Set<TargetKey> keys = new LinkedHashSet<>();
        keys.add(c.targetKey());
        keys.add(TargetKey.of(next.target()));
        Map<TabletConnection, TabletHealth> before = snapshot(keys);
        c.health(next);
        keys.forEach(this::recompute);
        collectChanges(before);
    }

    /** The current health of every tablet of {@code keys}. Lock held. */
    private Map<TabletConnection, TabletHealth> snapshot(Set<TargetKey> keys) {
        Map<TabletConnection, TabletHealth> before = new LinkedHashMap<>();
        for (TabletConnection c : connections.values()) {
            if (keys.contains(c.targetKey())) {
                before.put(c, c.health());
            }
        }
        return before;
    }

    /** Queues a listener call for each tablet whose health differs from {@code before}. Lock held. */
    private void collectChanges(Map<TabletConnection, TabletHealth> before) {
        before.forEach((c, previous) -> {
            TabletHealth current = c.health();
            if (!current.equals(previous)) {
                pendingEvents.add(() -> listeners.forEach(l -> l.tabletChanged(previous, current)));
            }
        });
    }

    /** Re-chooses the tablets of one target and marks them in rotation. Lock held. */
    private void recompute(TargetKey key) {
        List<TabletConnection> members = connections.values().stream()
                .filter(c -> c.targetKey().equals(key))
                .sorted(Comparator.comparing((TabletConnection c) -> c.alias().getCell())
                        .thenComparingLong(c -> c.alias().getUid()))
                .toList();
        RoutingTable.PrimaryChange change = routing.recompute(key, members);
        if (change != null) {
            Optional<TabletHealth> primary = Optional.ofNullable(change.primary()).map(TabletConnection::health);
            pendingPrimaryEvents.add(() -> listeners.forEach(
                    l -> l.primaryChanged(key.keyspace(), key.shard(), primary)));
        }
    }

    /** Makes the collected listener calls and wakes {@link #waitForTablets} waiters. Lock held. */
    private void fireEvents() {
        List<Runnable> events = new ArrayList<>(pendingEvents);
        events.addAll(pendingPrimaryEvents);
        pendingEvents.clear();
        pendingPrimaryEvents.clear();
        for (Runnable e : events) {
            try {
                e.run();
            } catch (RuntimeException ex) {
                log.warn("a health listener failed: {}", ex.toString());
            }
        }
        changed.signalAll();
    }

    // ---- helpers ----

    private Future<?> schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null; // closing: nothing more to do
        }
    }

    private void reportTabletCounts(GaugeWithCallback.Callback callback) {
        record Group(String keyspace, String shard, String type) {}
        Map<Group, long[]> counts = new HashMap<>();
        for (TabletConnection c : connections.values()) {
            TabletHealth h = c.health();
            Target t = h.target();
            long[] n = counts.computeIfAbsent(new Group(t.getKeyspace(), t.getShard(),
                    t.getTabletType().name().toLowerCase(Locale.ROOT)), g -> new long[3]);
            n[h.serving() ? 0 : 1]++;
            if (h.inRotation()) {
                n[2]++;
            }
        }
        counts.forEach((g, n) -> {
            callback.call(n[0], g.keyspace(), g.shard(), g.type(), "serving");
            callback.call(n[1], g.keyspace(), g.shard(), g.type(), "not_serving");
            callback.call(n[2], g.keyspace(), g.shard(), g.type(), "in_rotation");
        });
    }

    private static String format(TabletAlias alias) {
        return TabletAliases.format(alias);
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
