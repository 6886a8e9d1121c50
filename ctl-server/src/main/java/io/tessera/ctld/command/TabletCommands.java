package io.tessera.ctld.command;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.KeyRange;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.DeleteTabletsRequest;
import io.tessera.proto.vtctldata.DeleteTabletsResponse;
import io.tessera.proto.vtctldata.GetTabletRequest;
import io.tessera.proto.vtctldata.GetTabletResponse;
import io.tessera.proto.vtctldata.GetTabletsRequest;
import io.tessera.proto.vtctldata.GetTabletsResponse;
import io.tessera.proto.vtctldata.InitTabletRequest;
import io.tessera.proto.vtctldata.InitTabletResponse;
import io.tessera.topo.LockHandle;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.KeyRanges;
import io.tessera.topo.topoproto.TabletAliases;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tablet records: InitTablet, GetTablet, GetTablets and DeleteTablets. */
public final class TabletCommands {
    private static final Logger log = LoggerFactory.getLogger(TabletCommands.class);

    /** Tablets sorted by cell, then uid. */
    static final Comparator<Tablet> BY_ALIAS = Comparator.comparing((Tablet t) -> t.getAlias().getCell())
            .thenComparingLong(t -> Integer.toUnsignedLong(t.getAlias().getUid()));

    private final TopoServer topo;
    private final ServingGraph serving;

    public TabletCommands(TopoServer topo, ServingGraph serving) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.serving = Objects.requireNonNull(serving, "serving");
    }

    /**
     * Writes a tablet record and adds it to its shard's replication graph. The cell must exist. A PRIMARY record is
     * refused (primaries come from reparents). A missing keyspace or shard is created with
     * {@code create_shard_and_keyspace} and refused without it. An existing record is replaced only with
     * {@code allow_update}, and never moved to another keyspace or shard.
     */
    public InitTabletResponse initTablet(InitTabletRequest request) throws TopoException {
        Tablet tablet = request.getTablet();
        Topo.requireAlias(tablet.getAlias());
        Topo.requireName("keyspace", tablet.getKeyspace());
        Topo.requireName("shard", tablet.getShard());
        if (tablet.getType() == TabletType.PRIMARY) {
            throw CtldException.invalidArgument("InitTablet does not create PRIMARY tablets: init it as a replica "
                    + "and use InitShardPrimary or PlannedReparentShard");
        }
        if (tablet.getType() == TabletType.UNKNOWN) {
            throw CtldException.invalidArgument("the tablet's type is required (replica, rdonly, spare...)");
        }
        KeyRange range;
        try {
            range = KeyRanges.parseShardName(tablet.getShard());
        } catch (IllegalArgumentException e) {
            throw CtldException.invalidArgument(e.getMessage());
        }
        if (Topo.optional(() -> topo.getCellInfo(tablet.getAlias().getCell())).isEmpty()) {
            throw CtldException.notFound("cell '" + tablet.getAlias().getCell() + "' does not exist; add it first "
                    + "(AddCellInfo)");
        }
        Tablet record = tablet.toBuilder().setKeyRange(range).build();
        if (Topo.optional(() -> topo.getShard(tablet.getKeyspace(), tablet.getShard())).isEmpty()) {
            if (!request.getCreateShardAndKeyspace()) {
                throw CtldException.notFound("shard '" + tablet.getKeyspace() + "/" + tablet.getShard()
                        + "' does not exist; create it (CreateKeyspace, CreateShard) or pass create_shard_and_keyspace");
            }
            createIfMissing(() -> topo.createKeyspace(tablet.getKeyspace(),
                    Keyspace.newBuilder().setDurabilityPolicy("none").build()));
            createIfMissing(() -> topo.createShard(tablet.getKeyspace(), tablet.getShard()));
        }
        try {
            topo.createTablet(record);
        } catch (TopoException e) {
            if (!e.is(TopoException.Code.NODE_EXISTS)) {
                throw e;
            }
            String alias = TabletAliases.format(tablet.getAlias());
            if (!request.getAllowUpdate()) {
                throw CtldException.alreadyExists("tablet " + alias + " already exists; pass allow_update to replace "
                        + "its record");
            }
            Tablet old = topo.getTablet(tablet.getAlias()).value();
            if (!old.getKeyspace().equals(tablet.getKeyspace()) || !old.getShard().equals(tablet.getShard())) {
                throw CtldException.failedPrecondition("tablet " + alias + " belongs to " + old.getKeyspace() + "/"
                        + old.getShard() + "; it cannot be moved to " + tablet.getKeyspace() + "/" + tablet.getShard()
                        + " (delete it first)");
            }
            if (old.getType() == TabletType.PRIMARY) {
                throw CtldException.failedPrecondition("tablet " + alias + " is a PRIMARY; InitTablet does not "
                        + "replace a primary's record");
            }
            topo.updateTablet(record, null);
        }
        topo.addShardReplicationNode(tablet.getKeyspace(), tablet.getShard(), tablet.getAlias());
        return InitTabletResponse.newBuilder().setTablet(topo.getTablet(tablet.getAlias()).value()).build();
    }

    private interface Create {
        void run() throws TopoException;
    }

    private static void createIfMissing(Create create) throws TopoException {
        try {
            create.run();
        } catch (TopoException e) {
            if (!e.is(TopoException.Code.NODE_EXISTS)) {
                throw e;
            }
        }
    }

    public GetTabletResponse getTablet(GetTabletRequest request) throws TopoException {
        return GetTabletResponse.newBuilder().setTablet(Topo.tablet(topo, request.getTabletAlias())).build();
    }

    /**
     * Tablets matching all filters, sorted by alias. With {@code tablet_aliases}, exactly those (a missing one is
     * skipped, or fails the call with {@code strict}). With a keyspace (and shard), the shards' replication graphs
     * are read; otherwise each cell's tablets. A cell that cannot be read is skipped unless {@code strict}.
     */
    public GetTabletsResponse getTablets(GetTabletsRequest request) throws TopoException {
        List<Tablet> found = new ArrayList<>();
        if (request.getTabletAliasesCount() > 0) {
            for (TabletAlias alias : request.getTabletAliasesList()) {
                Topo.requireAlias(alias);
                Optional<Tablet> t = Topo.optional(() -> topo.getTablet(alias).value());
                if (t.isEmpty() && request.getStrict()) {
                    throw CtldException.notFound("tablet " + TabletAliases.format(alias) + " does not exist");
                }
                t.ifPresent(found::add);
            }
            found.sort(BY_ALIAS);
            return GetTabletsResponse.newBuilder().addAllTablets(found).build();
        }
        if (!request.getShard().isEmpty() && request.getKeyspace().isEmpty()) {
            throw CtldException.invalidArgument("a shard filter needs the keyspace too");
        }
        if (!request.getKeyspace().isEmpty()) {
            List<String> shards = request.getShard().isEmpty() ? topo.getShardNames(request.getKeyspace())
                    : List.of(request.getShard());
            for (String shard : shards) {
                found.addAll(topo.getTabletsByShard(request.getKeyspace(), shard));
            }
        } else {
            for (String cell : serving.cellsOrAll(request.getCellsList())) {
                try {
                    found.addAll(topo.getTabletsByCell(cell));
                } catch (TopoException e) {
                    if (request.getStrict()) {
                        throw e;
                    }
                    log.warn("GetTablets: skipping cell {}: {}", cell, e.getMessage());
                }
            }
        }
        List<Tablet> out = new ArrayList<>();
        for (Tablet t : found) {
            if (request.getCellsCount() > 0 && !request.getCellsList().contains(t.getAlias().getCell())) {
                continue;
            }
            if (request.getTabletType() != TabletType.UNKNOWN && t.getType() != request.getTabletType()) {
                continue;
            }
            out.add(t);
        }
        out.sort(BY_ALIAS);
        return GetTabletsResponse.newBuilder().addAllTablets(out).build();
    }

    /**
     * Deletes tablet records and takes them out of their shards' replication graphs. A shard's primary is refused
     * unless {@code allow_primary}; deleting it also clears the shard's {@code primary_alias} (under the shard lock).
     * Every alias is checked before anything is deleted.
     */
    public DeleteTabletsResponse deleteTablets(DeleteTabletsRequest request) throws TopoException {
        List<Tablet> tablets = new ArrayList<>();
        for (TabletAlias alias : request.getTabletAliasesList()) {
            Tablet t = Topo.tablet(topo, alias);
            if (isShardPrimary(t) && !request.getAllowPrimary()) {
                throw CtldException.failedPrecondition("tablet " + TabletAliases.format(alias) + " is the primary of "
                        + t.getKeyspace() + "/" + t.getShard() + "; pass allow_primary to delete it anyway");
            }
            tablets.add(t);
        }
        for (Tablet t : tablets) {
            boolean primary = isShardPrimary(t);
            Topo.deleteIfExists(() -> {
                topo.deleteTablet(t.getAlias());
                return null;
            });
            Topo.deleteIfExists(() -> {
                topo.removeShardReplicationNode(t.getKeyspace(), t.getShard(), t.getAlias());
                return null;
            });
            if (primary) {
                try (LockHandle lock = topo.lockShard(t.getKeyspace(), t.getShard(), "DeleteTablets")) {
                    lock.check();
                    topo.updateShardFields(t.getKeyspace(), t.getShard(), s -> s.hasPrimaryAlias()
                            && s.getPrimaryAlias().equals(t.getAlias())
                            ? s.toBuilder().clearPrimaryAlias().clearPrimaryTermStartTime().build() : s);
                }
            }
        }
        return DeleteTabletsResponse.getDefaultInstance();
    }

    private boolean isShardPrimary(Tablet t) throws TopoException {
        if (t.getType() == TabletType.PRIMARY) {
            return true;
        }
        Optional<Shard> shard = Topo.optional(() -> topo.getShard(t.getKeyspace(), t.getShard()).value());
        return shard.isPresent() && shard.get().hasPrimaryAlias() && shard.get().getPrimaryAlias().equals(t.getAlias());
    }
}
