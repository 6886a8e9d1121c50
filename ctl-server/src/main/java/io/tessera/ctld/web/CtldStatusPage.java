package io.tessera.ctld.web;

import io.tessera.common.http.Health;
import io.tessera.common.http.StatusPage;
import io.tessera.common.http.StatusPage.Fact;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.Tablet;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import io.tessera.topo.topoproto.TabletTypes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The control daemon's read-only page ({@code /} and {@code /debug/status}): keyspaces, shards with their primary,
 * and tablets with type, serving state and replication lag (from {@link TabletHealthCache}). Values are escaped by
 * the common page renderer.
 */
public final class CtldStatusPage {
    private final TopoServer topo;
    private final TabletHealthCache health;
    private final List<Fact> facts;

    /** @param facts the daemon's settings, shown at the top */
    public CtldStatusPage(TopoServer topo, TabletHealthCache health, List<Fact> facts) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.health = Objects.requireNonNull(health, "health");
        this.facts = List.copyOf(facts);
    }

    public StatusPage render() {
        List<StatusPage.Section> sections = new ArrayList<>();
        sections.add(new StatusPage.Facts("tessera-ctld", facts));
        try {
            List<List<String>> keyspaces = new ArrayList<>();
            List<List<String>> shards = new ArrayList<>();
            for (String ks : keyspaceNames()) {
                var record = topo.getKeyspace(ks).value();
                List<String> shardNames = topo.getShardNames(ks);
                keyspaces.add(List.of(ks, record.getDurabilityPolicy().isEmpty() ? "none" : record.getDurabilityPolicy(),
                        record.getKeyspaceType().name(), Integer.toString(shardNames.size())));
                for (String name : shardNames) {
                    Shard s = topo.getShard(ks, name).value();
                    shards.add(List.of(ks, name, s.hasPrimaryAlias() ? TabletAliases.format(s.getPrimaryAlias()) : "none",
                            s.getIsPrimaryServing() ? "yes" : "no", controls(s)));
                }
            }
            sections.add(new StatusPage.Table("Keyspaces", List.of("keyspace", "durability", "type", "shards"),
                    keyspaces));
            sections.add(new StatusPage.Table("Shards", List.of("keyspace", "shard", "primary", "primary serving",
                    "tablet controls"), shards));
            List<Tablet> tablets = new ArrayList<>();
            for (String cell : cellNames()) {
                tablets.addAll(topo.getTabletsByCell(cell));
            }
            tablets.sort(Comparator.comparing((Tablet t) -> t.getAlias().getCell())
                    .thenComparingLong(t -> Integer.toUnsignedLong(t.getAlias().getUid())));
            List<List<String>> rows = new ArrayList<>();
            for (Tablet t : tablets) {
                var h = health.health(t.getAlias());
                rows.add(List.of(TabletAliases.format(t.getAlias()), t.getKeyspace() + "/" + t.getShard(),
                        TabletTypes.name(t.getType()), t.getHostname() + ":" + t.getPortMapMap().getOrDefault("grpc", 0),
                        h.map(x -> x.serving() ? "serving" : "not serving").orElse("unknown"),
                        h.map(x -> x.replicationLagSeconds() + " s").orElse(""),
                        h.map(TabletHealthCache.TabletHealth::healthError).orElse("no health report yet")));
            }
            sections.add(new StatusPage.Table("Tablets", List.of("alias", "keyspace/shard", "type", "address",
                    "serving", "replication lag", "health error"), rows));
        } catch (TopoException | RuntimeException e) {
            sections.add(new StatusPage.Facts("Topology", List.of(new Fact("error", String.valueOf(e.getMessage())))));
        }
        return new StatusPage("tessera-ctld", sections);
    }

    /** Healthy while the topology answers. */
    public Health health() {
        try {
            cellNames();
            return Health.ok();
        } catch (TopoException | RuntimeException e) {
            return Health.unhealthy("the topology does not answer: " + e.getMessage());
        }
    }

    private static String controls(Shard s) {
        List<String> out = new ArrayList<>();
        for (Shard.TabletControl tc : s.getTabletControlsList()) {
            out.add(TabletTypes.name(tc.getTabletType()) + (tc.getDisableQueryService() ? " query service disabled" : "")
                    + (tc.getDeniedTablesCount() > 0 ? " denied " + tc.getDeniedTablesList() : "")
                    + (tc.getCellsCount() > 0 ? " in " + tc.getCellsList() : ""));
        }
        return String.join("; ", out);
    }

    private List<String> keyspaceNames() throws TopoException {
        try {
            return topo.getKeyspaceNames().stream().sorted().toList();
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                return List.of();
            }
            throw e;
        }
    }

    private List<String> cellNames() throws TopoException {
        try {
            return topo.getCellInfoNames().stream().sorted().toList();
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                return List.of();
            }
            throw e;
        }
    }
}
