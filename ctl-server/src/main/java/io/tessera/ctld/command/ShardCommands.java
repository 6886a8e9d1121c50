package io.tessera.ctld.command;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.KeyRange;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.ShardReference;
import io.tessera.proto.topodata.ShardReplication;
import io.tessera.proto.topodata.SrvKeyspace;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.CreateShardRequest;
import io.tessera.proto.vtctldata.CreateShardResponse;
import io.tessera.proto.vtctldata.DeleteShardsRequest;
import io.tessera.proto.vtctldata.DeleteShardsResponse;
import io.tessera.proto.vtctldata.FindAllShardsInKeyspaceRequest;
import io.tessera.proto.vtctldata.FindAllShardsInKeyspaceResponse;
import io.tessera.proto.vtctldata.GetShardReplicationRequest;
import io.tessera.proto.vtctldata.GetShardReplicationResponse;
import io.tessera.proto.vtctldata.GetShardRequest;
import io.tessera.proto.vtctldata.GetShardResponse;
import io.tessera.proto.vtctldata.SetShardTabletControlRequest;
import io.tessera.proto.vtctldata.SetShardTabletControlResponse;
import io.tessera.topo.LockHandle;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.KeyRanges;
import io.tessera.topo.topoproto.TabletAliases;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * CreateShard, GetShard, DeleteShards, FindAllShardsInKeyspace, SetShardTabletControl and GetShardReplication.
 */
public final class ShardCommands {
    private final TopoServer topo;
    private final ServingGraph serving;

    public ShardCommands(TopoServer topo, ServingGraph serving) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.serving = Objects.requireNonNull(serving, "serving");
    }

    /**
     * Creates a shard, its key range taken from its name, holding the keyspace lock. A shard whose range overlaps
     * a primary-serving shard starts not serving (as in Vitess, for resharding). {@code include_parent} creates the
     * keyspace too; {@code force} returns an existing shard instead of failing.
     */
    public CreateShardResponse createShard(CreateShardRequest request) throws TopoException {
        String ks = request.getKeyspace();
        String name = request.getShardName();
        Topo.requireName("keyspace", ks);
        Topo.requireName("shard", name);
        KeyRange range;
        try {
            range = KeyRanges.parseShardName(name);
        } catch (IllegalArgumentException e) {
            throw CtldException.invalidArgument(e.getMessage());
        }
        if (Topo.optional(() -> topo.getKeyspace(ks)).isEmpty()) {
            if (!request.getIncludeParent()) {
                throw CtldException.notFound("keyspace '" + ks + "' does not exist; create it first (CreateKeyspace) "
                        + "or pass include_parent");
            }
            try {
                topo.createKeyspace(ks, Keyspace.newBuilder().setDurabilityPolicy("none").build());
            } catch (TopoException e) {
                if (!e.is(TopoException.Code.NODE_EXISTS)) {
                    throw e;
                }
            }
        }
        boolean existed = false;
        try (LockHandle lock = topo.lockKeyspace(ks, "CreateShard")) {
            boolean overlaps = false;
            for (String other : topo.getShardNames(ks)) {
                Optional<Shard> s = Topo.optional(() -> topo.getShard(ks, other).value());
                if (!other.equals(name) && s.isPresent() && s.get().getIsPrimaryServing()
                        && KeyRanges.intersect(s.get().getKeyRange(), range)) {
                    overlaps = true;
                }
            }
            lock.check();
            try {
                topo.createShard(ks, name);
                if (overlaps) {
                    topo.updateShardFields(ks, name, s -> s.toBuilder().setIsPrimaryServing(false).build());
                }
            } catch (TopoException e) {
                if (!e.is(TopoException.Code.NODE_EXISTS)) {
                    throw e;
                }
                if (!request.getForce()) {
                    throw CtldException.alreadyExists("shard '" + ks + "/" + name + "' already exists");
                }
                existed = true;
            }
        }
        return CreateShardResponse.newBuilder()
                .setKeyspace(io.tessera.proto.vtctldata.Keyspace.newBuilder().setName(ks)
                        .setKeyspace(topo.getKeyspace(ks).value()))
                .setShard(record(ks, name, topo.getShard(ks, name).value()))
                .setShardAlreadyExists(existed).build();
    }

    public GetShardResponse getShard(GetShardRequest request) throws TopoException {
        Shard s = Topo.shard(topo, request.getKeyspace(), request.getShardName());
        return GetShardResponse.newBuilder().setShard(record(request.getKeyspace(), request.getShardName(), s)).build();
    }

    public FindAllShardsInKeyspaceResponse findAllShardsInKeyspace(FindAllShardsInKeyspaceRequest request)
            throws TopoException {
        Topo.requireKeyspace(topo, request.getKeyspace());
        FindAllShardsInKeyspaceResponse.Builder b = FindAllShardsInKeyspaceResponse.newBuilder();
        for (String name : topo.getShardNames(request.getKeyspace())) {
            Topo.optional(() -> topo.getShard(request.getKeyspace(), name).value())
                    .ifPresent(s -> b.putShards(name, record(request.getKeyspace(), name, s)));
        }
        return b.build();
    }

    /**
     * Deletes shards. Each must exist. A shard that still serves (its primary's tablet record exists, or a cell's
     * SrvKeyspace names it) is refused unless {@code even_if_serving}; a shard with tablets is refused unless
     * {@code recursive}, which deletes their records too.
     */
    public DeleteShardsResponse deleteShards(DeleteShardsRequest request) throws TopoException {
        for (io.tessera.proto.vtctldata.Shard s : request.getShardsList()) {
            Topo.shard(topo, s.getKeyspace(), s.getName());
        }
        for (io.tessera.proto.vtctldata.Shard s : request.getShardsList()) {
            LockHandle lock = null;
            try {
                lock = topo.lockShard(s.getKeyspace(), s.getName(), "DeleteShards");
            } catch (TopoException e) {
                if (!request.getForce()) {
                    throw e;
                }
            }
            try {
                deleteShard(s.getKeyspace(), s.getName(), request.getRecursive(), request.getEvenIfServing());
            } finally {
                if (lock != null) {
                    try {
                        lock.unlock();
                    } catch (TopoException ignored) {
                        // the shard is gone; its lease expires by itself
                    }
                }
            }
        }
        return DeleteShardsResponse.getDefaultInstance();
    }

    /** Deletes one shard (see {@link #deleteShards}); the caller holds whatever lock it needs. */
    void deleteShard(String ks, String name, boolean recursive, boolean evenIfServing) throws TopoException {
        Shard shard = Topo.shard(topo, ks, name);
        if (!evenIfServing) {
            List<String> servingCells = servingCells(ks, name);
            boolean primaryExists = shard.hasPrimaryAlias()
                    && Topo.optional(() -> topo.getTablet(shard.getPrimaryAlias())).isPresent();
            if (primaryExists || !servingCells.isEmpty()) {
                throw CtldException.failedPrecondition("shard '" + ks + "/" + name + "' is still serving ("
                        + (primaryExists ? "its primary " + TabletAliases.format(shard.getPrimaryAlias()) + " exists"
                                : "the serving graph of " + servingCells + " names it")
                        + "); pass even_if_serving to delete it anyway");
            }
        }
        List<String> cells = serving.cellsOrAll(List.of());
        List<io.tessera.proto.topodata.TabletAlias> tablets = new ArrayList<>();
        for (String cell : cells) {
            Topo.optional(() -> topo.getShardReplication(cell, ks, name).value()).ifPresent(sr ->
                    sr.getNodesList().forEach(n -> tablets.add(n.getTabletAlias())));
        }
        if (!tablets.isEmpty() && !recursive) {
            throw CtldException.failedPrecondition("shard '" + ks + "/" + name + "' still has " + tablets.size()
                    + " tablet(s) " + tablets.stream().map(TabletAliases::format).toList()
                    + "; delete them first or pass recursive");
        }
        for (io.tessera.proto.topodata.TabletAlias alias : tablets) {
            Topo.deleteIfExists(() -> {
                topo.deleteTablet(alias);
                return null;
            });
        }
        for (String cell : cells) {
            Topo.deleteIfExists(() -> {
                topo.deleteShardReplication(cell, ks, name);
                return null;
            });
        }
        topo.deleteShard(ks, name);
    }

    private List<String> servingCells(String ks, String shard) throws TopoException {
        List<String> out = new ArrayList<>();
        for (String cell : serving.cellsOrAll(List.of())) {
            Optional<SrvKeyspace> srv = Topo.optional(() -> topo.getSrvKeyspace(cell, ks).value());
            if (srv.isPresent() && srv.get().getPartitionsList().stream().flatMap(p -> p.getShardReferencesList()
                    .stream()).map(ShardReference::getName).anyMatch(shard::equals)) {
                out.add(cell);
            }
        }
        return out;
    }

    /**
     * Adds, changes or removes a tablet control of a shard, holding the keyspace lock, with Vitess's rules:
     * with {@code denied_tables}, the tables (and cells) are added to the type's control, or with {@code remove}
     * taken out of it (a control left without tables goes); without tables, {@code remove} drops the control for
     * the cells given (all when none), and otherwise {@code disable_query_service} is set on it. A change to
     * {@code disable_query_service} is written into the cells' SrvKeyspace at once, as Vitess does; tablets pick up
     * denied tables when told to refresh (RefreshStateByShard).
     */
    public SetShardTabletControlResponse setShardTabletControl(SetShardTabletControlRequest request)
            throws TopoException {
        String ks = request.getKeyspace();
        Topo.shard(topo, ks, request.getShard());
        if (request.getTabletType() == TabletType.UNKNOWN) {
            throw CtldException.invalidArgument("tablet_type is required (primary, replica or rdonly)");
        }
        Shard updated;
        try (LockHandle lock = topo.lockKeyspace(ks, "SetShardTabletControl")) {
            lock.check();
            updated = topo.updateShardFields(ks, request.getShard(), s -> changeControls(s, request)).value();
            if (request.getDeniedTablesCount() == 0) {
                boolean partial = true;
                serving.rebuildKeyspaceLocked(ks, request.getCellsList(), partial, lock);
            }
        }
        return SetShardTabletControlResponse.newBuilder().setShard(updated).build();
    }

    private static Shard changeControls(Shard shard, SetShardTabletControlRequest r) {
        List<Shard.TabletControl> controls = new ArrayList<>(shard.getTabletControlsList());
        int index = -1;
        for (int i = 0; i < controls.size(); i++) {
            if (controls.get(i).getTabletType() == r.getTabletType()) {
                index = i;
            }
        }
        Shard.TabletControl current = index < 0 ? null : controls.get(index);
        Shard.TabletControl next;
        if (r.getDeniedTablesCount() > 0) {
            if (r.getRemove()) {
                if (current == null) {
                    return shard;
                }
                Set<String> tables = new LinkedHashSet<>(current.getDeniedTablesList());
                r.getDeniedTablesList().forEach(tables::remove);
                next = tables.isEmpty() && !current.getDisableQueryService() ? null
                        : current.toBuilder().clearDeniedTables().addAllDeniedTables(tables).build();
            } else {
                if (current != null && current.getDisableQueryService() && current.getDeniedTablesCount() == 0) {
                    throw CtldException.failedPrecondition("the " + r.getTabletType() + " tablet control of this "
                            + "shard disables the query service; remove it before denying tables");
                }
                Shard.TabletControl.Builder b = current == null
                        ? Shard.TabletControl.newBuilder().setTabletType(r.getTabletType()) : current.toBuilder();
                Set<String> tables = new LinkedHashSet<>(b.getDeniedTablesList());
                tables.addAll(r.getDeniedTablesList());
                b.clearDeniedTables().addAllDeniedTables(tables);
                mergeCells(b, r.getCellsList(), current == null);
                next = b.build();
            }
        } else if (r.getRemove()) {
            if (current == null) {
                return shard;
            }
            if (r.getCellsCount() == 0) {
                next = null;
            } else {
                List<String> cells = new ArrayList<>(current.getCellsList());
                cells.removeAll(r.getCellsList());
                next = cells.isEmpty() ? null : current.toBuilder().clearCells().addAllCells(cells).build();
            }
        } else {
            Shard.TabletControl.Builder b = current == null
                    ? Shard.TabletControl.newBuilder().setTabletType(r.getTabletType()) : current.toBuilder();
            b.setDisableQueryService(r.getDisableQueryService());
            mergeCells(b, r.getCellsList(), current == null);
            next = b.build();
        }
        if (index >= 0) {
            controls.remove(index);
            if (next != null) {
                controls.add(index, next);
            }
        } else if (next != null) {
            controls.add(next);
        }
        return shard.toBuilder().clearTabletControls().addAllTabletControls(controls).build();
    }

    /** Cells of a control: none given means all cells; a control that already covers all cells keeps doing so. */
    private static void mergeCells(Shard.TabletControl.Builder b, List<String> cells, boolean isNew) {
        if (cells.isEmpty()) {
            b.clearCells();
            return;
        }
        if (!isNew && b.getCellsCount() == 0) {
            return;
        }
        Set<String> merged = new LinkedHashSet<>(b.getCellsList());
        merged.addAll(cells);
        b.clearCells().addAllCells(merged);
    }

    public GetShardReplicationResponse getShardReplication(GetShardReplicationRequest request) throws TopoException {
        Topo.shard(topo, request.getKeyspace(), request.getShard());
        GetShardReplicationResponse.Builder b = GetShardReplicationResponse.newBuilder();
        for (String cell : serving.cellsOrAll(request.getCellsList())) {
            Optional<ShardReplication> sr = Topo.optional(() -> topo.getShardReplication(cell, request.getKeyspace(),
                    request.getShard()).value());
            sr.ifPresent(v -> b.putShardReplicationByCell(cell, v));
        }
        return b.build();
    }

    static io.tessera.proto.vtctldata.Shard record(String ks, String name, Shard shard) {
        return io.tessera.proto.vtctldata.Shard.newBuilder().setKeyspace(ks).setName(name).setShard(shard).build();
    }
}
