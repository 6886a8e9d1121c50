package io.tessera.ctld.command;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.vschema.RoutingRules;
import io.tessera.proto.vtctldata.CellExport;
import io.tessera.proto.vtctldata.ExportTopologyRequest;
import io.tessera.proto.vtctldata.ExportTopologyResponse;
import io.tessera.proto.vtctldata.KeyspaceExport;
import io.tessera.proto.vtctldata.ShardExport;
import io.tessera.proto.vtctldata.TopologyExport;
import io.tessera.proto.vttime.Time;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * ExportTopology: every record of the topology (cells, keyspaces, shards, VSchemas, routing rules, tablets, shard
 * replication graphs and the serving graph) as one {@link TopologyExport} of format version
 * {@value #FORMAT_VERSION}, in a stable order (names sorted). Lock nodes and record versions are not exported.
 */
public final class TopologyExporter {
    /** The layout version this exporter writes and the importer reads. */
    public static final int FORMAT_VERSION = 1;

    private final TopoServer topo;
    private final Clock clock;

    public TopologyExporter(TopoServer topo, Clock clock) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ExportTopologyResponse export(ExportTopologyRequest request) throws TopoException {
        List<String> allCells = Topo.optional(topo::getCellInfoNames).orElse(List.of()).stream().sorted().toList();
        for (String c : request.getCellsList()) {
            if (!allCells.contains(c)) {
                throw CtldException.notFound("cell '" + c + "' does not exist");
            }
        }
        List<String> cells = request.getCellsCount() == 0 ? allCells
                : allCells.stream().filter(request.getCellsList()::contains).toList();
        List<String> keyspaces = Topo.keyspaceNames(topo);
        for (String ks : request.getKeyspacesList()) {
            if (!keyspaces.contains(ks)) {
                throw CtldException.notFound("keyspace '" + ks + "' does not exist");
            }
        }
        if (request.getKeyspacesCount() > 0) {
            keyspaces = keyspaces.stream().filter(request.getKeyspacesList()::contains).toList();
        }
        Instant now = clock.instant();
        TopologyExport.Builder out = TopologyExport.newBuilder().setFormatVersion(FORMAT_VERSION)
                .setExportTime(Time.newBuilder().setSeconds(now.getEpochSecond()).setNanoseconds(now.getNano()));
        for (String cell : allCells) {
            CellExport.Builder c = CellExport.newBuilder().setName(cell).setCellInfo(topo.getCellInfo(cell));
            if (cells.contains(cell)) {
                Topo.optional(() -> topo.getSrvVSchema(cell).value()).ifPresent(c::setSrvVSchema);
            }
            out.addCells(c);
        }
        for (String ks : keyspaces) {
            var record = Topo.optional(() -> topo.getKeyspace(ks).value());
            if (record.isEmpty()) {
                continue;
            }
            KeyspaceExport.Builder k = KeyspaceExport.newBuilder().setName(ks).setKeyspace(record.get());
            Topo.optional(() -> topo.getVSchema(ks).value()).ifPresent(k::setVSchema);
            for (String shard : topo.getShardNames(ks)) {
                var s = Topo.optional(() -> topo.getShard(ks, shard).value());
                if (s.isEmpty()) {
                    continue;
                }
                ShardExport.Builder se = ShardExport.newBuilder().setName(shard).setShard(s.get());
                for (String cell : cells) {
                    Topo.optional(() -> topo.getShardReplication(cell, ks, shard).value())
                            .ifPresent(sr -> se.putShardReplicationByCell(cell, sr));
                }
                k.addShards(se);
            }
            for (String cell : cells) {
                Topo.optional(() -> topo.getSrvKeyspace(cell, ks).value()).ifPresent(sk -> k.putSrvKeyspaces(cell, sk));
            }
            out.addKeyspaces(k);
        }
        RoutingRules rules = topo.getRoutingRules();
        if (!rules.equals(RoutingRules.getDefaultInstance())) {
            out.setRoutingRules(rules);
        }
        List<Tablet> tablets = new ArrayList<>();
        for (String cell : cells) {
            for (Tablet t : topo.getTabletsByCell(cell)) {
                if (request.getKeyspacesCount() == 0 || request.getKeyspacesList().contains(t.getKeyspace())) {
                    tablets.add(t);
                }
            }
        }
        tablets.sort(TabletCommands.BY_ALIAS);
        out.addAllTablets(tablets);
        return ExportTopologyResponse.newBuilder().setTopology(out).build();
    }
}
