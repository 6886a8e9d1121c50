package io.tessera.ctl;

import com.google.protobuf.Message;
import io.grpc.stub.StreamObserver;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.proto.vtctldata.AddCellInfoRequest;
import io.tessera.proto.vtctldata.AddCellInfoResponse;
import io.tessera.proto.vtctldata.ApplyRoutingRulesRequest;
import io.tessera.proto.vtctldata.ApplyRoutingRulesResponse;
import io.tessera.proto.vtctldata.ApplySchemaRequest;
import io.tessera.proto.vtctldata.ApplySchemaResponse;
import io.tessera.proto.vtctldata.ApplyVSchemaRequest;
import io.tessera.proto.vtctldata.ApplyVSchemaResponse;
import io.tessera.proto.vtctldata.ChangeTabletTypeRequest;
import io.tessera.proto.vtctldata.ChangeTabletTypeResponse;
import io.tessera.proto.vtctldata.CreateKeyspaceRequest;
import io.tessera.proto.vtctldata.CreateKeyspaceResponse;
import io.tessera.proto.vtctldata.CreateShardRequest;
import io.tessera.proto.vtctldata.CreateShardResponse;
import io.tessera.proto.vtctldata.DeleteCellInfoRequest;
import io.tessera.proto.vtctldata.DeleteCellInfoResponse;
import io.tessera.proto.vtctldata.DeleteKeyspaceRequest;
import io.tessera.proto.vtctldata.DeleteKeyspaceResponse;
import io.tessera.proto.vtctldata.DeleteShardsRequest;
import io.tessera.proto.vtctldata.DeleteShardsResponse;
import io.tessera.proto.vtctldata.DeleteTabletsRequest;
import io.tessera.proto.vtctldata.DeleteTabletsResponse;
import io.tessera.proto.vtctldata.EmergencyReparentShardRequest;
import io.tessera.proto.vtctldata.EmergencyReparentShardResponse;
import io.tessera.proto.vtctldata.ExecuteFetchAsAppRequest;
import io.tessera.proto.vtctldata.ExecuteFetchAsAppResponse;
import io.tessera.proto.vtctldata.ExecuteFetchAsDBARequest;
import io.tessera.proto.vtctldata.ExecuteFetchAsDBAResponse;
import io.tessera.proto.vtctldata.ExportTopologyRequest;
import io.tessera.proto.vtctldata.ExportTopologyResponse;
import io.tessera.proto.vtctldata.FindAllShardsInKeyspaceRequest;
import io.tessera.proto.vtctldata.FindAllShardsInKeyspaceResponse;
import io.tessera.proto.vtctldata.GetCellInfoNamesRequest;
import io.tessera.proto.vtctldata.GetCellInfoNamesResponse;
import io.tessera.proto.vtctldata.GetCellInfoRequest;
import io.tessera.proto.vtctldata.GetCellInfoResponse;
import io.tessera.proto.vtctldata.GetFullStatusRequest;
import io.tessera.proto.vtctldata.GetFullStatusResponse;
import io.tessera.proto.vtctldata.GetKeyspaceRequest;
import io.tessera.proto.vtctldata.GetKeyspaceResponse;
import io.tessera.proto.vtctldata.GetKeyspacesRequest;
import io.tessera.proto.vtctldata.GetKeyspacesResponse;
import io.tessera.proto.vtctldata.GetRoutingRulesRequest;
import io.tessera.proto.vtctldata.GetRoutingRulesResponse;
import io.tessera.proto.vtctldata.GetSchemaRequest;
import io.tessera.proto.vtctldata.GetSchemaResponse;
import io.tessera.proto.vtctldata.GetShardReplicationRequest;
import io.tessera.proto.vtctldata.GetShardReplicationResponse;
import io.tessera.proto.vtctldata.GetShardRequest;
import io.tessera.proto.vtctldata.GetShardResponse;
import io.tessera.proto.vtctldata.GetSrvKeyspaceNamesRequest;
import io.tessera.proto.vtctldata.GetSrvKeyspaceNamesResponse;
import io.tessera.proto.vtctldata.GetSrvKeyspacesRequest;
import io.tessera.proto.vtctldata.GetSrvKeyspacesResponse;
import io.tessera.proto.vtctldata.GetSrvVSchemaRequest;
import io.tessera.proto.vtctldata.GetSrvVSchemaResponse;
import io.tessera.proto.vtctldata.GetTabletRequest;
import io.tessera.proto.vtctldata.GetTabletResponse;
import io.tessera.proto.vtctldata.GetTabletsRequest;
import io.tessera.proto.vtctldata.GetTabletsResponse;
import io.tessera.proto.vtctldata.GetVSchemaRequest;
import io.tessera.proto.vtctldata.GetVSchemaResponse;
import io.tessera.proto.vtctldata.ImportTopologyRequest;
import io.tessera.proto.vtctldata.ImportTopologyResponse;
import io.tessera.proto.vtctldata.InitShardPrimaryRequest;
import io.tessera.proto.vtctldata.InitShardPrimaryResponse;
import io.tessera.proto.vtctldata.InitTabletRequest;
import io.tessera.proto.vtctldata.InitTabletResponse;
import io.tessera.proto.vtctldata.PingTabletRequest;
import io.tessera.proto.vtctldata.PingTabletResponse;
import io.tessera.proto.vtctldata.PlannedReparentShardRequest;
import io.tessera.proto.vtctldata.PlannedReparentShardResponse;
import io.tessera.proto.vtctldata.RebuildKeyspaceGraphRequest;
import io.tessera.proto.vtctldata.RebuildKeyspaceGraphResponse;
import io.tessera.proto.vtctldata.RebuildVSchemaGraphRequest;
import io.tessera.proto.vtctldata.RebuildVSchemaGraphResponse;
import io.tessera.proto.vtctldata.RefreshStateByShardRequest;
import io.tessera.proto.vtctldata.RefreshStateByShardResponse;
import io.tessera.proto.vtctldata.RefreshStateRequest;
import io.tessera.proto.vtctldata.RefreshStateResponse;
import io.tessera.proto.vtctldata.ReloadSchemaKeyspaceRequest;
import io.tessera.proto.vtctldata.ReloadSchemaKeyspaceResponse;
import io.tessera.proto.vtctldata.ReloadSchemaRequest;
import io.tessera.proto.vtctldata.ReloadSchemaResponse;
import io.tessera.proto.vtctldata.ReloadSchemaShardRequest;
import io.tessera.proto.vtctldata.ReloadSchemaShardResponse;
import io.tessera.proto.vtctldata.ReparentTabletRequest;
import io.tessera.proto.vtctldata.ReparentTabletResponse;
import io.tessera.proto.vtctldata.SetKeyspaceDurabilityPolicyRequest;
import io.tessera.proto.vtctldata.SetKeyspaceDurabilityPolicyResponse;
import io.tessera.proto.vtctldata.SetShardTabletControlRequest;
import io.tessera.proto.vtctldata.SetShardTabletControlResponse;
import io.tessera.proto.vtctldata.SetWritableRequest;
import io.tessera.proto.vtctldata.SetWritableResponse;
import io.tessera.proto.vtctldata.ShardReplicationPositionsRequest;
import io.tessera.proto.vtctldata.ShardReplicationPositionsResponse;
import io.tessera.proto.vtctldata.StartReplicationRequest;
import io.tessera.proto.vtctldata.StartReplicationResponse;
import io.tessera.proto.vtctldata.StopReplicationRequest;
import io.tessera.proto.vtctldata.StopReplicationResponse;
import io.tessera.proto.vtctldata.TabletExternallyReparentedRequest;
import io.tessera.proto.vtctldata.TabletExternallyReparentedResponse;
import io.tessera.proto.vtctldata.UpdateCellInfoRequest;
import io.tessera.proto.vtctldata.UpdateCellInfoResponse;
import io.tessera.proto.vtctlservice.VtctldGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake tessera-ctld for tests: every RPC records its request and answers with the response set for it (or an
 * empty one), or fails with the error set for it, sent the way the real daemon sends errors (status plus the
 * {@value GrpcErrors#TRAILER_NAME} trailer).
 */
final class FakeVtctld extends VtctldGrpc.VtctldImplBase {
    /** A request as received, with the RPC it came on. */
    record Received(String method, Message request) {}

    private final List<Received> received = new ArrayList<>();
    private final Map<String, Message> responses = new ConcurrentHashMap<>();
    private final Map<String, RuntimeException> errors = new ConcurrentHashMap<>();

    /** Answer {@code method} with {@code response}. */
    FakeVtctld respond(String method, Message response) {
        responses.put(method, response);
        return this;
    }

    /** Fail {@code method} with {@code error} (converted by {@link GrpcErrors#toStatus}). */
    FakeVtctld fail(String method, RuntimeException error) {
        errors.put(method, error);
        return this;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    synchronized Received last() {
        return received.getLast();
    }

    synchronized void clear() {
        received.clear();
    }

    @SuppressWarnings("unchecked")
    private <R extends Message> void handle(String method, Message request, StreamObserver<R> response, R empty) {
        synchronized (this) {
            received.add(new Received(method, request));
        }
        RuntimeException error = errors.get(method);
        if (error != null) {
            response.onError(GrpcErrors.toStatus(error));
            return;
        }
        response.onNext((R) responses.getOrDefault(method, empty));
        response.onCompleted();
    }

    @Override
    public void addCellInfo(AddCellInfoRequest request, StreamObserver<AddCellInfoResponse> response) {
        handle("AddCellInfo", request, response, AddCellInfoResponse.getDefaultInstance());
    }

    @Override
    public void getCellInfo(GetCellInfoRequest request, StreamObserver<GetCellInfoResponse> response) {
        handle("GetCellInfo", request, response, GetCellInfoResponse.getDefaultInstance());
    }

    @Override
    public void getCellInfoNames(GetCellInfoNamesRequest request, StreamObserver<GetCellInfoNamesResponse> response) {
        handle("GetCellInfoNames", request, response, GetCellInfoNamesResponse.getDefaultInstance());
    }

    @Override
    public void updateCellInfo(UpdateCellInfoRequest request, StreamObserver<UpdateCellInfoResponse> response) {
        handle("UpdateCellInfo", request, response, UpdateCellInfoResponse.getDefaultInstance());
    }

    @Override
    public void deleteCellInfo(DeleteCellInfoRequest request, StreamObserver<DeleteCellInfoResponse> response) {
        handle("DeleteCellInfo", request, response, DeleteCellInfoResponse.getDefaultInstance());
    }

    @Override
    public void createKeyspace(CreateKeyspaceRequest request, StreamObserver<CreateKeyspaceResponse> response) {
        handle("CreateKeyspace", request, response, CreateKeyspaceResponse.getDefaultInstance());
    }

    @Override
    public void getKeyspace(GetKeyspaceRequest request, StreamObserver<GetKeyspaceResponse> response) {
        handle("GetKeyspace", request, response, GetKeyspaceResponse.getDefaultInstance());
    }

    @Override
    public void getKeyspaces(GetKeyspacesRequest request, StreamObserver<GetKeyspacesResponse> response) {
        handle("GetKeyspaces", request, response, GetKeyspacesResponse.getDefaultInstance());
    }

    @Override
    public void deleteKeyspace(DeleteKeyspaceRequest request, StreamObserver<DeleteKeyspaceResponse> response) {
        handle("DeleteKeyspace", request, response, DeleteKeyspaceResponse.getDefaultInstance());
    }

    @Override
    public void setKeyspaceDurabilityPolicy(SetKeyspaceDurabilityPolicyRequest request, StreamObserver<SetKeyspaceDurabilityPolicyResponse> response) {
        handle("SetKeyspaceDurabilityPolicy", request, response, SetKeyspaceDurabilityPolicyResponse.getDefaultInstance());
    }

    @Override
    public void createShard(CreateShardRequest request, StreamObserver<CreateShardResponse> response) {
        handle("CreateShard", request, response, CreateShardResponse.getDefaultInstance());
    }

    @Override
    public void getShard(GetShardRequest request, StreamObserver<GetShardResponse> response) {
        handle("GetShard", request, response, GetShardResponse.getDefaultInstance());
    }

    @Override
    public void deleteShards(DeleteShardsRequest request, StreamObserver<DeleteShardsResponse> response) {
        handle("DeleteShards", request, response, DeleteShardsResponse.getDefaultInstance());
    }

    @Override
    public void findAllShardsInKeyspace(FindAllShardsInKeyspaceRequest request, StreamObserver<FindAllShardsInKeyspaceResponse> response) {
        handle("FindAllShardsInKeyspace", request, response, FindAllShardsInKeyspaceResponse.getDefaultInstance());
    }

    @Override
    public void setShardTabletControl(SetShardTabletControlRequest request, StreamObserver<SetShardTabletControlResponse> response) {
        handle("SetShardTabletControl", request, response, SetShardTabletControlResponse.getDefaultInstance());
    }

    @Override
    public void getShardReplication(GetShardReplicationRequest request, StreamObserver<GetShardReplicationResponse> response) {
        handle("GetShardReplication", request, response, GetShardReplicationResponse.getDefaultInstance());
    }

    @Override
    public void shardReplicationPositions(ShardReplicationPositionsRequest request, StreamObserver<ShardReplicationPositionsResponse> response) {
        handle("ShardReplicationPositions", request, response, ShardReplicationPositionsResponse.getDefaultInstance());
    }

    @Override
    public void initTablet(InitTabletRequest request, StreamObserver<InitTabletResponse> response) {
        handle("InitTablet", request, response, InitTabletResponse.getDefaultInstance());
    }

    @Override
    public void getTablet(GetTabletRequest request, StreamObserver<GetTabletResponse> response) {
        handle("GetTablet", request, response, GetTabletResponse.getDefaultInstance());
    }

    @Override
    public void getTablets(GetTabletsRequest request, StreamObserver<GetTabletsResponse> response) {
        handle("GetTablets", request, response, GetTabletsResponse.getDefaultInstance());
    }

    @Override
    public void deleteTablets(DeleteTabletsRequest request, StreamObserver<DeleteTabletsResponse> response) {
        handle("DeleteTablets", request, response, DeleteTabletsResponse.getDefaultInstance());
    }

    @Override
    public void changeTabletType(ChangeTabletTypeRequest request, StreamObserver<ChangeTabletTypeResponse> response) {
        handle("ChangeTabletType", request, response, ChangeTabletTypeResponse.getDefaultInstance());
    }

    @Override
    public void pingTablet(PingTabletRequest request, StreamObserver<PingTabletResponse> response) {
        handle("PingTablet", request, response, PingTabletResponse.getDefaultInstance());
    }

    @Override
    public void refreshState(RefreshStateRequest request, StreamObserver<RefreshStateResponse> response) {
        handle("RefreshState", request, response, RefreshStateResponse.getDefaultInstance());
    }

    @Override
    public void refreshStateByShard(RefreshStateByShardRequest request, StreamObserver<RefreshStateByShardResponse> response) {
        handle("RefreshStateByShard", request, response, RefreshStateByShardResponse.getDefaultInstance());
    }

    @Override
    public void setWritable(SetWritableRequest request, StreamObserver<SetWritableResponse> response) {
        handle("SetWritable", request, response, SetWritableResponse.getDefaultInstance());
    }

    @Override
    public void startReplication(StartReplicationRequest request, StreamObserver<StartReplicationResponse> response) {
        handle("StartReplication", request, response, StartReplicationResponse.getDefaultInstance());
    }

    @Override
    public void stopReplication(StopReplicationRequest request, StreamObserver<StopReplicationResponse> response) {
        handle("StopReplication", request, response, StopReplicationResponse.getDefaultInstance());
    }

    @Override
    public void getFullStatus(GetFullStatusRequest request, StreamObserver<GetFullStatusResponse> response) {
        handle("GetFullStatus", request, response, GetFullStatusResponse.getDefaultInstance());
    }

    @Override
    public void executeFetchAsDBA(ExecuteFetchAsDBARequest request, StreamObserver<ExecuteFetchAsDBAResponse> response) {
        handle("ExecuteFetchAsDBA", request, response, ExecuteFetchAsDBAResponse.getDefaultInstance());
    }

    @Override
    public void executeFetchAsApp(ExecuteFetchAsAppRequest request, StreamObserver<ExecuteFetchAsAppResponse> response) {
        handle("ExecuteFetchAsApp", request, response, ExecuteFetchAsAppResponse.getDefaultInstance());
    }

    @Override
    public void initShardPrimary(InitShardPrimaryRequest request, StreamObserver<InitShardPrimaryResponse> response) {
        handle("InitShardPrimary", request, response, InitShardPrimaryResponse.getDefaultInstance());
    }

    @Override
    public void plannedReparentShard(PlannedReparentShardRequest request, StreamObserver<PlannedReparentShardResponse> response) {
        handle("PlannedReparentShard", request, response, PlannedReparentShardResponse.getDefaultInstance());
    }

    @Override
    public void emergencyReparentShard(EmergencyReparentShardRequest request, StreamObserver<EmergencyReparentShardResponse> response) {
        handle("EmergencyReparentShard", request, response, EmergencyReparentShardResponse.getDefaultInstance());
    }

    @Override
    public void tabletExternallyReparented(TabletExternallyReparentedRequest request, StreamObserver<TabletExternallyReparentedResponse> response) {
        handle("TabletExternallyReparented", request, response, TabletExternallyReparentedResponse.getDefaultInstance());
    }

    @Override
    public void reparentTablet(ReparentTabletRequest request, StreamObserver<ReparentTabletResponse> response) {
        handle("ReparentTablet", request, response, ReparentTabletResponse.getDefaultInstance());
    }

    @Override
    public void getSchema(GetSchemaRequest request, StreamObserver<GetSchemaResponse> response) {
        handle("GetSchema", request, response, GetSchemaResponse.getDefaultInstance());
    }

    @Override
    public void applySchema(ApplySchemaRequest request, StreamObserver<ApplySchemaResponse> response) {
        handle("ApplySchema", request, response, ApplySchemaResponse.getDefaultInstance());
    }

    @Override
    public void reloadSchema(ReloadSchemaRequest request, StreamObserver<ReloadSchemaResponse> response) {
        handle("ReloadSchema", request, response, ReloadSchemaResponse.getDefaultInstance());
    }

    @Override
    public void reloadSchemaShard(ReloadSchemaShardRequest request, StreamObserver<ReloadSchemaShardResponse> response) {
        handle("ReloadSchemaShard", request, response, ReloadSchemaShardResponse.getDefaultInstance());
    }

    @Override
    public void reloadSchemaKeyspace(ReloadSchemaKeyspaceRequest request, StreamObserver<ReloadSchemaKeyspaceResponse> response) {
        handle("ReloadSchemaKeyspace", request, response, ReloadSchemaKeyspaceResponse.getDefaultInstance());
    }

    @Override
    public void getVSchema(GetVSchemaRequest request, StreamObserver<GetVSchemaResponse> response) {
        handle("GetVSchema", request, response, GetVSchemaResponse.getDefaultInstance());
    }

    @Override
    public void applyVSchema(ApplyVSchemaRequest request, StreamObserver<ApplyVSchemaResponse> response) {
        handle("ApplyVSchema", request, response, ApplyVSchemaResponse.getDefaultInstance());
    }

    @Override
    public void getRoutingRules(GetRoutingRulesRequest request, StreamObserver<GetRoutingRulesResponse> response) {
        handle("GetRoutingRules", request, response, GetRoutingRulesResponse.getDefaultInstance());
    }

    @Override
    public void applyRoutingRules(ApplyRoutingRulesRequest request, StreamObserver<ApplyRoutingRulesResponse> response) {
        handle("ApplyRoutingRules", request, response, ApplyRoutingRulesResponse.getDefaultInstance());
    }

    @Override
    public void rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest request, StreamObserver<RebuildKeyspaceGraphResponse> response) {
        handle("RebuildKeyspaceGraph", request, response, RebuildKeyspaceGraphResponse.getDefaultInstance());
    }

    @Override
    public void rebuildVSchemaGraph(RebuildVSchemaGraphRequest request, StreamObserver<RebuildVSchemaGraphResponse> response) {
        handle("RebuildVSchemaGraph", request, response, RebuildVSchemaGraphResponse.getDefaultInstance());
    }

    @Override
    public void getSrvKeyspaces(GetSrvKeyspacesRequest request, StreamObserver<GetSrvKeyspacesResponse> response) {
        handle("GetSrvKeyspaces", request, response, GetSrvKeyspacesResponse.getDefaultInstance());
    }

    @Override
    public void getSrvKeyspaceNames(GetSrvKeyspaceNamesRequest request, StreamObserver<GetSrvKeyspaceNamesResponse> response) {
        handle("GetSrvKeyspaceNames", request, response, GetSrvKeyspaceNamesResponse.getDefaultInstance());
    }

    @Override
    public void getSrvVSchema(GetSrvVSchemaRequest request, StreamObserver<GetSrvVSchemaResponse> response) {
        handle("GetSrvVSchema", request, response, GetSrvVSchemaResponse.getDefaultInstance());
    }

    @Override
    public void exportTopology(ExportTopologyRequest request, StreamObserver<ExportTopologyResponse> response) {
        handle("ExportTopology", request, response, ExportTopologyResponse.getDefaultInstance());
    }

    @Override
    public void importTopology(ImportTopologyRequest request, StreamObserver<ImportTopologyResponse> response) {
        handle("ImportTopology", request, response, ImportTopologyResponse.getDefaultInstance());
    }
}
