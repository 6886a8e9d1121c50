package io.tessera.tabletmanager;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.tessera.proto.tabletmanagerdata.*;
import io.tessera.proto.tabletmanagerservice.TabletManagerGrpc;
import io.tessera.proto.tabletmanagerservice.TabletManagerGrpc.TabletManagerBlockingStub;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A {@link TabletManagerClient} that calls one tablet over a gRPC channel. Each call gets the client's per-call
 * timeout as its deadline, or the current {@link io.grpc.Context}'s deadline when that is earlier (gRPC keeps
 * the earlier of the two).
 */
final class GrpcTabletManagerClient implements TabletManagerClient {
    private final TabletManagerBlockingStub stub;
    private final String target;
    private final Duration callTimeout;

    /**
     * @param channel the channel to the tablet; owned by the caller
     * @param target the tablet, for messages (alias and address)
     * @param callTimeout the deadline of each call
     */
    GrpcTabletManagerClient(Channel channel, String target, Duration callTimeout) {
        this.stub = TabletManagerGrpc.newBlockingStub(channel);
        this.target = target;
        this.callTimeout = callTimeout;
    }

    private <R> R call(String method, Function<TabletManagerBlockingStub, R> rpc) {
        try {
            return rpc.apply(stub.withDeadlineAfter(callTimeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (StatusRuntimeException e) {
            throw RpcStatuses.fromStatus(e, target, method);
        }
    }

    @Override
    public PingResponse ping(PingRequest request) {
        return call("Ping", s -> s.ping(request));
    }

    @Override
    public GetSchemaResponse getSchema(GetSchemaRequest request) {
        return call("GetSchema", s -> s.getSchema(request));
    }

    @Override
    public ReloadSchemaResponse reloadSchema(ReloadSchemaRequest request) {
        return call("ReloadSchema", s -> s.reloadSchema(request));
    }

    @Override
    public ExecuteFetchAsDbaResponse executeFetchAsDba(ExecuteFetchAsDbaRequest request) {
        return call("ExecuteFetchAsDba", s -> s.executeFetchAsDba(request));
    }

    @Override
    public ExecuteFetchAsAppResponse executeFetchAsApp(ExecuteFetchAsAppRequest request) {
        return call("ExecuteFetchAsApp", s -> s.executeFetchAsApp(request));
    }

    @Override
    public SetReadOnlyResponse setReadOnly(SetReadOnlyRequest request) {
        return call("SetReadOnly", s -> s.setReadOnly(request));
    }

    @Override
    public SetReadWriteResponse setReadWrite(SetReadWriteRequest request) {
        return call("SetReadWrite", s -> s.setReadWrite(request));
    }

    @Override
    public ChangeTypeResponse changeType(ChangeTypeRequest request) {
        return call("ChangeType", s -> s.changeType(request));
    }

    @Override
    public RefreshStateResponse refreshState(RefreshStateRequest request) {
        return call("RefreshState", s -> s.refreshState(request));
    }

    @Override
    public ReplicationStatusResponse replicationStatus(ReplicationStatusRequest request) {
        return call("ReplicationStatus", s -> s.replicationStatus(request));
    }

    @Override
    public PrimaryStatusResponse primaryStatus(PrimaryStatusRequest request) {
        return call("PrimaryStatus", s -> s.primaryStatus(request));
    }

    @Override
    public PrimaryPositionResponse primaryPosition(PrimaryPositionRequest request) {
        return call("PrimaryPosition", s -> s.primaryPosition(request));
    }

    @Override
    public WaitForPositionResponse waitForPosition(WaitForPositionRequest request) {
        return call("WaitForPosition", s -> s.waitForPosition(request));
    }

    @Override
    public StopReplicationResponse stopReplication(StopReplicationRequest request) {
        return call("StopReplication", s -> s.stopReplication(request));
    }

    @Override
    public StopReplicationMinimumResponse stopReplicationMinimum(StopReplicationMinimumRequest request) {
        return call("StopReplicationMinimum", s -> s.stopReplicationMinimum(request));
    }

    @Override
    public StopReplicationAndGetStatusResponse stopReplicationAndGetStatus(
            StopReplicationAndGetStatusRequest request) {
        return call("StopReplicationAndGetStatus", s -> s.stopReplicationAndGetStatus(request));
    }

    @Override
    public StartReplicationResponse startReplication(StartReplicationRequest request) {
        return call("StartReplication", s -> s.startReplication(request));
    }

    @Override
    public ResetReplicationResponse resetReplication(ResetReplicationRequest request) {
        return call("ResetReplication", s -> s.resetReplication(request));
    }

    @Override
    public ResetReplicationParametersResponse resetReplicationParameters(ResetReplicationParametersRequest request) {
        return call("ResetReplicationParameters", s -> s.resetReplicationParameters(request));
    }

    @Override
    public InitPrimaryResponse initPrimary(InitPrimaryRequest request) {
        return call("InitPrimary", s -> s.initPrimary(request));
    }

    @Override
    public InitReplicaResponse initReplica(InitReplicaRequest request) {
        return call("InitReplica", s -> s.initReplica(request));
    }

    @Override
    public DemotePrimaryResponse demotePrimary(DemotePrimaryRequest request) {
        return call("DemotePrimary", s -> s.demotePrimary(request));
    }

    @Override
    public UndoDemotePrimaryResponse undoDemotePrimary(UndoDemotePrimaryRequest request) {
        return call("UndoDemotePrimary", s -> s.undoDemotePrimary(request));
    }

    @Override
    public PromoteReplicaResponse promoteReplica(PromoteReplicaRequest request) {
        return call("PromoteReplica", s -> s.promoteReplica(request));
    }

    @Override
    public PopulateReparentJournalResponse populateReparentJournal(PopulateReparentJournalRequest request) {
        return call("PopulateReparentJournal", s -> s.populateReparentJournal(request));
    }

    @Override
    public ReadReparentJournalInfoResponse readReparentJournalInfo(ReadReparentJournalInfoRequest request) {
        return call("ReadReparentJournalInfo", s -> s.readReparentJournalInfo(request));
    }

    @Override
    public SetReplicationSourceResponse setReplicationSource(SetReplicationSourceRequest request) {
        return call("SetReplicationSource", s -> s.setReplicationSource(request));
    }

    @Override
    public ReplicaWasRestartedResponse replicaWasRestarted(ReplicaWasRestartedRequest request) {
        return call("ReplicaWasRestarted", s -> s.replicaWasRestarted(request));
    }

    @Override
    public ReplicaWasPromotedResponse replicaWasPromoted(ReplicaWasPromotedRequest request) {
        return call("ReplicaWasPromoted", s -> s.replicaWasPromoted(request));
    }

    @Override
    public FullStatusResponse fullStatus(FullStatusRequest request) {
        return call("FullStatus", s -> s.fullStatus(request));
    }

    @Override
    public String toString() {
        return "TabletManagerClient[" + target + "]";
    }
}
