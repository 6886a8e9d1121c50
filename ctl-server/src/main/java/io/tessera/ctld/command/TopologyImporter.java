package io.tessera.ctld.command;

import com.google.protobuf.Message;
import io.tessera.ctld.CtldException;
import io.tessera.proto.logutil.Level;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.vschema.RoutingRules;
import io.tessera.proto.vtctldata.CellExport;
import io.tessera.proto.vtctldata.ImportTopologyRequest;
import io.tessera.proto.vtctldata.ImportTopologyResponse;
import io.tessera.proto.vtctldata.KeyspaceExport;
import io.tessera.proto.vtctldata.ShardExport;
import io.tessera.proto.vtctldata.TopologyExport;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ImportTopology: writes a {@link TopologyExport} back, in dependency order: cells, keyspaces, shards, VSchemas,
 * routing rules, tablets, shard replication, and the serving graph (or, with {@code rebuild_serving_graph}, a
 * rebuild of it from the imported records).
 *
 * <p>Every record is read first. A record that exists with identical contents is left alone and reported as
 * unchanged. Without {@code overwrite}, one existing record with different contents refuses the whole import
 * before anything is written. {@code dry_run} stops after that check and reports what would be written.
 */
public final class TopologyImporter {
    private final TopoServer topo;
    private final ServingGraph serving;

    public TopologyImporter(TopoServer topo, ServingGraph serving) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.serving = Objects.requireNonNull(serving, "serving");
    }

    private interface Read {
        Optional<? extends Message> read() throws TopoException;
    }

    private interface Write {
        void write(boolean exists) throws TopoException;
    }

    /** One record to import: where it goes, what it should hold, how to read and write it. */
    private record Item(String path, Message want, Read current, Write write) {}

    public ImportTopologyResponse importTopology(ImportTopologyRequest request) throws TopoException {
        if (!request.hasTopology()) {
            throw CtldException.invalidArgument("the topology to import is required");
        }
        TopologyExport in = request.getTopology();
        if (in.getFormatVersion() != TopologyExporter.FORMAT_VERSION) {
            throw CtldException.invalidArgument("this tessera-ctld reads topology exports of format version "
                    + TopologyExporter.FORMAT_VERSION + ", not " + in.getFormatVersion());
        }
        List<Item> items = plan(in, request.getRebuildServingGraph());

        List<Item> toWrite = new ArrayList<>();
        List<Boolean> exists = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        for (Item item : items) {
            Optional<? extends Message> current = item.current().read();
            if (current.isPresent() && current.get().equals(item.want())) {
                unchanged.add(item.path());
                continue;
            }
            if (current.isPresent()) {
                differing.add(item.path());
            }
            toWrite.add(item);
            exists.add(current.isPresent());
        }
        if (!differing.isEmpty() && !request.getOverwrite()) {
            throw CtldException.failedPrecondition("the import would change " + differing.size()
                    + " existing record(s) with different contents: " + abbreviate(differing)
                    + "; nothing was written. Pass overwrite to replace them");
        }
        ImportTopologyResponse.Builder response = ImportTopologyResponse.newBuilder().addAllUnchangedPaths(unchanged);
        for (int i = 0; i < toWrite.size(); i++) {
            Item item = toWrite.get(i);
            if (!request.getDryRun()) {
                item.write().write(exists.get(i));
            }
            response.addWrittenPaths(item.path());
        }
        if (request.getRebuildServingGraph()) {
            for (KeyspaceExport ks : in.getKeyspacesList()) {
                if (request.getDryRun()) {
                    response.addEvents(SchemaCommands.event(Level.INFO, "would rebuild the serving graph of keyspace '"
                            + ks.getName() + "'"));
                } else {
                    try (var lock = topo.lockKeyspace(ks.getName(), "ImportTopology")) {
                        serving.rebuildKeyspaceLocked(ks.getName(), List.of(), true, lock);
                    }
                }
            }
            if (!request.getDryRun()) {
                serving.rebuildSrvVSchema(List.of());
            }
        }
        response.addEvents(SchemaCommands.event(Level.INFO, (request.getDryRun() ? "dry run: would write " : "wrote ")
                + toWrite.size() + " record(s), " + unchanged.size() + " already identical"));
        return response.build();
    }

    private static String abbreviate(List<String> paths) {
        return paths.size() <= 10 ? paths.toString() : paths.subList(0, 10) + " and " + (paths.size() - 10) + " more";
    }

    private List<Item> plan(TopologyExport in, boolean rebuildServing) {
        List<Item> items = new ArrayList<>();
        for (CellExport c : in.getCellsList()) {
            items.add(new Item("/global/cells/" + c.getName() + "/CellInfo", c.getCellInfo(),
                    () -> Topo.optional(() -> topo.getCellInfo(c.getName())),
                    exists -> {
                        if (exists) {
                            topo.updateCellInfoFields(c.getName(), cur -> c.getCellInfo());
                        } else {
                            topo.createCellInfo(c.getName(), c.getCellInfo());
                        }
                    }));
        }
        for (KeyspaceExport k : in.getKeyspacesList()) {
            items.add(new Item("/global/keyspaces/" + k.getName() + "/Keyspace", k.getKeyspace(),
                    () -> Topo.optional(() -> topo.getKeyspace(k.getName()).value()),
                    exists -> {
                        if (exists) {
                            topo.updateKeyspace(k.getName(), k.getKeyspace(), null);
                        } else {
                            topo.createKeyspace(k.getName(), k.getKeyspace());
                        }
                    }));
        }
        for (KeyspaceExport k : in.getKeyspacesList()) {
            for (ShardExport s : k.getShardsList()) {
                items.add(new Item("/global/keyspaces/" + k.getName() + "/shards/" + s.getName() + "/Shard", s.getShard(),
                        () -> Topo.optional(() -> topo.getShard(k.getName(), s.getName()).value()),
                        exists -> {
                            if (!exists) {
                                topo.createShard(k.getName(), s.getName());
                            }
                            topo.updateShardFields(k.getName(), s.getName(), cur -> s.getShard());
                        }));
            }
        }
        for (KeyspaceExport k : in.getKeyspacesList()) {
            if (k.hasVSchema()) {
                items.add(new Item("/global/keyspaces/" + k.getName() + "/VSchema", k.getVSchema(),
                        () -> Topo.optional(() -> topo.getVSchema(k.getName()).value()),
                        exists -> topo.saveVSchema(k.getName(), k.getVSchema())));
            }
        }
        if (in.hasRoutingRules()) {
            items.add(new Item("/global/RoutingRules", in.getRoutingRules(),
                    () -> {
                        RoutingRules r = topo.getRoutingRules();
                        return r.equals(RoutingRules.getDefaultInstance()) ? Optional.empty() : Optional.of(r);
                    },
                    exists -> topo.saveRoutingRules(in.getRoutingRules())));
        }
        for (Tablet t : in.getTabletsList()) {
            items.add(new Item("/" + t.getAlias().getCell() + "/tablets/" + TabletAliases.format(t.getAlias())
                    + "/Tablet", t,
                    () -> Topo.optional(() -> topo.getTablet(t.getAlias()).value()),
                    exists -> {
                        if (exists) {
                            topo.updateTablet(t, null);
                        } else {
                            topo.createTablet(t);
                        }
                    }));
        }
        for (KeyspaceExport k : in.getKeyspacesList()) {
            for (ShardExport s : k.getShardsList()) {
                for (Map.Entry<String, io.tessera.proto.topodata.ShardReplication> e
                        : new TreeMap<>(s.getShardReplicationByCellMap()).entrySet()) {
                    String cell = e.getKey();
                    items.add(new Item("/" + cell + "/keyspaces/" + k.getName() + "/shards/" + s.getName()
                            + "/ShardReplication", e.getValue(),
                            () -> Topo.optional(() -> topo.getShardReplication(cell, k.getName(), s.getName()).value()),
                            exists -> topo.updateShardReplicationFields(cell, k.getName(), s.getName(),
                                    cur -> e.getValue())));
                }
            }
        }
        if (!rebuildServing) {
            for (KeyspaceExport k : in.getKeyspacesList()) {
                for (var e : new TreeMap<>(k.getSrvKeyspacesMap()).entrySet()) {
                    String cell = e.getKey();
                    items.add(new Item("/" + cell + "/keyspaces/" + k.getName() + "/SrvKeyspace", e.getValue(),
                            () -> Topo.optional(() -> topo.getSrvKeyspace(cell, k.getName()).value()),
                            exists -> topo.updateSrvKeyspace(cell, k.getName(), e.getValue())));
                }
            }
            for (CellExport c : in.getCellsList()) {
                if (c.hasSrvVSchema()) {
                    items.add(new Item("/" + c.getName() + "/SrvVSchema", c.getSrvVSchema(),
                            () -> Topo.optional(() -> topo.getSrvVSchema(c.getName()).value()),
                            exists -> topo.updateSrvVSchema(c.getName(), c.getSrvVSchema())));
                }
            }
        }
        return items;
    }
}
