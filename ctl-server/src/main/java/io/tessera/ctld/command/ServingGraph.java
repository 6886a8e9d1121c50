package io.tessera.ctld.command;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.KeyRange;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.ShardReference;
import io.tessera.proto.topodata.ShardTabletControl;
import io.tessera.proto.topodata.SrvKeyspace;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vschema.SrvVSchema;
import io.tessera.proto.vtctldata.GetSrvKeyspaceNamesRequest;
import io.tessera.proto.vtctldata.GetSrvKeyspaceNamesResponse;
import io.tessera.proto.vtctldata.GetSrvKeyspacesRequest;
import io.tessera.proto.vtctldata.GetSrvKeyspacesResponse;
import io.tessera.proto.vtctldata.GetSrvVSchemaRequest;
import io.tessera.proto.vtctldata.GetSrvVSchemaResponse;
import io.tessera.proto.vtctldata.RebuildKeyspaceGraphRequest;
import io.tessera.proto.vtctldata.RebuildKeyspaceGraphResponse;
import io.tessera.proto.vtctldata.RebuildVSchemaGraphRequest;
import io.tessera.proto.vtctldata.RebuildVSchemaGraphResponse;
import io.tessera.topo.LockHandle;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.KeyRanges;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The serving graph: SrvKeyspace (per cell, per keyspace) and SrvVSchema (per cell), rebuilt from the global
 * records, and read back for inspection.
 */
public final class ServingGraph {
    /** The tablet types a SrvKeyspace has partitions for, in Vitess's order. */
    static final List<TabletType> SERVED_TYPES = List.of(TabletType.PRIMARY, TabletType.REPLICA, TabletType.RDONLY);

    private final TopoServer topo;

    public ServingGraph(TopoServer topo) {
        this.topo = Objects.requireNonNull(topo, "topo");
    }

    /** Writes each cell's SrvVSchema: every keyspace's VSchema (empty when it has none) plus the routing rules. */
    public RebuildVSchemaGraphResponse rebuildVSchemaGraph(RebuildVSchemaGraphRequest request) throws TopoException {
        rebuildSrvVSchema(request.getCellsList());
        return RebuildVSchemaGraphResponse.getDefaultInstance();
    }

    void rebuildSrvVSchema(List<String> cells) throws TopoException {
        SrvVSchema srv = buildSrvVSchema();
        for (String cell : cellsOrAll(cells)) {
            topo.updateSrvVSchema(cell, srv);
        }
    }

    SrvVSchema buildSrvVSchema() throws TopoException {
        SrvVSchema.Builder b = SrvVSchema.newBuilder();
        for (String ks : Topo.keyspaceNames(topo)) {
            b.putKeyspaces(ks, Topo.optional(() -> topo.getVSchema(ks).value())
                    .orElse(io.tessera.proto.vschema.Keyspace.getDefaultInstance()));
        }
        b.setRoutingRules(topo.getRoutingRules());
        return b.build();
    }

    /**
     * Rebuilds a keyspace's SrvKeyspace in each cell, holding the keyspace lock. Each served type (PRIMARY, REPLICA,
     * RDONLY) gets a partition naming every primary-serving shard, sorted by key range, with the shard's tablet
     * controls that disable the query service for that type in that cell. Unless {@code allow_partial}, the shards
     * must cover the whole key range exactly once.
     */
    public RebuildKeyspaceGraphResponse rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest request) throws TopoException {
        Topo.requireKeyspace(topo, request.getKeyspace());
        try (LockHandle lock = topo.lockKeyspace(request.getKeyspace(), "RebuildKeyspaceGraph")) {
            rebuildKeyspaceLocked(request.getKeyspace(), request.getCellsList(), request.getAllowPartial(), lock);
        }
        return RebuildKeyspaceGraphResponse.getDefaultInstance();
    }

    /** The rebuild proper; the caller holds the keyspace lock. */
    void rebuildKeyspaceLocked(String keyspace, List<String> cells, boolean allowPartial, LockHandle lock)
            throws TopoException {
        Map<String, Shard> shards = new TreeMap<>();
        for (String name : topo.getShardNames(keyspace)) {
            Topo.optional(() -> topo.getShard(keyspace, name).value()).ifPresent(s -> shards.put(name, s));
        }
        List<Map.Entry<String, Shard>> serving = new ArrayList<>(shards.entrySet().stream()
                .filter(e -> e.getValue().getIsPrimaryServing()).toList());
        serving.sort(Comparator.comparing((Map.Entry<String, Shard> e) -> e.getValue().getKeyRange().getStart()
                .toByteArray(), KeyRanges::compare));
        if (!allowPartial) {
            checkCoverage(keyspace, serving);
        }
        for (String cell : cellsOrAll(cells)) {
            SrvKeyspace.Builder srv = SrvKeyspace.newBuilder();
            for (TabletType type : SERVED_TYPES) {
                SrvKeyspace.KeyspacePartition.Builder p = SrvKeyspace.KeyspacePartition.newBuilder().setServedType(type);
                for (Map.Entry<String, Shard> e : serving) {
                    ShardReference.Builder ref = ShardReference.newBuilder().setName(e.getKey());
                    if (!e.getValue().getKeyRange().equals(KeyRanges.FULL)) {
                        ref.setKeyRange(e.getValue().getKeyRange());
                    }
                    p.addShardReferences(ref);
                    if (queryServiceDisabled(e.getValue(), type, cell)) {
                        ShardTabletControl.Builder tc = ShardTabletControl.newBuilder().setName(e.getKey())
                                .setQueryServiceDisabled(true);
                        if (!e.getValue().getKeyRange().equals(KeyRanges.FULL)) {
                            tc.setKeyRange(e.getValue().getKeyRange());
                        }
                        p.addShardTabletControls(tc);
                    }
                }
                srv.addPartitions(p);
            }
            lock.check();
            topo.updateSrvKeyspace(cell, keyspace, srv.build());
        }
    }

    private static boolean queryServiceDisabled(Shard shard, TabletType type, String cell) {
        for (Shard.TabletControl tc : shard.getTabletControlsList()) {
            if (tc.getTabletType() == type && tc.getDisableQueryService()
                    && (tc.getCellsCount() == 0 || tc.getCellsList().contains(cell))) {
                return true;
            }
        }
        return false;
    }

    private static void checkCoverage(String keyspace, List<Map.Entry<String, Shard>> serving) {
        if (serving.isEmpty()) {
            throw CtldException.failedPrecondition("keyspace '" + keyspace + "' has no serving shards; create its "
                    + "shards first or pass allow_partial");
        }
        byte[] expected = new byte[0];
        for (Map.Entry<String, Shard> e : serving) {
            KeyRange r = e.getValue().getKeyRange();
            if (KeyRanges.compare(r.getStart().toByteArray(), expected) != 0) {
                throw CtldException.failedPrecondition("the serving shards of keyspace '" + keyspace + "' do not "
                        + "cover the key range exactly once: shard '" + e.getKey() + "' starts at '"
                        + KeyRanges.format(r) + "' where the previous shard ended at '"
                        + java.util.HexFormat.of().formatHex(expected) + "'; fix the shards or pass allow_partial");
            }
            expected = r.getEnd().toByteArray();
            if (expected.length == 0 && e != serving.get(serving.size() - 1)) {
                throw CtldException.failedPrecondition("the serving shards of keyspace '" + keyspace + "' overlap: "
                        + "shard '" + e.getKey() + "' reaches the end of the key range but more shards follow");
            }
        }
        if (expected.length != 0) {
            throw CtldException.failedPrecondition("the serving shards of keyspace '" + keyspace + "' do not reach "
                    + "the end of the key range (last end '" + java.util.HexFormat.of().formatHex(expected)
                    + "'); fix the shards or pass allow_partial");
        }
    }

    public GetSrvKeyspacesResponse getSrvKeyspaces(GetSrvKeyspacesRequest request) throws TopoException {
        Topo.requireName("keyspace", request.getKeyspace());
        GetSrvKeyspacesResponse.Builder b = GetSrvKeyspacesResponse.newBuilder();
        for (String cell : cellsOrAll(request.getCellsList())) {
            Topo.optional(() -> topo.getSrvKeyspace(cell, request.getKeyspace()).value())
                    .ifPresent(s -> b.putSrvKeyspaces(cell, s));
        }
        return b.build();
    }

    public GetSrvKeyspaceNamesResponse getSrvKeyspaceNames(GetSrvKeyspaceNamesRequest request) throws TopoException {
        GetSrvKeyspaceNamesResponse.Builder b = GetSrvKeyspaceNamesResponse.newBuilder();
        for (String cell : cellsOrAll(request.getCellsList())) {
            b.putNames(cell, GetSrvKeyspaceNamesResponse.NameList.newBuilder()
                    .addAllNames(topo.getSrvKeyspaceNames(cell)).build());
        }
        return b.build();
    }

    public GetSrvVSchemaResponse getSrvVSchema(GetSrvVSchemaRequest request) throws TopoException {
        Topo.requireName("cell", request.getCell());
        requireCell(request.getCell());
        SrvVSchema srv = Topo.optional(() -> topo.getSrvVSchema(request.getCell()).value()).orElseThrow(
                () -> CtldException.notFound("cell '" + request.getCell() + "' has no SrvVSchema yet; run "
                        + "RebuildVSchemaGraph"));
        return GetSrvVSchemaResponse.newBuilder().setSrvVSchema(srv).build();
    }

    /** The given cells (each must exist), or every cell when none are given. */
    List<String> cellsOrAll(List<String> cells) throws TopoException {
        if (cells.isEmpty()) {
            return Topo.optional(topo::getCellInfoNames).orElse(List.of());
        }
        for (String cell : cells) {
            requireCell(cell);
        }
        return cells;
    }

    private void requireCell(String cell) throws TopoException {
        if (Topo.optional(() -> topo.getCellInfo(cell)).isEmpty()) {
            throw CtldException.notFound("cell '" + cell + "' does not exist");
        }
    }
}
