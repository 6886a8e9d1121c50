package io.tessera.ctld.server;

import io.grpc.stub.StreamObserver;
import io.tessera.ctld.CtldException;
import io.tessera.ctld.command.CtldCommands;
import io.tessera.ctld.reparent.Reparenter;
import io.tessera.proto.vtctldata.*;
import io.tessera.proto.vtctlservice.VtctldGrpc;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The typed {@code Vtctld} gRPC service: each RPC calls one command of {@link CtldCommands} (or the
 * {@link Reparenter}) and maps its failure to a status with {@link CtldErrors}. No logic lives here.
 *
 * <p>RPCs without an implementation (ExecuteVtctlCommand, GetPermissions, ExecuteMultiFetchAsDBA, RunHealthCheck,
 * GetTopologyPath) are left to the generated base class, which answers UNIMPLEMENTED; tessera-ctl has no command
 * for them.
 *
 * <p>With active reparents disabled, InitShardPrimary, PlannedReparentShard and EmergencyReparentShard answer
 * FAILED_PRECONDITION; TabletExternallyReparented always runs, since it is how externally managed replication
 * reports a promotion, and so does ReparentTablet, which only points one replica at the recorded primary.
 */
public final class VtctldGrpcService extends VtctldGrpc.VtctldImplBase {
    private static final Logger log = LoggerFactory.getLogger(VtctldGrpcService.class);

    private final CtldCommands commands;
    private final Reparenter reparenter;
    private final boolean activeReparentsDisabled;

    /**
     * @param commands the commands the RPCs run
     * @param reparenter the reparent workflows
     * @param activeReparentsDisabled {@code --disable_active_reparents}: refuse the reparents that change MySQL
     *     replication
     */
    public VtctldGrpcService(CtldCommands commands, Reparenter reparenter, boolean activeReparentsDisabled) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.reparenter = Objects.requireNonNull(reparenter, "reparenter");
        this.activeReparentsDisabled = activeReparentsDisabled;
    }

    /** A command's body. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws Exception;
    }

    private static <T> void unary(StreamObserver<T> response, Call<T> call) {
        T result;
        try {
            result = call.run();
        } catch (Exception | Error e) {
            if (!(e instanceof Exception)) {
                log.error("command failed with an error", e);
            } else if (CtldErrors.code(e) == io.tessera.proto.vtrpc.Code.INTERNAL) {
                log.warn("command failed unexpectedly", e);
            }
            response.onError(CtldErrors.toStatus(e));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    private <T> T activeReparent(String rpc, Call<T> call) throws Exception {
        if (activeReparentsDisabled) {
            throw CtldException.failedPrecondition(rpc + " refused: active reparents are disabled on this tessera-ctld "
                    + "(--disable_active_reparents): MySQL replication in this cluster is managed outside Tessera; "
                    + "after promoting a server yourself, run TabletExternallyReparented");
        }
        return call.run();
    }

    @Override
    public void addCellInfo(AddCellInfoRequest request, StreamObserver<AddCellInfoResponse> response) {
        unary(response, () -> commands.cells().addCellInfo(request));
    }

    @Override
    public void getCellInfo(GetCellInfoRequest request, StreamObserver<GetCellInfoResponse> response) {
        unary(response, () -> commands.cells().getCellInfo(request));
    }

    @Override
    public void getCellInfoNames(GetCellInfoNamesRequest request, StreamObserver<GetCellInfoNamesResponse> response) {
        unary(response, () -> commands.cells().getCellInfoNames());
    }

    @Override
    public void updateCellInfo(UpdateCellInfoRequest request, StreamObserver<UpdateCellInfoResponse> response) {
        unary(response, () -> commands.cells().updateCellInfo(request));
    }

    @Override
    public void deleteCellInfo(DeleteCellInfoRequest request, StreamObserver<DeleteCellInfoResponse> response) {
        unary(response, () -> commands.cells().deleteCellInfo(request));
    }

    @Override
    public void createKeyspace(CreateKeyspaceRequest request, StreamObserver<CreateKeyspaceResponse> response) {
        unary(response, () -> commands.keyspaces().createKeyspace(request));
    }

    @Override
    public void getKeyspace(GetKeyspaceRequest request, StreamObserver<GetKeyspaceResponse> response) {
        unary(response, () -> commands.keyspaces().getKeyspace(request));
    }

    @Override
    public void getKeyspaces(GetKeyspacesRequest request, StreamObserver<GetKeyspacesResponse> response) {
        unary(response, () -> commands.keyspaces().getKeyspaces());
    }

    @Override
    public void deleteKeyspace(DeleteKeyspaceRequest request, StreamObserver<DeleteKeyspaceResponse> response) {
        unary(response, () -> commands.keyspaces().deleteKeyspace(request));
    }

    @Override
    public void setKeyspaceDurabilityPolicy(SetKeyspaceDurabilityPolicyRequest request, StreamObserver<SetKeyspaceDurabilityPolicyResponse> response) {
        unary(response, () -> commands.keyspaces().setKeyspaceDurabilityPolicy(request));
    }

    @Override
    public void createShard(CreateShardRequest request, StreamObserver<CreateShardResponse> response) {
        unary(response, () -> commands.shards().createShard(request));
    }

    @Override
    public void getShard(GetShardRequest request, StreamObserver<GetShardResponse> response) {
        unary(response, () -> commands.shards().getShard(request));
    }

    @Override
    public void deleteShards(DeleteShardsRequest request, StreamObserver<DeleteShardsResponse> response) {
        unary(response, () -> commands.shards().deleteShards(request));
    }

    @Override
    public void findAllShardsInKeyspace(FindAllShardsInKeyspaceRequest request, StreamObserver<FindAllShardsInKeyspaceResponse> response) {
        unary(response, () -> commands.shards().findAllShardsInKeyspace(request));
    }

    @Override
    public void setShardTabletControl(SetShardTabletControlRequest request, StreamObserver<SetShardTabletControlResponse> response) {
        unary(response, () -> commands.shards().setShardTabletControl(request));
    }

    @Override
    public void getShardReplication(GetShardReplicationRequest request, StreamObserver<GetShardReplicationResponse> response) {
        unary(response, () -> commands.shards().getShardReplication(request));
    }

    @Override
    public void shardReplicationPositions(ShardReplicationPositionsRequest request, StreamObserver<ShardReplicationPositionsResponse> response) {
        unary(response, () -> commands.replicationPositions().run(request));
    }

    @Override
    public void initTablet(InitTabletRequest request, StreamObserver<InitTabletResponse> response) {
        unary(response, () -> commands.tablets().initTablet(request));
    }

    @Override
    public void getTablet(GetTabletRequest request, StreamObserver<GetTabletResponse> response) {
        unary(response, () -> commands.tablets().getTablet(request));
    }

    @Override
    public void getTablets(GetTabletsRequest request, StreamObserver<GetTabletsResponse> response) {
        unary(response, () -> commands.tablets().getTablets(request));
    }

    @Override
    public void deleteTablets(DeleteTabletsRequest request, StreamObserver<DeleteTabletsResponse> response) {
        unary(response, () -> commands.tablets().deleteTablets(request));
    }

    @Override
    public void changeTabletType(ChangeTabletTypeRequest request, StreamObserver<ChangeTabletTypeResponse> response) {
        unary(response, () -> commands.tabletActions().changeTabletType(request));
    }

    @Override
    public void pingTablet(PingTabletRequest request, StreamObserver<PingTabletResponse> response) {
        unary(response, () -> commands.tabletActions().pingTablet(request));
    }

    @Override
    public void refreshState(RefreshStateRequest request, StreamObserver<RefreshStateResponse> response) {
        unary(response, () -> commands.tabletActions().refreshState(request));
    }

    @Override
    public void refreshStateByShard(RefreshStateByShardRequest request, StreamObserver<RefreshStateByShardResponse> response) {
        unary(response, () -> commands.tabletActions().refreshStateByShard(request));
    }

    @Override
    public void setWritable(SetWritableRequest request, StreamObserver<SetWritableResponse> response) {
        unary(response, () -> commands.tabletActions().setWritable(request));
    }

    @Override
    public void startReplication(StartReplicationRequest request, StreamObserver<StartReplicationResponse> response) {
        unary(response, () -> commands.tabletActions().startReplication(request));
    }

    @Override
    public void stopReplication(StopReplicationRequest request, StreamObserver<StopReplicationResponse> response) {
        unary(response, () -> commands.tabletActions().stopReplication(request));
    }

    @Override
    public void getFullStatus(GetFullStatusRequest request, StreamObserver<GetFullStatusResponse> response) {
        unary(response, () -> commands.tabletActions().getFullStatus(request));
    }

    @Override
    public void executeFetchAsDBA(ExecuteFetchAsDBARequest request, StreamObserver<ExecuteFetchAsDBAResponse> response) {
        unary(response, () -> commands.tabletActions().executeFetchAsDba(request));
    }

    @Override
    public void executeFetchAsApp(ExecuteFetchAsAppRequest request, StreamObserver<ExecuteFetchAsAppResponse> response) {
        unary(response, () -> commands.tabletActions().executeFetchAsApp(request));
    }

    @Override
    public void initShardPrimary(InitShardPrimaryRequest request, StreamObserver<InitShardPrimaryResponse> response) {
        unary(response, () -> activeReparent("InitShardPrimary", () -> reparenter.initShardPrimary(request)));
    }

    @Override
    public void plannedReparentShard(PlannedReparentShardRequest request, StreamObserver<PlannedReparentShardResponse> response) {
        unary(response, () -> activeReparent("PlannedReparentShard", () -> reparenter.plannedReparentShard(request)));
    }

    @Override
    public void emergencyReparentShard(EmergencyReparentShardRequest request, StreamObserver<EmergencyReparentShardResponse> response) {
        unary(response, () -> activeReparent("EmergencyReparentShard", () -> reparenter.emergencyReparentShard(request)));
    }

    @Override
    public void tabletExternallyReparented(TabletExternallyReparentedRequest request, StreamObserver<TabletExternallyReparentedResponse> response) {
        unary(response, () -> reparenter.tabletExternallyReparented(request));
    }

    @Override
    public void reparentTablet(ReparentTabletRequest request, StreamObserver<ReparentTabletResponse> response) {
        unary(response, () -> reparenter.reparentTablet(request));
    }

    @Override
    public void getSchema(GetSchemaRequest request, StreamObserver<GetSchemaResponse> response) {
        unary(response, () -> commands.schema().getSchema(request));
    }

    @Override
    public void applySchema(ApplySchemaRequest request, StreamObserver<ApplySchemaResponse> response) {
        unary(response, () -> commands.applySchema().run(request));
    }

    @Override
    public void reloadSchema(ReloadSchemaRequest request, StreamObserver<ReloadSchemaResponse> response) {
        unary(response, () -> commands.schema().reloadSchema(request));
    }

    @Override
    public void reloadSchemaShard(ReloadSchemaShardRequest request, StreamObserver<ReloadSchemaShardResponse> response) {
        unary(response, () -> commands.schema().reloadSchemaShard(request));
    }

    @Override
    public void reloadSchemaKeyspace(ReloadSchemaKeyspaceRequest request, StreamObserver<ReloadSchemaKeyspaceResponse> response) {
        unary(response, () -> commands.schema().reloadSchemaKeyspace(request));
    }

    @Override
    public void getVSchema(GetVSchemaRequest request, StreamObserver<GetVSchemaResponse> response) {
        unary(response, () -> commands.vschema().getVSchema(request));
    }

    @Override
    public void applyVSchema(ApplyVSchemaRequest request, StreamObserver<ApplyVSchemaResponse> response) {
        unary(response, () -> commands.vschema().applyVSchema(request));
    }

    @Override
    public void getRoutingRules(GetRoutingRulesRequest request, StreamObserver<GetRoutingRulesResponse> response) {
        unary(response, () -> commands.vschema().getRoutingRules());
    }

    @Override
    public void applyRoutingRules(ApplyRoutingRulesRequest request, StreamObserver<ApplyRoutingRulesResponse> response) {
        unary(response, () -> commands.vschema().applyRoutingRules(request));
    }

    @Override
    public void rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest request, StreamObserver<RebuildKeyspaceGraphResponse> response) {
        unary(response, () -> commands.serving().rebuildKeyspaceGraph(request));
    }

    @Override
    public void rebuildVSchemaGraph(RebuildVSchemaGraphRequest request, StreamObserver<RebuildVSchemaGraphResponse> response) {
        unary(response, () -> commands.serving().rebuildVSchemaGraph(request));
    }

    @Override
    public void getSrvKeyspaces(GetSrvKeyspacesRequest request, StreamObserver<GetSrvKeyspacesResponse> response) {
        unary(response, () -> commands.serving().getSrvKeyspaces(request));
    }

    @Override
    public void getSrvKeyspaceNames(GetSrvKeyspaceNamesRequest request, StreamObserver<GetSrvKeyspaceNamesResponse> response) {
        unary(response, () -> commands.serving().getSrvKeyspaceNames(request));
    }

    @Override
    public void getSrvVSchema(GetSrvVSchemaRequest request, StreamObserver<GetSrvVSchemaResponse> response) {
        unary(response, () -> commands.serving().getSrvVSchema(request));
    }

    @Override
    public void exportTopology(ExportTopologyRequest request, StreamObserver<ExportTopologyResponse> response) {
        unary(response, () -> commands.exporter().export(request));
    }

    @Override
    public void importTopology(ImportTopologyRequest request, StreamObserver<ImportTopologyResponse> response) {
        unary(response, () -> commands.importer().importTopology(request));
    }
}
