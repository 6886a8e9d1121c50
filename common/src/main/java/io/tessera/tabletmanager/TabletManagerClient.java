package io.tessera.tabletmanager;

import io.tessera.proto.tabletmanagerdata.ChangeTypeRequest;
import io.tessera.proto.tabletmanagerdata.ChangeTypeResponse;
import io.tessera.proto.tabletmanagerdata.DemotePrimaryRequest;
import io.tessera.proto.tabletmanagerdata.DemotePrimaryResponse;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsAppRequest;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsAppResponse;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsDbaRequest;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsDbaResponse;
import io.tessera.proto.tabletmanagerdata.FullStatusRequest;
import io.tessera.proto.tabletmanagerdata.FullStatusResponse;
import io.tessera.proto.tabletmanagerdata.InitPrimaryRequest;
import io.tessera.proto.tabletmanagerdata.InitPrimaryResponse;
import io.tessera.proto.tabletmanagerdata.InitReplicaRequest;
import io.tessera.proto.tabletmanagerdata.InitReplicaResponse;
import io.tessera.proto.tabletmanagerdata.PingRequest;
import io.tessera.proto.tabletmanagerdata.GetSchemaRequest;
import io.tessera.proto.tabletmanagerdata.GetSchemaResponse;
import io.tessera.proto.tabletmanagerdata.PingResponse;
import io.tessera.proto.tabletmanagerdata.ReloadSchemaRequest;
import io.tessera.proto.tabletmanagerdata.ReloadSchemaResponse;
import io.tessera.proto.tabletmanagerdata.PopulateReparentJournalRequest;
import io.tessera.proto.tabletmanagerdata.PopulateReparentJournalResponse;
import io.tessera.proto.tabletmanagerdata.PrimaryPositionRequest;
import io.tessera.proto.tabletmanagerdata.PrimaryPositionResponse;
import io.tessera.proto.tabletmanagerdata.PrimaryStatusRequest;
import io.tessera.proto.tabletmanagerdata.PrimaryStatusResponse;
import io.tessera.proto.tabletmanagerdata.PromoteReplicaRequest;
import io.tessera.proto.tabletmanagerdata.PromoteReplicaResponse;
import io.tessera.proto.tabletmanagerdata.ReadReparentJournalInfoRequest;
import io.tessera.proto.tabletmanagerdata.ReadReparentJournalInfoResponse;
import io.tessera.proto.tabletmanagerdata.RefreshStateRequest;
import io.tessera.proto.tabletmanagerdata.RefreshStateResponse;
import io.tessera.proto.tabletmanagerdata.ReplicaWasPromotedRequest;
import io.tessera.proto.tabletmanagerdata.ReplicaWasPromotedResponse;
import io.tessera.proto.tabletmanagerdata.ReplicaWasRestartedRequest;
import io.tessera.proto.tabletmanagerdata.ReplicaWasRestartedResponse;
import io.tessera.proto.tabletmanagerdata.ReplicationStatusRequest;
import io.tessera.proto.tabletmanagerdata.ReplicationStatusResponse;
import io.tessera.proto.tabletmanagerdata.ResetReplicationParametersRequest;
import io.tessera.proto.tabletmanagerdata.ResetReplicationParametersResponse;
import io.tessera.proto.tabletmanagerdata.ResetReplicationRequest;
import io.tessera.proto.tabletmanagerdata.ResetReplicationResponse;
import io.tessera.proto.tabletmanagerdata.SetReadOnlyRequest;
import io.tessera.proto.tabletmanagerdata.SetReadOnlyResponse;
import io.tessera.proto.tabletmanagerdata.SetReadWriteRequest;
import io.tessera.proto.tabletmanagerdata.SetReadWriteResponse;
import io.tessera.proto.tabletmanagerdata.SetReplicationSourceRequest;
import io.tessera.proto.tabletmanagerdata.SetReplicationSourceResponse;
import io.tessera.proto.tabletmanagerdata.StartReplicationRequest;
import io.tessera.proto.tabletmanagerdata.StartReplicationResponse;
import io.tessera.proto.tabletmanagerdata.StopReplicationAndGetStatusRequest;
import io.tessera.proto.tabletmanagerdata.StopReplicationAndGetStatusResponse;
import io.tessera.proto.tabletmanagerdata.StopReplicationMinimumRequest;
import io.tessera.proto.tabletmanagerdata.StopReplicationMinimumResponse;
import io.tessera.proto.tabletmanagerdata.StopReplicationRequest;
import io.tessera.proto.tabletmanagerdata.StopReplicationResponse;
import io.tessera.proto.tabletmanagerdata.UndoDemotePrimaryRequest;
import io.tessera.proto.tabletmanagerdata.UndoDemotePrimaryResponse;
import io.tessera.proto.tabletmanagerdata.WaitForPositionRequest;
import io.tessera.proto.tabletmanagerdata.WaitForPositionResponse;

/**
 * The control plane of one tablet: the {@code TabletManager} RPCs (tabletmanagerservice.proto) that the control
 * daemon uses to change a tablet's type and to carry out the steps of a reparent, with the semantics of Vitess's
 * tablet manager.
 *
 * <p>The same interface is implemented by the tablet itself (the real manager, in {@code tessera-tablet}), by the
 * gRPC client that reaches a remote tablet ({@link TabletManagerClients}) and by test fakes, so a caller cannot
 * tell them apart. Each method takes and returns the proto messages of its RPC.
 *
 * <p><b>Errors.</b> Every method reports failure with a {@link TabletManagerException} whose
 * {@link TabletManagerException#code() code} says what kind of failure it is (decide by the code, never by the
 * message). A MySQL error keeps its errno and SQLSTATE.
 *
 * <p><b>Deadlines.</b> Calls that wait (for a replication position, for a reparent journal row, for a semi-sync
 * acknowledgement) give up at the deadline of the current {@link io.grpc.Context} when there is one, otherwise at
 * the implementation's default: the gRPC client's per-call timeout, or the tablet's default wait.
 *
 * <p><b>Concurrency.</b> The real implementation runs the calls that change the tablet's state one at a time (an
 * action lock, as in Vitess); status calls and waits do not take that lock.
 */
public interface TabletManagerClient {

    // ---- misc ----------------------------------------------------------------------------------------------

    /** Echoes the payload: proves the tablet answers. */
    PingResponse ping(PingRequest request);

    /**
     * The tablet's schema as read from its MySQL now (tables, views with {@code include_views}, their columns
     * and primary keys), filtered by the request's table names or {@code /regex/} patterns.
     */
    GetSchemaResponse getSchema(GetSchemaRequest request);

    /**
     * Reloads the tablet's schema engine (after waiting for {@code wait_position} when given), so a schema change
     * is announced to the gates through the health stream at once.
     */
    ReloadSchemaResponse reloadSchema(ReloadSchemaRequest request);

    /**
     * Runs one statement on the tablet's MySQL as the dba user, in {@code db_name} or else the tablet's database;
     * with {@code disable_binlogs} the statement is not written to the binary log, so it does not replicate.
     * Refuses a result with more than {@code max_rows} rows (0 means the default of 10,000).
     */
    ExecuteFetchAsDbaResponse executeFetchAsDba(ExecuteFetchAsDbaRequest request);

    /** Runs one statement as the application user, in the tablet's database; read-only servers refuse writes. */
    ExecuteFetchAsAppResponse executeFetchAsApp(ExecuteFetchAsAppRequest request);

    // ---- state ---------------------------------------------------------------------------------------------

    /** Sets MySQL read-only; the tablet type does not change. */
    SetReadOnlyResponse setReadOnly(SetReadOnlyRequest request);

    /** Sets MySQL read-write; the tablet type does not change. */
    SetReadWriteResponse setReadWrite(SetReadWriteRequest request);

    /**
     * Changes the tablet's type in the topology (a PRIMARY gets a new {@code primary_term_start_time}) and
     * applies the semi-sync setting of the new type. Only a REPLICA may become PRIMARY. A PRIMARY that changes to
     * another type is made read-only first.
     */
    ChangeTypeResponse changeType(ChangeTypeRequest request);

    /** Re-reads the tablet's record and its shard's tablet controls from the topology and applies them. */
    RefreshStateResponse refreshState(RefreshStateRequest request);

    // ---- replication ---------------------------------------------------------------------------------------

    /**
     * The replica's replication status.
     *
     * @throws TabletManagerException {@code FAILED_PRECONDITION} when replication is not configured
     */
    ReplicationStatusResponse replicationStatus(ReplicationStatusRequest request);

    /** The server's own binary log coordinates as a source. */
    PrimaryStatusResponse primaryStatus(PrimaryStatusRequest request);

    /** Everything the server has written or applied, as a position. */
    PrimaryPositionResponse primaryPosition(PrimaryPositionRequest request);

    /**
     * Blocks until the server has applied {@code position}.
     *
     * @throws TabletManagerException {@code DEADLINE_EXCEEDED} if the deadline passes first;
     *     {@code FAILED_PRECONDITION} if the server applied a different transaction with the same sequence number
     *     (it diverged from the position's server)
     */
    WaitForPositionResponse waitForPosition(WaitForPositionRequest request);

    /** Stops both replication threads. */
    StopReplicationResponse stopReplication(StopReplicationRequest request);

    /** Waits until replication reaches at least {@code position}, stops it, and reports where it stopped. */
    StopReplicationMinimumResponse stopReplicationMinimum(StopReplicationMinimumRequest request);

    /**
     * Stops replication (both threads, or only the IO thread) and reports the status just before and just after.
     */
    StopReplicationAndGetStatusResponse stopReplicationAndGetStatus(StopReplicationAndGetStatusRequest request);

    /**
     * Starts replication; with {@code semi_sync} the replica acknowledges commits to its primary (refused on
     * tablet types that never acknowledge, such as RDONLY).
     */
    StartReplicationResponse startReplication(StartReplicationRequest request);

    // ---- reparent steps ------------------------------------------------------------------------------------

    /** Erases all replication state: replication configuration, binary logs, GTID history. Destructive. */
    ResetReplicationResponse resetReplication(ResetReplicationRequest request);

    /** Stops replication and forgets the source, keeping binary logs and GTID history. */
    ResetReplicationParametersResponse resetReplicationParameters(ResetReplicationParametersRequest request);

    /**
     * Makes the tablet the first primary of a fresh shard: replication reset, semi-sync on as a source when asked
     * (or when the keyspace's durability policy requires acknowledgements), type PRIMARY, read-write. Returns the
     * position replicas start from.
     */
    InitPrimaryResponse initPrimary(InitPrimaryRequest request);

    /**
     * Points a tablet at its shard's first primary, starting from {@code replication_position}, then waits for
     * the reparent journal row {@code time_created_ns} (when non-zero). Refuses when the tablet holds transactions
     * the position does not contain, since starting there would erase them.
     */
    InitReplicaResponse initReplica(InitReplicaRequest request);

    /**
     * First step of a planned reparent on the old primary: read-only first, then semi-sync off as a source, then
     * the query service told to stop taking writes; returns the final position. The type stays PRIMARY until the
     * tablet is pointed at the new primary.
     */
    DemotePrimaryResponse demotePrimary(DemotePrimaryRequest request);

    /** Reverts {@link #demotePrimary}: semi-sync as asked, read-write, serving again. */
    UndoDemotePrimaryResponse undoDemotePrimary(UndoDemotePrimaryRequest request);

    /**
     * Makes a REPLICA the primary: stops and forgets replication, turns semi-sync on as a source when asked (or
     * required by the durability policy), sets type PRIMARY with a new term, and goes read-write last. Returns
     * the position at promotion.
     */
    PromoteReplicaResponse promoteReplica(PromoteReplicaRequest request);

    /** Writes the reparent journal row on the new primary; with semi-sync on, returns once a replica has it. */
    PopulateReparentJournalResponse populateReparentJournal(PopulateReparentJournalRequest request);

    /** The number of rows in the reparent journal. */
    ReadReparentJournalInfoResponse readReparentJournalInfo(ReadReparentJournalInfoRequest request);

    /**
     * Points the tablet at a (new) primary given by alias and replicates from its own executed position, never
     * from a stale replica position. A PRIMARY-typed tablet becomes REPLICA. Optionally waits for a position and
     * for a reparent journal row.
     */
    SetReplicationSourceResponse setReplicationSource(SetReplicationSourceRequest request);

    /** Tells a tablet that was PRIMARY that another tablet was promoted while it was down: it becomes REPLICA. */
    ReplicaWasRestartedResponse replicaWasRestarted(ReplicaWasRestartedRequest request);

    /** Records in the topology a promotion done outside Tessera: the tablet's type becomes PRIMARY. */
    ReplicaWasPromotedResponse replicaWasPromoted(ReplicaWasPromotedRequest request);

    /** Everything about the server that replication checks and reparents need. */
    FullStatusResponse fullStatus(FullStatusRequest request);
}
