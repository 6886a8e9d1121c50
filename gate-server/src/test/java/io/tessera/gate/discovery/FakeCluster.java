package io.tessera.gate.discovery;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tessera.gate.buffer.BufferConfig;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.proto.query.BoundQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A memory topology with cells {@code zone1} and {@code zone2}, fake tablets registered in it, and gateways over
 * in-process gRPC; {@link #close()} stops all of them.
 */
final class FakeCluster implements AutoCloseable {
    static final String KEYSPACE = "commerce";
    static final String SHARD = "0";

    final TopoServer topo;
    final InProcessConnector connector = new InProcessConnector();
    final PrometheusRegistry registry = new PrometheusRegistry();
    private final List<FakeTablet> tablets = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    FakeCluster() throws TopoException {
        topo = TopoServer.open("memory://");
        topo.ensureCell("zone1");
        topo.ensureCell("zone2");
    }

    /** Discovery settings for tests: quick topology refresh and stream retry, no silence timeout to speak of. */
    static DiscoveryConfig config() {
        return DiscoveryConfig.defaults("zone1")
                .withIntervals(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMinutes(5));
    }

    /** Starts a fake tablet of {@link #KEYSPACE}/{@link #SHARD} and registers it in the topology. */
    FakeTablet tablet(String cell, int uid, TabletType type) throws TopoException {
        FakeTablet t = new FakeTablet(cell, uid, KEYSPACE, SHARD, type);
        tablets.add(t);
        topo.createTablet(t.record());
        return t;
    }

    DiscoveryGateway gateway(DiscoveryConfig config, BufferConfig buffer) {
        DiscoveryGateway g = new DiscoveryGateway(topo, config, buffer, connector, registry);
        closeables.add(g);
        return g;
    }

    DiscoveryGateway gateway() {
        return gateway(config(), BufferConfig.defaults());
    }

    static Target target(TabletType type) {
        return Target.newBuilder().setKeyspace(KEYSPACE).setShard(SHARD).setTabletType(type).build();
    }

    static ExecuteRequest query(TabletType type, String sql) {
        return ExecuteRequest.newBuilder().setTarget(target(type)).setQuery(BoundQuery.newBuilder().setSql(sql))
                .build();
    }

    /** Runs a statement through the gateway and returns the alias of the tablet that answered it. */
    static String execute(DiscoveryGateway gateway, TabletType type) {
        return gateway.execute(query(type, "select 1")).getResult().getInfo();
    }

    /** The aliases of the tablets in rotation for a target, as the gateway reports them. */
    static List<TabletAlias> inRotation(DiscoveryGateway gateway, TabletType type) {
        return gateway.tablets().stream()
                .filter(h -> h.inRotation() && h.target().getTabletType() == type)
                .map(h -> h.tablet().getAlias()).toList();
    }

    /** The value of a counter or gauge data point with exactly these labels, or 0 when it has none. */
    double metric(String name, Map<String, String> labels) {
        for (MetricSnapshot snapshot : registry.scrape()) {
            String base = snapshot.getMetadata().getPrometheusName();
            if (!name.equals(base) && !name.equals(base + "_total")) {
                continue;
            }
            for (DataPointSnapshot p : snapshot.getDataPoints()) {
                boolean match = labels.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(p.getLabels().get(e.getKey())));
                if (match && p.getLabels().size() == labels.size()) {
                    if (p instanceof CounterSnapshot.CounterDataPointSnapshot c) {
                        return c.getValue();
                    }
                    if (p instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
                        return g.getValue();
                    }
                }
            }
        }
        return 0;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        for (FakeTablet t : tablets) {
            t.close();
        }
        topo.close();
    }
}
