package io.tessera.tablet.manager;

import io.tessera.replication.GtidPosition;
import io.tessera.replication.Positions;

import io.tessera.proto.replicationdata.StopReplicationMode;
import io.tessera.proto.replicationdata.StopReplicationStatus;
import io.tessera.proto.tabletmanagerdata.*;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.tablet.flavor.Flavor;
import io.tessera.tablet.flavor.ReplicationProtos;
import io.tessera.tablet.flavor.ReplicationSource;
import io.tessera.tablet.flavor.ReplicationStatus;
import io.tessera.tablet.mysqlctl.ReplicationParams;
import io.tessera.tabletmanager.TabletManagerClient;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.topo.topoproto.TabletAliases;
import io.tessera.topo.topoproto.TabletTypes;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet's manager: carries out the {@link TabletManagerClient} calls on the tablet's MySQL and topology
 * record, with Vitess's semantics, and tells the query service (through a {@link TabletStateListener}) what it
 * decided. Build one with {@link TabletManagerBuilder}; serve it over gRPC with
 * {@link io.tessera.tabletmanager.TabletManagerGrpcService}.
 *
 * <p>The rules that keep acknowledged writes safe, in every call:
 * <ul>
 *   <li>A server that is told to replicate is made read-only first, and resumes from its own executed position,
 *       never from a stale replica position (see {@link MysqlAdmin#pointAt}).
 *   <li>A promotion goes read-write last, after semi-sync is on, so no write is accepted unprotected.
 *   <li>A demotion goes read-only first, so the position it returns is final.
 *   <li>A primary whose keyspace requires acknowledgements always has semi-sync on, whatever the caller asked,
 *       with a timeout so long that it never falls back to asynchronous replication.
 *   <li>Only PRIMARY and REPLICA tablets acknowledge semi-sync or become primary; an RDONLY tablet never does,
 *       since a write only it had would be lost in a failover.
 * </ul>
 */
public final class TabletManager implements TabletManagerClient {
    private static final Logger log = LoggerFactory.getLogger(TabletManager.class);
    /**
     * How long DemotePrimary waits for read_only before it ends the client sessions, whose table locks may be what
     * it waits for. A whole second: read_only's wait is set in seconds.
     */
    static final Duration SESSION_GRACE = Duration.ofSeconds(1);

    private final TabletManagerConfig config;
    private final MysqlAdmin mysql;
    private final TabletStateKeeper state;
    private final ReparentJournal journal;
    private final FullStatusReader fullStatus;
    private final Fetches fetches;
    private final PositionWaiter positions;
    private final ActionLock actionLock = new ActionLock();

    TabletManager(TabletManagerConfig config, MysqlAdmin mysql, TabletStateKeeper state, SchemaSource schema) {
        this.schema = schema;
        this.config = config;
        this.mysql = mysql;
        this.state = state;
        this.journal = new ReparentJournal(mysql, config.journalPollInterval());
        this.fullStatus = new FullStatusReader(mysql);
        this.fetches = new Fetches(mysql, state, config.defaultMaxRows());
        this.positions = new PositionWaiter(mysql, state.aliasText());
    }

    private final SchemaSource schema;

    /** The tablet's record as the manager last wrote or read it. */
    public Tablet tablet() {
        return state.tablet();
    }

    /** The serving state last given to the listener. */
    public ServingState servingState() {
        return state.current();
    }

    /** The flavor of the tablet's MySQL. */
    public Flavor flavor() {
        return mysql.flavor();
    }

    /** Runs a state-changing call alone, waiting for the action lock no longer than the call's deadline allows. */
    private <T> T locked(String action, Supplier<T> body) {
        Duration wait = CallDeadline.remaining(config.actionLockTimeout(), action + " could take the action lock");
        return actionLock.run(action, wait.compareTo(config.actionLockTimeout()) < 0 ? wait
                : config.actionLockTimeout(), body);
    }

    // ---- misc ----------------------------------------------------------------------------------------------

    @Override
    public PingResponse ping(PingRequest request) {
        return PingResponse.newBuilder().setPayload(request.getPayload()).build();
    }

    @Override
    public ExecuteFetchAsDbaResponse executeFetchAsDba(ExecuteFetchAsDbaRequest request) {
        return ExecuteFetchAsDbaResponse.newBuilder().setResult(fetches.asDba(request)).build();
    }

    @Override
    public ExecuteFetchAsAppResponse executeFetchAsApp(ExecuteFetchAsAppRequest request) {
        return ExecuteFetchAsAppResponse.newBuilder().setResult(fetches.asApp(request)).build();
    }

    // ---- state ---------------------------------------------------------------------------------------------

    @Override
    public SetReadOnlyResponse setReadOnly(SetReadOnlyRequest request) {
        return locked("SetReadOnly", () -> {
            makeReadOnly();
            return SetReadOnlyResponse.getDefaultInstance();
        });
    }

    @Override
    public SetReadWriteResponse setReadWrite(SetReadWriteRequest request) {
        return locked("SetReadWrite", () -> {
            mysql.setReadWrite();
            return SetReadWriteResponse.getDefaultInstance();
        });
    }

    @Override
    public ChangeTypeResponse changeType(ChangeTypeRequest request) {
        TabletType type = request.getTabletType();
        if (type == TabletType.UNKNOWN || type == TabletType.UNRECOGNIZED) {
            throw TabletManagerException.invalidArgument("ChangeType needs a tablet type, got " + type);
        }
        return locked("ChangeType", () -> {
            TabletType current = state.type();
            if (type == TabletType.PRIMARY) {
                requirePromotable("become PRIMARY");
                mysql.setPrimarySemiSync(request.getSemiSync() || state.durability().requiredAcks() > 0);
            } else {
                requireMayAcknowledge(type, request.getSemiSync());
                if (current == TabletType.PRIMARY) {
                    // A tablet that stops being primary must stop taking writes before anyone is told so.
                    makeReadOnly();
                }
                mysql.setPrimarySemiSync(false);
                mysql.setReplicaSemiSync(request.getSemiSync());
            }
            state.changeType(type);
            state.setDemoted(false);
            state.publish();
            return ChangeTypeResponse.getDefaultInstance();
        });
    }

    @Override
    public RefreshStateResponse refreshState(RefreshStateRequest request) {
        return locked("RefreshState", () -> {
            state.refresh();
            state.publish();
            return RefreshStateResponse.getDefaultInstance();
        });
    }

    // ---- replication ---------------------------------------------------------------------------------------

    @Override
    public ReplicationStatusResponse replicationStatus(ReplicationStatusRequest request) {
        return ReplicationStatusResponse.newBuilder()
                .setStatus(ReplicationProtos.toProto(requireReplica("ReplicationStatus"))).build();
    }

    @Override
    public PrimaryStatusResponse primaryStatus(PrimaryStatusRequest request) {
        return PrimaryStatusResponse.newBuilder().setStatus(ReplicationProtos.toProto(mysql.primaryStatus())).build();
    }

    @Override
    public PrimaryPositionResponse primaryPosition(PrimaryPositionRequest request) {
        return PrimaryPositionResponse.newBuilder().setPosition(Positions.encode(mysql.executedPosition())).build();
    }

    @Override
    public GetSchemaResponse getSchema(GetSchemaRequest request) {
        return GetSchemaResponse.newBuilder().setSchemaDefinition(schema.getSchema(request)).build();
    }

    @Override
    public ReloadSchemaResponse reloadSchema(ReloadSchemaRequest request) {
        if (!request.getWaitPosition().isEmpty()) {
            waitForPosition(WaitForPositionRequest.newBuilder().setPosition(request.getWaitPosition()).build());
        }
        schema.reload();
        return ReloadSchemaResponse.getDefaultInstance();
    }

    @Override
    public WaitForPositionResponse waitForPosition(WaitForPositionRequest request) {
        GtidPosition position = decode(request.getPosition());
        positions.waitFor(position, CallDeadline.remaining(config.defaultWaitTimeout(), "waiting for " + position));
        return WaitForPositionResponse.getDefaultInstance();
    }

    @Override
    public StopReplicationResponse stopReplication(StopReplicationRequest request) {
        return locked("StopReplication", () -> {
            mysql.stopReplication();
            return StopReplicationResponse.getDefaultInstance();
        });
    }

    @Override
    public StopReplicationMinimumResponse stopReplicationMinimum(StopReplicationMinimumRequest request) {
        GtidPosition position = decode(request.getPosition());
        return locked("StopReplicationMinimum", () -> {
            Duration wait = CallDeadline.remaining(config.defaultWaitTimeout(), "waiting for " + position);
            if (request.getWaitTimeout() > 0 && Duration.ofNanos(request.getWaitTimeout()).compareTo(wait) < 0) {
                wait = Duration.ofNanos(request.getWaitTimeout());
            }
            positions.waitFor(position, wait);
            mysql.stopReplication();
            return StopReplicationMinimumResponse.newBuilder()
                    .setPosition(Positions.encode(mysql.executedPosition())).build();
        });
    }

    @Override
    public StopReplicationAndGetStatusResponse stopReplicationAndGetStatus(
            StopReplicationAndGetStatusRequest request) {
        boolean ioThreadOnly = request.getStopReplicationMode() == StopReplicationMode.IOTHREADONLY;
        return locked("StopReplicationAndGetStatus", () -> {
            ReplicationStatus before = requireReplica("StopReplicationAndGetStatus");
            boolean running = ioThreadOnly ? before.ioHealthy() : before.ioHealthy() || before.sqlHealthy();
            ReplicationStatus after = before;
            if (running) {
                if (ioThreadOnly) {
                    mysql.execute("stopping the replication IO thread", mysql.flavor().stopIoThread());
                } else {
                    mysql.stopReplication();
                }
                after = requireReplica("StopReplicationAndGetStatus");
            }
            return StopReplicationAndGetStatusResponse.newBuilder().setStatus(StopReplicationStatus.newBuilder()
                    .setBefore(ReplicationProtos.toProto(before))
                    .setAfter(ReplicationProtos.toProto(after))).build();
        });
    }

    @Override
    public StartReplicationResponse startReplication(StartReplicationRequest request) {
        return locked("StartReplication", () -> {
            requireMayAcknowledge(state.type(), request.getSemiSync());
            requireReplica("StartReplication");
            mysql.setPrimarySemiSync(false);
            mysql.setReplicaSemiSync(request.getSemiSync());
            mysql.startReplication();
            return StartReplicationResponse.getDefaultInstance();
        });
    }

    // ---- reparent steps ------------------------------------------------------------------------------------

    @Override
    public ResetReplicationResponse resetReplication(ResetReplicationRequest request) {
        return locked("ResetReplication", () -> {
            mysql.execute("resetting replication", mysql.flavor().resetReplication());
            return ResetReplicationResponse.getDefaultInstance();
        });
    }

    @Override
    public ResetReplicationParametersResponse resetReplicationParameters(ResetReplicationParametersRequest request) {
        return locked("ResetReplicationParameters", () -> {
            mysql.execute("forgetting the replication source", mysql.flavor().resetReplicationParameters());
            return ResetReplicationParametersResponse.getDefaultInstance();
        });
    }

    @Override
    public InitPrimaryResponse initPrimary(InitPrimaryRequest request) {
        return locked("InitPrimary", () -> {
            requirePromotable("become the first PRIMARY of its shard");
            boolean semiSync = request.getSemiSync() || state.durability().requiredAcks() > 0;
            mysql.execute("resetting replication", mysql.flavor().resetReplication());
            journal.ensureTable();
            mysql.setPrimarySemiSync(semiSync);
            GtidPosition position = mysql.executedPosition();
            state.changeType(TabletType.PRIMARY);
            mysql.setReadWrite();
            state.setDemoted(false);
            state.publish();
            log.info("tablet {} is the first primary of its shard at position '{}' (semi-sync {})",
                    state.aliasText(), position, semiSync ? "on" : "off");
            return InitPrimaryResponse.newBuilder().setPosition(Positions.encode(position)).build();
        });
    }

    @Override
    public InitReplicaResponse initReplica(InitReplicaRequest request) {
        GtidPosition position = decode(request.getReplicationPosition());
        return locked("InitReplica", () -> {
            ReplicationSource source = sourceFor(request.hasParent() ? request.getParent() : null, Duration.ZERO);
            requireMayAcknowledge(TabletRules.asReplica(state.type()), request.getSemiSync());
            GtidPosition executed = mysql.executedPosition();
            if (!position.contains(executed)) {
                throw TabletManagerException.failedPrecondition("tablet " + state.aliasText() + " has transactions ("
                        + executed + ") that position '" + position + "' does not contain: starting replication "
                        + "there would erase them. Use ResetReplication first if they are to be discarded.");
            }
            stopBeingPrimary();
            makeReadOnly();
            mysql.setPrimarySemiSync(false);
            mysql.stopReplication();
            mysql.execute("setting the replication position to '" + position + "'",
                    mysql.flavor().setReplicationPosition(position));
            mysql.setReplicaSemiSync(request.getSemiSync());
            journal.ensureTable();
            mysql.pointAt(source);
            mysql.startReplication();
            state.setDemoted(false);
            state.publish();
            if (request.getTimeCreatedNs() != 0) {
                journal.waitForRow(request.getTimeCreatedNs(), CallDeadline.remaining(config.defaultWaitTimeout(),
                        "waiting for reparent journal row " + request.getTimeCreatedNs()));
            }
            return InitReplicaResponse.getDefaultInstance();
        });
    }

    @Override
    public DemotePrimaryResponse demotePrimary(DemotePrimaryRequest request) {
        return locked("DemotePrimary", () -> {
            // Read-only first: once it is on, no write can commit, so the position read below is final.
            if (state.type() == TabletType.PRIMARY) {
                makeReadOnlyEndingSessions();
            } else {
                makeReadOnly();
            }
            mysql.setPrimarySemiSync(false);
            if (state.type() == TabletType.PRIMARY) {
                state.setDemoted(true);
                state.publish();
            }
            var status = mysql.primaryStatus();
            log.info("tablet {} demoted at position '{}'", state.aliasText(), status.position());
            return DemotePrimaryResponse.newBuilder().setPrimaryStatus(ReplicationProtos.toProto(status)).build();
        });
    }

    @Override
    public UndoDemotePrimaryResponse undoDemotePrimary(UndoDemotePrimaryRequest request) {
        return locked("UndoDemotePrimary", () -> {
            if (state.type() != TabletType.PRIMARY) {
                throw TabletManagerException.failedPrecondition("tablet " + state.aliasText() + " is "
                        + TabletTypes.name(state.type()) + ", no longer PRIMARY: it was pointed at another primary, "
                        + "and making it writable again would give the shard two primaries");
            }
            Optional<ReplicationStatus> replication = mysql.replicationStatus();
            if (replication.isPresent()) {
                throw TabletManagerException.failedPrecondition("tablet " + state.aliasText() + " replicates from "
                        + replication.get().sourceHost() + ":" + replication.get().sourcePort()
                        + "; making it writable again would give the shard two primaries");
            }
            mysql.setPrimarySemiSync(request.getSemiSync() || state.durability().requiredAcks() > 0);
            mysql.setReadWrite();
            state.setDemoted(false);
            state.publish();
            return UndoDemotePrimaryResponse.getDefaultInstance();
        });
    }

    @Override
    public PromoteReplicaResponse promoteReplica(PromoteReplicaRequest request) {
        return locked("PromoteReplica", () -> {
            requirePromotable("be promoted");
            boolean semiSync = request.getSemiSync() || state.durability().requiredAcks() > 0;
            mysql.execute("promoting to primary", mysql.flavor().promoteToPrimary());
            // Read before going read-write, so it is the position at promotion and nothing later.
            GtidPosition position = mysql.executedPosition();
            journal.ensureTable();
            mysql.setPrimarySemiSync(semiSync);
            state.changeType(TabletType.PRIMARY);
            mysql.setReadWrite();
            state.setDemoted(false);
            state.publish();
            log.info("tablet {} promoted to primary at position '{}' (semi-sync {})", state.aliasText(), position,
                    semiSync ? "on" : "off");
            return PromoteReplicaResponse.newBuilder().setPosition(Positions.encode(position)).build();
        });
    }

    @Override
    public PopulateReparentJournalResponse populateReparentJournal(PopulateReparentJournalRequest request) {
        if (!request.hasPrimaryAlias()) {
            throw TabletManagerException.invalidArgument("PopulateReparentJournal needs the primary's alias");
        }
        // Validates the position before anything is written.
        decode(request.getReplicationPosition());
        journal.insert(request.getTimeCreatedNs(), request.getActionName(),
                TabletAliases.format(request.getPrimaryAlias()), request.getReplicationPosition());
        return PopulateReparentJournalResponse.getDefaultInstance();
    }

    @Override
    public ReadReparentJournalInfoResponse readReparentJournalInfo(ReadReparentJournalInfoRequest request) {
        return ReadReparentJournalInfoResponse.newBuilder().setLength(journal.count()).build();
    }

    @Override
    public SetReplicationSourceResponse setReplicationSource(SetReplicationSourceRequest request) {
        GtidPosition waitPosition = request.getWaitPosition().isEmpty() ? GtidPosition.EMPTY
                : decode(request.getWaitPosition());
        return locked("SetReplicationSource", () -> {
            ReplicationSource source = sourceFor(request.hasParent() ? request.getParent() : null,
                    Duration.ofNanos(Math.round(request.getHeartbeatInterval() * 1e9)));
            requireMayAcknowledge(TabletRules.asReplica(state.type()), request.getSemiSync());
            stopBeingPrimary();
            Optional<ReplicationStatus> before = mysql.replicationStatus();
            // A server with no replication configured used to be a primary: it must replicate from now on.
            boolean replicate = before.isEmpty() || before.get().ioHealthy() || before.get().sqlHealthy()
                    || request.getForceStartReplication();
            makeReadOnly();
            mysql.setPrimarySemiSync(false);
            mysql.stopReplication();
            mysql.setReplicaSemiSync(request.getSemiSync());
            journal.ensureTable();
            mysql.pointAt(source);
            state.setDemoted(false);
            if (replicate) {
                mysql.startReplication();
            }
            state.publish();
            if (replicate && !waitPosition.isEmpty()) {
                positions.waitFor(waitPosition, CallDeadline.remaining(config.defaultWaitTimeout(), "waiting for "
                        + waitPosition));
            }
            if (replicate && request.getTimeCreatedNs() != 0) {
                journal.waitForRow(request.getTimeCreatedNs(), CallDeadline.remaining(config.defaultWaitTimeout(),
                        "waiting for reparent journal row " + request.getTimeCreatedNs()));
            }
            return SetReplicationSourceResponse.getDefaultInstance();
        });
    }

    @Override
    public ReplicaWasRestartedResponse replicaWasRestarted(ReplicaWasRestartedRequest request) {
        return locked("ReplicaWasRestarted", () -> {
            if (state.type() == TabletType.PRIMARY) {
                stopBeingPrimary();
                state.setDemoted(false);
                state.publish();
            }
            return ReplicaWasRestartedResponse.getDefaultInstance();
        });
    }

    @Override
    public ReplicaWasPromotedResponse replicaWasPromoted(ReplicaWasPromotedRequest request) {
        return locked("ReplicaWasPromoted", () -> {
            requirePromotable("become PRIMARY");
            state.changeType(TabletType.PRIMARY);
            state.setDemoted(false);
            state.publish();
            return ReplicaWasPromotedResponse.getDefaultInstance();
        });
    }

    /**
     * Steps down when the shard record names another primary with a newer term: this tablet was primary, and a
     * reparent it did not take part in (an emergency reparent while it was unreachable) promoted someone else. The
     * tablet stops taking writes at once (type REPLICA in the topology, the query service told), and makes its
     * MySQL read-only if it answers. It does not start replicating: its binary log may hold transactions the new
     * primary never received, so rejoining is left to a restart, which recovers mysqld as a replica (see
     * {@code TabletDaemon}), or to an operator.
     *
     * @return true if the tablet stepped down
     */
    public boolean stepDownIfSuperseded(io.tessera.proto.topodata.Shard shard) {
        if (!ShardTerms.supersededBy(state.tablet(), shard) || state.type() != TabletType.PRIMARY) {
            // Most shard changes concern no primary being replaced: do not queue behind the action lock for them.
            return false;
        }
        return locked("ShardSync", () -> {
            Tablet self = state.tablet();
            if (self.getType() != TabletType.PRIMARY || !ShardTerms.supersededBy(self, shard)) {
                return false;
            }
            log.warn("tablet {}: shard {}/{} names {} as primary with a newer term; stepping down to REPLICA",
                    state.aliasText(), self.getKeyspace(), self.getShard(),
                    TabletAliases.format(shard.getPrimaryAlias()));
            state.changeType(TabletType.REPLICA);
            state.setDemoted(false);
            state.publish();
            try {
                mysql.setReadOnly(Duration.ofSeconds(5));
                mysql.setPrimarySemiSync(false);
            } catch (RuntimeException e) {
                log.warn("tablet {}: could not make mysqld read-only after stepping down ({}); the query service "
                        + "refuses writes regardless", state.aliasText(), e.getMessage());
            }
            return true;
        });
    }

    @Override
    public FullStatusResponse fullStatus(FullStatusRequest request) {
        return FullStatusResponse.newBuilder().setStatus(fullStatus.read(state.type())).build();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Sets {@code read_only}, waiting for commits in progress no longer than the call's deadline allows. */
    private void makeReadOnly() {
        mysql.setReadOnly(CallDeadline.remaining(config.defaultWaitTimeout(), "setting read_only"));
    }

    /**
     * Makes a serving primary read-only. A client session holding table locks (LOCK TABLES on a reserved
     * connection) keeps read_only from taking effect for as long as it holds them, so after
     * {@link #SESSION_GRACE} the tablet stops serving, which ends its client sessions and with them their locks
     * (open transactions are rolled back: a demoted primary must not commit them anyway), and waits out the rest of
     * the call's time. If read_only still cannot be set, the tablet serves again, as it was.
     */
    private void makeReadOnlyEndingSessions() {
        Duration remaining = CallDeadline.remaining(config.defaultWaitTimeout(), "setting read_only");
        if (remaining.compareTo(SESSION_GRACE) <= 0) {
            mysql.setReadOnly(remaining);
            return;
        }
        if (mysql.trySetReadOnly(SESSION_GRACE)) {
            return;
        }
        log.info("tablet {}: read_only still waits after {} ms; ending client sessions (their table locks) first",
                state.aliasText(), SESSION_GRACE.toMillis());
        state.setDemoted(true);
        state.publish();
        try {
            makeReadOnly();
        } catch (RuntimeException e) {
            state.setDemoted(false);
            state.publish();
            throw e;
        }
    }

    /** A PRIMARY-typed tablet told to replicate becomes a read-only REPLICA before anything else happens. */
    private void stopBeingPrimary() {
        if (state.type() == TabletType.PRIMARY) {
            makeReadOnly();
            mysql.setPrimarySemiSync(false);
            state.changeType(TabletType.REPLICA);
        }
    }

    private void requirePromotable(String what) {
        TabletRules.requirePromotable(state.aliasText(), state.type(), what);
    }

    private void requireMayAcknowledge(TabletType type, boolean semiSync) {
        TabletRules.requireMayAcknowledge(state.aliasText(), type, semiSync);
    }

    private ReplicationStatus requireReplica(String call) {
        return mysql.replicationStatus().orElseThrow(() -> TabletManagerException.failedPrecondition(call
                + ": tablet " + state.aliasText() + " is not a replica (no replication source is configured)"));
    }

    /** Where to replicate from: the parent's MySQL address from its tablet record, with this tablet's repl user. */
    private ReplicationSource sourceFor(TabletAlias parentAlias, Duration heartbeat) {
        if (parentAlias == null) {
            throw TabletManagerException.invalidArgument("the call needs the alias of the primary to replicate from");
        }
        if (parentAlias.equals(state.tablet().getAlias())) {
            throw TabletManagerException.invalidArgument("tablet " + state.aliasText() + " cannot replicate from "
                    + "itself");
        }
        Tablet parent = state.lookup(parentAlias);
        if (parent.getMysqlHostname().isBlank() || parent.getMysqlPort() <= 0) {
            throw TabletManagerException.failedPrecondition("tablet " + TabletAliases.format(parentAlias)
                    + " has no MySQL address in its record (mysql_hostname, mysql_port); is it registered?");
        }
        ReplicationParams repl = mysql.mysqld().replicationParams();
        try {
            return new ReplicationSource(parent.getMysqlHostname(), parent.getMysqlPort(), repl.user(),
                    repl.password(), config.connectRetry(), heartbeat);
        } catch (IllegalArgumentException e) {
            throw TabletManagerException.invalidArgument(e.getMessage());
        }
    }

    private static GtidPosition decode(String position) {
        try {
            return Positions.decode(position);
        } catch (IllegalArgumentException e) {
            throw TabletManagerException.invalidArgument(e.getMessage());
        }
    }
}
