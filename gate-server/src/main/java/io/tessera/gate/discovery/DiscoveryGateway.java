package io.tessera.gate.discovery;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.buffer.BufferConfig;
import io.tessera.gate.buffer.DrainSlot;
import io.tessera.gate.buffer.FailoverBuffer;
import io.tessera.common.net.EventLoops;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.ReleaseRequest;
import io.tessera.proto.query.ReleaseResponse;
import io.tessera.proto.query.ReserveBeginExecuteRequest;
import io.tessera.proto.query.ReserveBeginExecuteResponse;
import io.tessera.proto.query.ReserveExecuteRequest;
import io.tessera.proto.query.ReserveExecuteResponse;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.RollbackResponse;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtrpc.Code;
import io.tessera.queryservice.AsyncExecute;
import io.tessera.queryservice.QueryResultConsumer;
import io.tessera.queryservice.QueryService;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The gate's {@link TabletGateway}: routes each request by its target to a tablet the {@link HealthCheck} keeps in
 * rotation, retries where that is safe, and holds PRIMARY requests in the {@link FailoverBuffer} while a shard
 * changes primary.
 *
 * <ul>
 *   <li><b>REPLICA, RDONLY</b>: the tablets in rotation take turns. A tablet that answers CLUSTER_EVENT (not
 *       serving) or UNAVAILABLE (unreachable) is left out and the request goes to another one, up to
 *       {@code retry_count} more times; a streamed read is retried only while the consumer has received nothing.
 *   <li><b>PRIMARY</b>: the tablet with the newest primary term. With buffering on, a request waits while its shard
 *       fails over, and one refused by the primary with CLUSTER_EVENT or READ_ONLY (the statement did not run) starts
 *       or joins a failover and is resent to the new primary. With buffering off, such a request is resent only if
 *       the gate already routes to another primary; otherwise the error goes back. UNAVAILABLE is never retried
 *       for a primary: the statement may have run.
 *   <li>No tablet in rotation: NO_HEALTHY_TABLET (for PRIMARY with buffering on, after waiting in the buffer if
 *       the shard had a primary before).
 * </ul>
 *
 * <p>Calls that continue a transaction or a reserved connection (commit, rollback, release, and any request with a
 * {@code transaction_id} or {@code reserved_id}) are refused with BAD_REQUEST: they must reach the tablet that holds
 * it, through {@link #tablet(TabletAlias)}. Responses that open one always name that tablet.
 *
 * <p>Metric: {@code tessera_gate_tablet_queries_total{keyspace,shard,type,tablet}}, one per call sent to a tablet
 * by the routing methods (retries count again); plus those of {@link HealthCheck} and {@link FailoverBuffer}.
 */
public final class DiscoveryGateway implements TabletGateway {
    private final DiscoveryConfig config;
    private final HealthCheck healthCheck;
    private final FailoverBuffer buffer;
    private final ServingKeyspaces serving;
    private final ScheduledExecutorService servingRefresh;
    private final PrometheusRegistry registry;
    private final Counter queries;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Bumped whenever what {@link #keyspaces()} reads may have changed (a tablet's health, a serving-graph
     * refresh), so that every statement does not rebuild the set.
     */
    private final AtomicLong keyspacesVersion = new AtomicLong();
    private volatile KnownKeyspaces knownKeyspaces;

    /** {@link #keyspaces()} as computed at one version. */
    private record KnownKeyspaces(long version, Set<String> names) {}

    private volatile KnownShards knownShards;

    /** {@link #shards(String)} of the keyspaces asked for since {@code version} was reached. */
    private record KnownShards(long version, Map<String, List<String>> byKeyspace) {}

    /** What a routing method does with the tablet it was given. */
    @FunctionalInterface
    private interface Call<R> {
        R run(QueryService tablet, TabletAlias alias);
    }

    /**
     * A gateway that starts following the tablets at once (it reads the topology before returning, without
     * waiting for health reports; see {@link #waitForTablets}).
     *
     * @param topo where the tablets and serving graph are
     * @param config cells, intervals, selection and retries
     * @param bufferConfig failover buffering
     * @param connector opens the channel to each tablet
     * @param registry receives the metrics
     */
    public DiscoveryGateway(TopoServer topo, DiscoveryConfig config, BufferConfig bufferConfig,
            TabletConnector connector, PrometheusRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.queries = Counter.builder().name("tessera_gate_tablet_queries_total")
                .help("Calls the gate routed to each tablet, by target and tablet")
                .labelNames("keyspace", "shard", "type", "tablet").register(registry);
        this.buffer = new FailoverBuffer(bufferConfig, registry);
        this.healthCheck = new HealthCheck(topo, config, connector, registry);
        this.serving = new ServingKeyspaces(topo, config.cellsToWatch());
        this.servingRefresh = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("gate-serving-graph").factory());
        healthCheck.addListener(new HealthListener() {
            @Override
            public void primaryChanged(String keyspace, String shard, Optional<TabletHealth> primary) {
                buffer.primaryChanged(keyspace, shard, primary.map(h -> h.tablet().getAlias()).orElse(null));
            }

            @Override
            public void tabletChanged(TabletHealth previous, TabletHealth current) {
                keyspacesVersion.incrementAndGet();
            }
        });
        try {
            healthCheck.start();
            refreshServing();
            long every = config.tabletRefreshInterval().toNanos();
            servingRefresh.scheduleWithFixedDelay(this::refreshServing, every, every, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A gateway that dials the tablets with plaintext gRPC ({@link TabletConnector#plaintext()}). */
    public static DiscoveryGateway connect(TopoServer topo, DiscoveryConfig config, BufferConfig bufferConfig,
            PrometheusRegistry registry) {
        return new DiscoveryGateway(topo, config, bufferConfig, TabletConnector.plaintext(), registry);
    }

    /**
     * A gateway that dials the tablets with plaintext gRPC on the gate's event loops, one channel per loop and
     * tablet ({@link TabletConnector#plaintext(EventLoops)}).
     */
    public static DiscoveryGateway connect(TopoServer topo, DiscoveryConfig config, BufferConfig bufferConfig,
            PrometheusRegistry registry, EventLoops loops) {
        return new DiscoveryGateway(topo, config, bufferConfig, TabletConnector.plaintext(loops), registry);
    }

    /**
     * Waits until each target has a tablet in rotation, or {@code timeout} passes (Vitess's
     * {@code --gateway_initial_tablet_timeout}).
     *
     * @return the targets still without a tablet in rotation; empty when all are ready
     */
    public Set<Target> waitForTablets(Collection<Target> targets, Duration timeout) {
        return healthCheck.waitForTablets(targets, timeout);
    }

    /**
     * Waits until every shard that the serving graph of the watched cells lists for one of {@code types} has a
     * tablet of that type in rotation, or {@code timeout} passes (Vitess's {@code --tablet_types_to_wait}).
     *
     * @return the targets still without a tablet in rotation; empty when all are ready
     */
    public Set<Target> waitForTabletTypes(Collection<TabletType> types, Duration timeout) {
        Set<Target> targets = new LinkedHashSet<>();
        for (String keyspace : new TreeSet<>(serving.keyspaces())) {
            for (TabletType type : types) {
                for (String shard : serving.shards(keyspace, type)) {
                    targets.add(new TargetKey(keyspace, shard, type).toTarget());
                }
            }
        }
        return waitForTablets(targets, timeout);
    }

    /** The failover buffer, for status pages. */
    public FailoverBuffer buffer() {
        return buffer;
    }

    // ---- routed calls ----

    @Override
    public ExecuteResponse execute(ExecuteRequest request) {
        refusePinned("Execute", request.getTransactionId(), request.getReservedId());
        return route(request.getTarget(), (tablet, alias) -> tablet.execute(request), () -> true);
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, QueryResultConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        refusePinned("StreamExecute", request.getTransactionId(), request.getReservedId());
        AtomicBoolean delivered = new AtomicBoolean();
        route(request.getTarget(), (tablet, alias) -> {
            tablet.streamExecute(request, chunk -> {
                delivered.set(true);
                consumer.accept(chunk);
            });
            return null;
        }, () -> !delivered.get()); // rows already handed on cannot be taken back
    }

    @Override
    public BeginResponse begin(BeginRequest request) {
        return route(request.getTarget(), (tablet, alias) -> {
            BeginResponse r = tablet.begin(request);
            return r.hasTabletAlias() ? r : r.toBuilder().setTabletAlias(alias).build();
        }, () -> true);
    }

    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
        refusePinned("BeginExecute", 0, request.getReservedId());
        return route(request.getTarget(), (tablet, alias) -> {
            BeginExecuteResponse r = tablet.beginExecute(request);
            return r.hasTabletAlias() ? r : r.toBuilder().setTabletAlias(alias).build();
        }, () -> true);
    }

    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        refusePinned("ReserveExecute", request.getTransactionId(), 0);
        return route(request.getTarget(), (tablet, alias) -> {
            ReserveExecuteResponse r = tablet.reserveExecute(request);
            return r.hasTabletAlias() ? r : r.toBuilder().setTabletAlias(alias).build();
        }, () -> true);
    }

    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        return route(request.getTarget(), (tablet, alias) -> {
            ReserveBeginExecuteResponse r = tablet.reserveBeginExecute(request);
            return r.hasTabletAlias() ? r : r.toBuilder().setTabletAlias(alias).build();
        }, () -> true);
    }

    @Override
    public CommitResponse commit(CommitRequest request) {
        throw pinnedOnly("Commit");
    }

    @Override
    public RollbackResponse rollback(RollbackRequest request) {
        throw pinnedOnly("Rollback");
    }

    @Override
    public ReleaseResponse release(ReleaseRequest request) {
        throw pinnedOnly("Release");
    }

    @Override
    public RoutedTablet routeNow(Target target) {
        if (target == null || target.getKeyspace().isEmpty()) {
            return null;
        }
        TargetKey key = TargetKey.of(target);
        if (key.type() == TabletType.PRIMARY && buffer.anyFailover()) {
            return null; // the request may have to wait in the buffer
        }
        TabletConnection tablet = healthCheck.rotation(key).pick(Set.of());
        if (tablet == null) {
            return null;
        }
        count(tablet, key);
        return new RoutedTablet(tablet.alias(), tablet.asyncClient());
    }

    @Override
    public AsyncExecute tabletNow(TabletAlias alias) {
        TabletConnection c = healthCheck.connection(alias);
        return c == null ? null : c.asyncClient();
    }

    @Override
    public boolean mayRouteAgain(Target target, TesseraException error) {
        // The same refusals the routing methods retry: the statement did not run.
        return target.getTabletType() == TabletType.PRIMARY
                ? error.code() == Code.CLUSTER_EVENT || error.code() == Code.READ_ONLY
                : error.code() == Code.CLUSTER_EVENT || error.code() == Code.UNAVAILABLE;
    }

    // ---- tablets ----

    @Override
    public QueryService tablet(TabletAlias alias) {
        TabletConnection c = healthCheck.connection(alias);
        if (c == null) {
            throw TesseraException.of(ErrorKind.NOT_SERVING, TabletAliases.format(alias),
                    "the gate does not follow it: it is not registered in the watched cells "
                            + config.cellsToWatch());
        }
        return c.client();
    }

    @Override
    public List<TabletHealth> tablets() {
        return healthCheck.tablets();
    }

    private void refreshServing() {
        serving.refresh();
        keyspacesVersion.incrementAndGet();
    }

    @Override
    public Set<String> keyspaces() {
        long version = keyspacesVersion.get();
        KnownKeyspaces known = knownKeyspaces;
        if (known != null && known.version() == version) {
            return known.names();
        }
        Set<String> names = computeKeyspaces();
        knownKeyspaces = new KnownKeyspaces(version, names);
        return names;
    }

    private Set<String> computeKeyspaces() {
        TreeSet<String> out = new TreeSet<>(serving.keyspaces());
        for (TabletHealth h : healthCheck.tablets()) {
            if (!h.target().getKeyspace().isEmpty()) {
                out.add(h.target().getKeyspace());
            }
        }
        return Collections.unmodifiableSet(out);
    }

    @Override
    public List<String> shards(String keyspace) {
        // Every statement of a session without a shard in its target asks this; recompute only after a change.
        long version = keyspacesVersion.get();
        KnownShards known = knownShards;
        if (known == null || known.version() != version) {
            known = new KnownShards(version, new ConcurrentHashMap<>());
            knownShards = known;
        }
        List<String> shards = known.byKeyspace().get(keyspace);
        if (shards == null) {
            shards = computeShards(keyspace);
            if (!shards.isEmpty()) { // names nobody serves are not kept: clients choose them
                known.byKeyspace().put(keyspace, shards);
            }
        }
        return shards;
    }

    private List<String> computeShards(String keyspace) {
        TreeSet<String> out = new TreeSet<>(ServingKeyspaces.SHARD_ORDER);
        out.addAll(serving.shards(keyspace));
        for (TabletHealth h : healthCheck.tablets()) {
            if (h.target().getKeyspace().equals(keyspace) && !h.target().getShard().isEmpty()) {
                out.add(h.target().getShard());
            }
        }
        return List.copyOf(out);
    }

    /** Stops following the tablets, fails buffered requests, closes every tablet channel and removes the metrics. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        servingRefresh.shutdownNow();
        buffer.close();
        healthCheck.close();
        registry.unregister(queries);
    }

    // ---- routing ----

    private <R> R route(Target target, Call<R> call, BooleanSupplier mayRetry) {
        if (target == null || target.getKeyspace().isEmpty()) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "the request has no target keyspace");
        }
        TargetKey key = TargetKey.of(target);
        return key.type() == TabletType.PRIMARY ? routeToPrimary(key, call, mayRetry)
                : routeToAny(key, call, mayRetry);
    }

    private <R> R routeToAny(TargetKey key, Call<R> call, BooleanSupplier mayRetry) {
        Set<TabletAlias> tried = new HashSet<>();
        TesseraException last = null;
        for (int attempt = 0; attempt <= config.retryCount(); attempt++) {
            TabletConnection tablet = healthCheck.rotation(key).pick(tried);
            if (tablet == null) {
                break;
            }
            try {
                return invoke(tablet, key, call);
            } catch (TesseraException e) {
                boolean elsewhere = e.code() == Code.CLUSTER_EVENT || e.code() == Code.UNAVAILABLE;
                if (!elsewhere || !mayRetry.getAsBoolean()) {
                    throw e;
                }
                tried.add(tablet.alias());
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        throw noHealthyTablet(key);
    }

    private <R> R routeToPrimary(TargetKey key, Call<R> call, BooleanSupplier mayRetry) {
        // At most one stay in the buffer (or one resend) per request: a second refusal goes back to the caller.
        DrainSlot slot = null;
        try {
            slot = buffer.waitIfFailingOver(key.keyspace(), key.shard()).orElse(null);
            while (true) {
                TabletConnection primary = healthCheck.rotation(key).pick(Set.of());
                if (primary == null) {
                    if (slot == null) {
                        Optional<DrainSlot> waited = buffer.waitForPrimary(key.keyspace(), key.shard());
                        if (waited.isPresent()) {
                            slot = waited.get();
                            continue;
                        }
                    }
                    throw noHealthyTablet(key);
                }
                try {
                    return invoke(primary, key, call);
                } catch (TesseraException e) {
                    // Not serving or read-only: the statement did not run, so sending it again is safe.
                    boolean refused = e.code() == Code.CLUSTER_EVENT || e.code() == Code.READ_ONLY;
                    if (slot != null || !refused || !mayRetry.getAsBoolean()) {
                        throw e;
                    }
                    Optional<DrainSlot> again = buffer.enabled()
                            ? buffer.waitAfterPrimaryError(key.keyspace(), key.shard(), primary.alias())
                            : resendIfPrimaryChanged(key, primary);
                    slot = again.orElseThrow(() -> e);
                }
            }
        } finally {
            if (slot != null) {
                slot.close();
            }
        }
    }

    private Optional<DrainSlot> resendIfPrimaryChanged(TargetKey key, TabletConnection refused) {
        TabletConnection now = healthCheck.rotation(key).pick(Set.of());
        return now != null && !now.alias().equals(refused.alias()) ? Optional.of(DrainSlot.NONE) : Optional.empty();
    }

    private <R> R invoke(TabletConnection tablet, TargetKey key, Call<R> call) {
        count(tablet, key);
        return call.run(tablet.client(), tablet.alias());
    }

    private void count(TabletConnection tablet, TargetKey key) {
        // The series is looked up once per tablet and target, not per statement (formatting the alias and finding
        // the labels cost more than the increment).
        TabletConnection.Counted counted = tablet.counted;
        if (counted == null || !counted.key().equals(key)) {
            counted = new TabletConnection.Counted(key, queries.labelValues(key.keyspace(), key.shard(),
                    typeName(key.type()), TabletAliases.format(tablet.alias())));
            tablet.counted = counted;
        }
        counted.queries().inc();
    }

    private TesseraException noHealthyTablet(TargetKey key) {
        return TesseraException.of(ErrorKind.NO_HEALTHY_TABLET, typeName(key.type()), key.keyspace(), key.shard(),
                String.join(",", config.cellsToWatch()));
    }

    private static void refusePinned(String rpc, long transactionId, long reservedId) {
        if (transactionId != 0 || reservedId != 0) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, rpc + " with a transaction_id or reserved_id must go "
                    + "to the tablet holding it (TabletGateway.tablet(alias)), not through routing");
        }
    }

    private static TesseraException pinnedOnly(String rpc) {
        return TesseraException.of(ErrorKind.BAD_REQUEST, rpc + " continues a transaction or reserved connection "
                + "and must go to the tablet holding it (TabletGateway.tablet(alias)), not through routing");
    }

    private static String typeName(TabletType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
