package io.tessera.tabletmanager;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.tessera.proto.tabletmanagerdata.*;
import io.tessera.proto.tabletmanagerservice.TabletManagerGrpc;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC face of a tablet's manager: each {@code TabletManager} RPC is handed to a {@link TabletManagerClient}
 * (the tablet's real manager) and its {@link TabletManagerException} is turned into a gRPC status that the
 * {@linkplain TabletManagerClients client} turns back into the same exception. Nothing else happens here.
 *
 * <p>RPCs the tablet does not implement yet answer {@code UNIMPLEMENTED} with a message naming what is missing.
 * Handlers block (waits for replication positions do), so the server should run them on an executor that can
 * afford it, such as virtual threads.
 */
public final class TabletManagerGrpcService extends TabletManagerGrpc.TabletManagerImplBase {
    private static final Logger log = LoggerFactory.getLogger(TabletManagerGrpcService.class);

    private final TabletManagerClient manager;

    /** Serves {@code manager}'s calls. */
    public TabletManagerGrpcService(TabletManagerClient manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @Override
    public void ping(PingRequest request, StreamObserver<PingResponse> out) {
        unary("Ping", request, out, manager::ping);
    }

    @Override
    public void executeFetchAsDba(ExecuteFetchAsDbaRequest request, StreamObserver<ExecuteFetchAsDbaResponse> out) {
        unary("ExecuteFetchAsDba", request, out, manager::executeFetchAsDba);
    }

    @Override
    public void executeFetchAsApp(ExecuteFetchAsAppRequest request, StreamObserver<ExecuteFetchAsAppResponse> out) {
        unary("ExecuteFetchAsApp", request, out, manager::executeFetchAsApp);
    }

    @Override
    public void setReadOnly(SetReadOnlyRequest request, StreamObserver<SetReadOnlyResponse> out) {
        unary("SetReadOnly", request, out, manager::setReadOnly);
    }

    @Override
    public void setReadWrite(SetReadWriteRequest request, StreamObserver<SetReadWriteResponse> out) {
        unary("SetReadWrite", request, out, manager::setReadWrite);
    }

    @Override
    public void changeType(ChangeTypeRequest request, StreamObserver<ChangeTypeResponse> out) {
        unary("ChangeType", request, out, manager::changeType);
    }

    @Override
    public void refreshState(RefreshStateRequest request, StreamObserver<RefreshStateResponse> out) {
        unary("RefreshState", request, out, manager::refreshState);
    }

    @Override
    public void replicationStatus(ReplicationStatusRequest request, StreamObserver<ReplicationStatusResponse> out) {
        unary("ReplicationStatus", request, out, manager::replicationStatus);
    }

    @Override
    public void primaryStatus(PrimaryStatusRequest request, StreamObserver<PrimaryStatusResponse> out) {
        unary("PrimaryStatus", request, out, manager::primaryStatus);
    }

    @Override
    public void primaryPosition(PrimaryPositionRequest request, StreamObserver<PrimaryPositionResponse> out) {
        unary("PrimaryPosition", request, out, manager::primaryPosition);
    }

    @Override
    public void waitForPosition(WaitForPositionRequest request, StreamObserver<WaitForPositionResponse> out) {
        unary("WaitForPosition", request, out, manager::waitForPosition);
    }

    @Override
    public void stopReplication(StopReplicationRequest request, StreamObserver<StopReplicationResponse> out) {
        unary("StopReplication", request, out, manager::stopReplication);
    }

    @Override
    public void stopReplicationMinimum(StopReplicationMinimumRequest request,
            StreamObserver<StopReplicationMinimumResponse> out) {
        unary("StopReplicationMinimum", request, out, manager::stopReplicationMinimum);
    }

    @Override
    public void stopReplicationAndGetStatus(StopReplicationAndGetStatusRequest request,
            StreamObserver<StopReplicationAndGetStatusResponse> out) {
        unary("StopReplicationAndGetStatus", request, out, manager::stopReplicationAndGetStatus);
    }

    @Override
    public void startReplication(StartReplicationRequest request, StreamObserver<StartReplicationResponse> out) {
        unary("StartReplication", request, out, manager::startReplication);
    }

    @Override
    public void resetReplication(ResetReplicationRequest request, StreamObserver<ResetReplicationResponse> out) {
        unary("ResetReplication", request, out, manager::resetReplication);
    }

    @Override
    public void resetReplicationParameters(ResetReplicationParametersRequest request,
            StreamObserver<ResetReplicationParametersResponse> out) {
        unary("ResetReplicationParameters", request, out, manager::resetReplicationParameters);
    }

    @Override
    public void initPrimary(InitPrimaryRequest request, StreamObserver<InitPrimaryResponse> out) {
        unary("InitPrimary", request, out, manager::initPrimary);
    }

    @Override
    public void initReplica(InitReplicaRequest request, StreamObserver<InitReplicaResponse> out) {
        unary("InitReplica", request, out, manager::initReplica);
    }

    @Override
    public void demotePrimary(DemotePrimaryRequest request, StreamObserver<DemotePrimaryResponse> out) {
        unary("DemotePrimary", request, out, manager::demotePrimary);
    }

    @Override
    public void undoDemotePrimary(UndoDemotePrimaryRequest request, StreamObserver<UndoDemotePrimaryResponse> out) {
        unary("UndoDemotePrimary", request, out, manager::undoDemotePrimary);
    }

    @Override
    public void promoteReplica(PromoteReplicaRequest request, StreamObserver<PromoteReplicaResponse> out) {
        unary("PromoteReplica", request, out, manager::promoteReplica);
    }

    @Override
    public void populateReparentJournal(PopulateReparentJournalRequest request,
            StreamObserver<PopulateReparentJournalResponse> out) {
        unary("PopulateReparentJournal", request, out, manager::populateReparentJournal);
    }

    @Override
    public void readReparentJournalInfo(ReadReparentJournalInfoRequest request,
            StreamObserver<ReadReparentJournalInfoResponse> out) {
        unary("ReadReparentJournalInfo", request, out, manager::readReparentJournalInfo);
    }

    @Override
    public void setReplicationSource(SetReplicationSourceRequest request,
            StreamObserver<SetReplicationSourceResponse> out) {
        unary("SetReplicationSource", request, out, manager::setReplicationSource);
    }

    @Override
    public void replicaWasRestarted(ReplicaWasRestartedRequest request,
            StreamObserver<ReplicaWasRestartedResponse> out) {
        unary("ReplicaWasRestarted", request, out, manager::replicaWasRestarted);
    }

    @Override
    public void replicaWasPromoted(ReplicaWasPromotedRequest request, StreamObserver<ReplicaWasPromotedResponse> out) {
        unary("ReplicaWasPromoted", request, out, manager::replicaWasPromoted);
    }

    @Override
    public void fullStatus(FullStatusRequest request, StreamObserver<FullStatusResponse> out) {
        unary("FullStatus", request, out, manager::fullStatus);
    }

    // ---- not implemented yet: say so, and say why ----------------------------------------------------------

    @Override
    public void sleep(SleepRequest request, StreamObserver<SleepResponse> out) {
        unimplemented("Sleep", "it exists for concurrency tests of Vitess's action lock and has no use here", out);
    }

    @Override
    public void getSchema(GetSchemaRequest request, StreamObserver<GetSchemaResponse> out) {
        unary("GetSchema", request, out, manager::getSchema);
    }

    @Override
    public void reloadSchema(ReloadSchemaRequest request, StreamObserver<ReloadSchemaResponse> out) {
        unary("ReloadSchema", request, out, manager::reloadSchema);
    }

    @Override
    public void preflightSchema(PreflightSchemaRequest request, StreamObserver<PreflightSchemaResponse> out) {
        unimplemented("PreflightSchema", SCHEMA_ENGINE, out);
    }

    @Override
    public void applySchema(ApplySchemaRequest request, StreamObserver<ApplySchemaResponse> out) {
        unimplemented("ApplySchema", SCHEMA_ENGINE + "; run the DDL with ExecuteFetchAsDba meanwhile", out);
    }

    @Override
    public void getPermissions(GetPermissionsRequest request, StreamObserver<GetPermissionsResponse> out) {
        unimplemented("GetPermissions", "permission comparison is not built yet", out);
    }

    @Override
    public void runHealthCheck(RunHealthCheckRequest request, StreamObserver<RunHealthCheckResponse> out) {
        unimplemented("RunHealthCheck", "the tablet's health reporting is served by the Query service's StreamHealth",
                out);
    }

    @Override
    public void executeMultiFetchAsDba(ExecuteMultiFetchAsDbaRequest request,
            StreamObserver<ExecuteMultiFetchAsDbaResponse> out) {
        unimplemented("ExecuteMultiFetchAsDba", "send the statements one by one with ExecuteFetchAsDba", out);
    }

    @Override
    public void executeFetchAsAllPrivs(ExecuteFetchAsAllPrivsRequest request,
            StreamObserver<ExecuteFetchAsAllPrivsResponse> out) {
        unimplemented("ExecuteFetchAsAllPrivs", "the tablet has no all-privileges user; use ExecuteFetchAsDba", out);
    }

    @Override
    public void startReplicationUntilAfter(StartReplicationUntilAfterRequest request,
            StreamObserver<StartReplicationUntilAfterResponse> out) {
        unimplemented("StartReplicationUntilAfter", "no reparent step uses it yet", out);
    }

    @Override
    public void getReplicas(GetReplicasRequest request, StreamObserver<GetReplicasResponse> out) {
        unimplemented("GetReplicas", "list the shard's tablets from the topology instead", out);
    }

    @Override
    public void backup(BackupRequest request, StreamObserver<BackupResponse> out) {
        unimplemented("Backup", "backups are not built yet", out);
    }

    @Override
    public void restoreFromBackup(RestoreFromBackupRequest request, StreamObserver<RestoreFromBackupResponse> out) {
        unimplemented("RestoreFromBackup", "backups are not built yet", out);
    }

    private static final String SCHEMA_ENGINE = "schema changes through the tablet are not built yet; use "
            + "ExecuteFetchAsDba";

    private static <Q, R> void unary(String method, Q request, StreamObserver<R> out, Function<Q, R> call) {
        R response;
        try {
            response = call.apply(request);
        } catch (TabletManagerException e) {
            out.onError(RpcStatuses.toStatus(e));
            return;
        } catch (RuntimeException e) {
            log.error("{} failed unexpectedly", method, e);
            out.onError(RpcStatuses.toStatus(TabletManagerException.internal(
                    method + " failed unexpectedly: " + e, e)));
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }

    private static void unimplemented(String method, String why, StreamObserver<?> out) {
        out.onError(Status.UNIMPLEMENTED.withDescription(method + " is not implemented by this tablet: " + why)
                .asRuntimeException());
    }
}
