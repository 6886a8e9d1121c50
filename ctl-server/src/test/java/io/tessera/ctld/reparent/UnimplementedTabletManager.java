package io.tessera.ctld.reparent;

import io.tessera.proto.tabletmanagerdata.*;
import io.tessera.proto.vtrpc.Code;
import io.tessera.tabletmanager.TabletManagerClient;
import io.tessera.tabletmanager.TabletManagerException;

/** A tablet manager that answers UNIMPLEMENTED to everything; fakes override what a test needs. */
abstract class UnimplementedTabletManager implements TabletManagerClient {
    static TabletManagerException unimplemented(String call) {
        return new TabletManagerException(Code.UNIMPLEMENTED, call + " is not faked");
    }

    @Override
    public PingResponse ping(PingRequest request) {
        throw unimplemented("ping");
    }

    @Override
    public GetSchemaResponse getSchema(GetSchemaRequest request) {
        throw unimplemented("getSchema");
    }

    @Override
    public ReloadSchemaResponse reloadSchema(ReloadSchemaRequest request) {
        throw unimplemented("reloadSchema");
    }

    @Override
    public ExecuteFetchAsDbaResponse executeFetchAsDba(ExecuteFetchAsDbaRequest request) {
        throw unimplemented("executeFetchAsDba");
    }

    @Override
    public ExecuteFetchAsAppResponse executeFetchAsApp(ExecuteFetchAsAppRequest request) {
        throw unimplemented("executeFetchAsApp");
    }

    @Override
    public SetReadOnlyResponse setReadOnly(SetReadOnlyRequest request) {
        throw unimplemented("setReadOnly");
    }

    @Override
    public SetReadWriteResponse setReadWrite(SetReadWriteRequest request) {
        throw unimplemented("setReadWrite");
    }

    @Override
    public ChangeTypeResponse changeType(ChangeTypeRequest request) {
        throw unimplemented("changeType");
    }

    @Override
    public RefreshStateResponse refreshState(RefreshStateRequest request) {
        throw unimplemented("refreshState");
    }

    @Override
    public ReplicationStatusResponse replicationStatus(ReplicationStatusRequest request) {
        throw unimplemented("replicationStatus");
    }

    @Override
    public PrimaryStatusResponse primaryStatus(PrimaryStatusRequest request) {
        throw unimplemented("primaryStatus");
    }

    @Override
    public PrimaryPositionResponse primaryPosition(PrimaryPositionRequest request) {
        throw unimplemented("primaryPosition");
    }

    @Override
    public WaitForPositionResponse waitForPosition(WaitForPositionRequest request) {
        throw unimplemented("waitForPosition");
    }

    @Override
    public StopReplicationResponse stopReplication(StopReplicationRequest request) {
        throw unimplemented("stopReplication");
    }

    @Override
    public StopReplicationMinimumResponse stopReplicationMinimum(StopReplicationMinimumRequest request) {
        throw unimplemented("stopReplicationMinimum");
    }

    @Override
    public StopReplicationAndGetStatusResponse stopReplicationAndGetStatus(StopReplicationAndGetStatusRequest request) {
        throw unimplemented("stopReplicationAndGetStatus");
    }

    @Override
    public StartReplicationResponse startReplication(StartReplicationRequest request) {
        throw unimplemented("startReplication");
    }

    @Override
    public ResetReplicationResponse resetReplication(ResetReplicationRequest request) {
        throw unimplemented("resetReplication");
    }

    @Override
    public ResetReplicationParametersResponse resetReplicationParameters(ResetReplicationParametersRequest request) {
        throw unimplemented("resetReplicationParameters");
    }

    @Override
    public InitPrimaryResponse initPrimary(InitPrimaryRequest request) {
        throw unimplemented("initPrimary");
    }

    @Override
    public InitReplicaResponse initReplica(InitReplicaRequest request) {
        throw unimplemented("initReplica");
    }

    @Override
    public DemotePrimaryResponse demotePrimary(DemotePrimaryRequest request) {
        throw unimplemented("demotePrimary");
    }

    @Override
    public UndoDemotePrimaryResponse undoDemotePrimary(UndoDemotePrimaryRequest request) {
        throw unimplemented("undoDemotePrimary");
    }

    @Override
    public PromoteReplicaResponse promoteReplica(PromoteReplicaRequest request) {
        throw unimplemented("promoteReplica");
    }

    @Override
    public PopulateReparentJournalResponse populateReparentJournal(PopulateReparentJournalRequest request) {
        throw unimplemented("populateReparentJournal");
    }

    @Override
    public ReadReparentJournalInfoResponse readReparentJournalInfo(ReadReparentJournalInfoRequest request) {
        throw unimplemented("readReparentJournalInfo");
    }

    @Override
    public SetReplicationSourceResponse setReplicationSource(SetReplicationSourceRequest request) {
        throw unimplemented("setReplicationSource");
    }

    @Override
    public ReplicaWasRestartedResponse replicaWasRestarted(ReplicaWasRestartedRequest request) {
        throw unimplemented("replicaWasRestarted");
    }

    @Override
    public ReplicaWasPromotedResponse replicaWasPromoted(ReplicaWasPromotedRequest request) {
        throw unimplemented("replicaWasPromoted");
    }

    @Override
    public FullStatusResponse fullStatus(FullStatusRequest request) {
        throw unimplemented("fullStatus");
    }

}
