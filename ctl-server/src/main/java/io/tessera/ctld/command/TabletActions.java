package io.tessera.ctld.command;

import com.google.protobuf.ByteString;
import io.tessera.ctld.CtldException;
import io.tessera.proto.tabletmanagerdata.ChangeTypeRequest;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsDbaRequest;
import io.tessera.proto.tabletmanagerdata.FullStatusRequest;
import io.tessera.proto.tabletmanagerdata.PingRequest;
import io.tessera.proto.tabletmanagerdata.SetReadOnlyRequest;
import io.tessera.proto.tabletmanagerdata.SetReadWriteRequest;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.ChangeTabletTypeRequest;
import io.tessera.proto.vtctldata.ChangeTabletTypeResponse;
import io.tessera.proto.vtctldata.ExecuteFetchAsAppRequest;
import io.tessera.proto.vtctldata.ExecuteFetchAsAppResponse;
import io.tessera.proto.vtctldata.ExecuteFetchAsDBARequest;
import io.tessera.proto.vtctldata.ExecuteFetchAsDBAResponse;
import io.tessera.proto.vtctldata.GetFullStatusRequest;
import io.tessera.proto.vtctldata.GetFullStatusResponse;
import io.tessera.proto.vtctldata.PingTabletRequest;
import io.tessera.proto.vtctldata.PingTabletResponse;
import io.tessera.proto.vtctldata.RefreshStateByShardRequest;
import io.tessera.proto.vtctldata.RefreshStateByShardResponse;
import io.tessera.proto.vtctldata.RefreshStateRequest;
import io.tessera.proto.vtctldata.RefreshStateResponse;
import io.tessera.proto.vtctldata.SetWritableRequest;
import io.tessera.proto.vtctldata.SetWritableResponse;
import io.tessera.proto.vtctldata.StartReplicationRequest;
import io.tessera.proto.vtctldata.StartReplicationResponse;
import io.tessera.proto.vtctldata.StopReplicationRequest;
import io.tessera.proto.vtctldata.StopReplicationResponse;
import io.tessera.tabletmanager.DurabilityPolicy;
import io.tessera.tabletmanager.TabletManagerDialer;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import io.tessera.topo.topoproto.TabletTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Commands that act on one tablet through its tablet manager: ChangeTabletType, PingTablet, RefreshState,
 * RefreshStateByShard, SetWritable, StartReplication, StopReplication, ExecuteFetchAsDBA, ExecuteFetchAsApp and
 * GetFullStatus.
 */
public final class TabletActions {
    /** Types ChangeTabletType may set; PRIMARY comes only from reparents, BACKUP and RESTORE from those processes. */
    private static final Set<TabletType> CHANGEABLE = Set.of(TabletType.REPLICA, TabletType.RDONLY, TabletType.SPARE,
            TabletType.EXPERIMENTAL, TabletType.DRAINED);

    private final TopoServer topo;
    private final TabletManagerDialer dialer;
    private final CommandSettings settings;

    public TabletActions(TopoServer topo, TabletManagerDialer dialer, CommandSettings settings) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Changes a tablet between non-primary types through its tablet manager (which also applies the semi-sync
     * setting the keyspace's durability policy gives the new type). Changing to or from PRIMARY is refused: that is
     * a reparent.
     */
    public ChangeTabletTypeResponse changeTabletType(ChangeTabletTypeRequest request) throws TopoException {
        Tablet before = Topo.tablet(topo, request.getTabletAlias());
        TabletType to = request.getDbType();
        String alias = TabletAliases.format(before.getAlias());
        if (to == TabletType.PRIMARY || before.getType() == TabletType.PRIMARY) {
            throw CtldException.failedPrecondition("tablet " + alias + " cannot change from "
                    + TabletTypes.name(before.getType()) + " to " + TabletTypes.name(to)
                    + " with ChangeTabletType: the primary changes only through a reparent; use PlannedReparentShard");
        }
        if (!CHANGEABLE.contains(to)) {
            throw CtldException.invalidArgument("ChangeTabletType cannot set type " + TabletTypes.name(to)
                    + "; use one of replica, rdonly, spare, experimental, drained");
        }
        if (!CHANGEABLE.contains(before.getType())) {
            throw CtldException.failedPrecondition("tablet " + alias + " is " + TabletTypes.name(before.getType())
                    + " (set by a running backup or restore); wait for it to finish");
        }
        Tablet after = before.toBuilder().setType(to).build();
        if (request.getDryRun()) {
            return ChangeTabletTypeResponse.newBuilder().setBeforeTablet(before).setAfterTablet(after)
                    .setWasDryRun(true).build();
        }
        if (before.getType() != to) {
            DurabilityPolicy policy = policy(before);
            dialer.dial(before).changeType(ChangeTypeRequest.newBuilder().setTabletType(to)
                    .setSemiSync(policy.acks(to)).build());
            after = Topo.tablet(topo, before.getAlias());
        }
        return ChangeTabletTypeResponse.newBuilder().setBeforeTablet(before).setAfterTablet(after).build();
    }

    public PingTabletResponse pingTablet(PingTabletRequest request) throws TopoException {
        Tablet t = Topo.tablet(topo, request.getTabletAlias());
        dialer.dial(t).ping(PingRequest.newBuilder().setPayload("ping").build());
        return PingTabletResponse.getDefaultInstance();
    }

    public RefreshStateResponse refreshState(RefreshStateRequest request) throws TopoException {
        Tablet t = Topo.tablet(topo, request.getTabletAlias());
        dialer.dial(t).refreshState(io.tessera.proto.tabletmanagerdata.RefreshStateRequest.getDefaultInstance());
        return RefreshStateResponse.getDefaultInstance();
    }

    /**
     * Tells every tablet of a shard (in the given cells, or all) to re-read its record and its shard's tablet
     * controls, all at once. Tablets that fail or do not answer in time are reported, not fatal.
     */
    public RefreshStateByShardResponse refreshStateByShard(RefreshStateByShardRequest request) throws TopoException {
        Topo.shard(topo, request.getKeyspace(), request.getShard());
        List<Tablet> tablets = topo.getTabletsByShard(request.getKeyspace(), request.getShard()).stream()
                .filter(t -> request.getCellsCount() == 0 || request.getCellsList().contains(t.getAlias().getCell()))
                .sorted(TabletCommands.BY_ALIAS).toList();
        List<Fanout.Outcome<Tablet, Object>> outcomes = Fanout.run(tablets, tablets.size(),
                settings.tabletFanoutTimeout(), t -> dialer.dial(t).refreshState(
                        io.tessera.proto.tabletmanagerdata.RefreshStateRequest.getDefaultInstance()));
        StringBuilder details = new StringBuilder();
        for (Fanout.Outcome<Tablet, Object> o : outcomes) {
            if (!o.ok()) {
                if (!details.isEmpty()) {
                    details.append("; ");
                }
                details.append(TabletAliases.format(o.item().getAlias())).append(": ").append(Topo.reason(o.error()));
            }
        }
        return RefreshStateByShardResponse.newBuilder().setIsPartialRefresh(!details.isEmpty())
                .setPartialRefreshDetails(details.toString()).build();
    }

    /** Sets the tablet's MySQL read-write or read-only; the tablet's type does not change. */
    public SetWritableResponse setWritable(SetWritableRequest request) throws TopoException {
        Tablet t = Topo.tablet(topo, request.getTabletAlias());
        if (request.getWritable()) {
            dialer.dial(t).setReadWrite(SetReadWriteRequest.getDefaultInstance());
        } else {
            dialer.dial(t).setReadOnly(SetReadOnlyRequest.getDefaultInstance());
        }
        return SetWritableResponse.getDefaultInstance();
    }

    /** Starts replication, acknowledging semi-sync if the keyspace's durability policy says this type does. */
    public StartReplicationResponse startReplication(StartReplicationRequest request) throws TopoException {
        Tablet t = Topo.tablet(topo, request.getTabletAlias());
        boolean semiSync = policy(t).acks(t.getType());
        dialer.dial(t).startReplication(io.tessera.proto.tabletmanagerdata.StartReplicationRequest.newBuilder()
                .setSemiSync(semiSync).build());
        return StartReplicationResponse.getDefaultInstance();
    }

    public StopReplicationResponse stopReplication(StopReplicationRequest request) throws TopoException {
        Tablet t = Topo.tablet(topo, request.getTabletAlias());
        dialer.dial(t).stopReplication(io.tessera.proto.tabletmanagerdata.StopReplicationRequest.getDefaultInstance());
        return StopReplicationResponse.getDefaultInstance();
    }

    /** Runs one statement as the DBA user in the tablet's database. */
    public ExecuteFetchAsDBAResponse executeFetchAsDba(ExecuteFetchAsDBARequest request) throws TopoException {
        Tablet t = Topo.tablet(topo, request.getTabletAlias());
        requireQuery(request.getQuery());
        if (request.getMaxRows() < 0) {
            throw CtldException.invalidArgument("max_rows must not be negative");
        }
        var result = dialer.dial(t).executeFetchAsDba(ExecuteFetchAsDbaRequest.newBuilder()
                .setQuery(ByteString.copyFrom(request.getQuery(), StandardCharsets.UTF_8))
                .setDbName(Topo.dbName(t)).setMaxRows(request.getMaxRows())
                .setDisableBinlogs(request.getDisableBinlogs()).setReloadSchema(request.getReloadSchema()).build());
        return ExecuteFetchAsDBAResponse.newBuilder().setResult(result.getResult()).build();
    }

    /** Runs one statement as the application user in the tablet's database. */
    public ExecuteFetchAsAppResponse executeFetchAsApp(ExecuteFetchAsAppRequest request) throws TopoException {
        Tablet t = Topo.tablet(topo, request.getTabletAlias());
        requireQuery(request.getQuery());
        if (request.getMaxRows() < 0) {
            throw CtldException.invalidArgument("max_rows must not be negative");
        }
        var result = dialer.dial(t).executeFetchAsApp(io.tessera.proto.tabletmanagerdata.ExecuteFetchAsAppRequest
                .newBuilder().setQuery(ByteString.copyFrom(request.getQuery(), StandardCharsets.UTF_8))
                .setMaxRows(request.getMaxRows()).build());
        return ExecuteFetchAsAppResponse.newBuilder().setResult(result.getResult()).build();
    }

    public GetFullStatusResponse getFullStatus(GetFullStatusRequest request) throws TopoException {
        Tablet t = Topo.tablet(topo, request.getTabletAlias());
        var status = dialer.dial(t).fullStatus(FullStatusRequest.getDefaultInstance());
        return GetFullStatusResponse.newBuilder().setStatus(status.getStatus()).build();
    }

    private DurabilityPolicy policy(Tablet t) throws TopoException {
        try {
            return DurabilityPolicy.of(topo.getKeyspace(t.getKeyspace()).value());
        } catch (IllegalArgumentException e) {
            throw CtldException.failedPrecondition("keyspace '" + t.getKeyspace() + "': " + e.getMessage());
        }
    }

    private static void requireQuery(String query) {
        if (query.isBlank()) {
            throw CtldException.invalidArgument("the query is empty");
        }
    }
}
