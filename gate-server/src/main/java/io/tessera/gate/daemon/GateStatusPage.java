package io.tessera.gate.daemon;

import io.tessera.common.http.Health;
import io.tessera.common.http.StatusPage;
import io.tessera.common.http.StatusPage.Fact;
import io.tessera.common.http.StatusPage.Facts;
import io.tessera.common.http.StatusPage.Table;
import io.tessera.gate.discovery.TabletGateway;
import io.tessera.gate.discovery.TabletHealth;
import io.tessera.gate.executor.ExecutorStats;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.topo.topoproto.TabletAliases;
import io.tessera.topo.topoproto.TabletTypes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The gate's {@code /debug/status}: how it is configured, the tablets it routes to grouped by health, the statements
 * it ran by type with their errors, and the latest errors clients got. {@code /healthz} is healthy once the gate
 * follows at least one serving tablet.
 */
final class GateStatusPage {
    private final TabletGateway gateway;
    private final Supplier<ExecutorStats> stats;
    private final IntSupplier connections;
    private final List<Fact> facts;

    GateStatusPage(TabletGateway gateway, Supplier<ExecutorStats> stats, IntSupplier connections, List<Fact> facts) {
        this.gateway = gateway;
        this.stats = stats;
        this.connections = connections;
        this.facts = List.copyOf(facts);
    }

    StatusPage render() {
        List<Fact> about = new ArrayList<>(facts);
        about.add(new Fact("MySQL client connections", Integer.toString(connections.getAsInt())));
        about.add(new Fact("keyspaces", String.join(", ", new java.util.TreeSet<>(gateway.keyspaces()))));
        ExecutorStats s = stats.get();
        return new StatusPage("tessera-gate", List.of(
                new Facts("Gate", about),
                tablets(),
                queries(s),
                recentErrors(s)));
    }

    Health health() {
        boolean serving = gateway.tablets().stream().anyMatch(TabletHealth::serving);
        return serving ? Health.ok() : Health.unhealthy("no serving tablet known in the watched cells yet");
    }

    private Table tablets() {
        List<TabletHealth> all = new ArrayList<>(gateway.tablets());
        // Healthy tablets in rotation first, then serving ones out of rotation, then the rest; by target within.
        all.sort(Comparator.comparingInt(GateStatusPage::healthRank)
                .thenComparing(h -> h.target().getKeyspace())
                .thenComparing(h -> h.target().getShard())
                .thenComparing(h -> h.target().getTabletType().getNumber())
                .thenComparing(h -> alias(h.tablet().getAlias())));
        List<List<String>> rows = new ArrayList<>();
        for (TabletHealth h : all) {
            rows.add(List.of(health(h), alias(h.tablet().getAlias()), h.target().getKeyspace(),
                    h.target().getShard(), TabletTypes.name(h.target().getTabletType()),
                    h.tablet().getHostname() + ":" + h.tablet().getPortMapOrDefault("grpc", 0),
                    h.serving() ? "yes" : "no", h.inRotation() ? "yes" : "no",
                    Long.toString(h.replicationLagSeconds()), h.healthError(),
                    h.lastReport() == null ? "never" : h.lastReport().toString()));
        }
        return new Table("Tablets", List.of("health", "alias", "keyspace", "shard", "type", "address", "serving",
                "in rotation", "lag (s)", "error", "last report"), rows);
    }

    private static int healthRank(TabletHealth h) {
        if (h.inRotation()) {
            return 0;
        }
        return h.serving() && h.healthError().isEmpty() ? 1 : 2;
    }

    private static String health(TabletHealth h) {
        return switch (healthRank(h)) {
            case 0 -> "healthy";
            case 1 -> "out of rotation";
            default -> "unhealthy";
        };
    }

    private static Table queries(ExecutorStats s) {
        Map<String, Long> sorted = new TreeMap<>(s.queries());
        s.errors().keySet().forEach(k -> sorted.putIfAbsent(k, 0L));
        List<List<String>> rows = new ArrayList<>();
        sorted.forEach((type, n) -> rows.add(List.of(type, Long.toString(n),
                Long.toString(s.errors().getOrDefault(type, 0L)))));
        return new Table("Statements by type", List.of("statement", "count", "errors"), rows);
    }

    private static Table recentErrors(ExecutorStats s) {
        List<List<String>> rows = new ArrayList<>();
        for (ExecutorStats.RecentError e : s.recentErrors()) {
            rows.add(List.of(e.time().toString(), e.user(), e.keyspace(), e.statement(), e.code(),
                    Integer.toString(e.mysqlErrno()), e.message(), e.sql()));
        }
        return new Table("Recent errors", List.of("time", "user", "keyspace", "statement", "code", "errno",
                "message", "sql"), rows);
    }

    private static String alias(TabletAlias a) {
        return TabletAliases.format(a);
    }
}
