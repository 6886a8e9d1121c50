package io.tessera.ctld.reparent;

import io.tessera.proto.replicationdata.PrimaryStatus;
import io.tessera.proto.replicationdata.Status;
import io.tessera.proto.replicationdata.StopReplicationStatus;
import io.tessera.proto.tabletmanagerdata.*;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.topodata.Timestamp;
import io.tessera.proto.vtrpc.Code;
import io.tessera.replication.GtidPosition;
import io.tessera.replication.Positions;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One tablet's manager, faked: a position, a source, read-only and semi-sync flags, and its type kept in the
 * memory topology as the real manager keeps it (a new primary claims the Shard record). Every call is recorded.
 */
final class FakeTablet extends UnimplementedTabletManager {
    private final TopoServer topo;
    private final TabletAlias alias;
    private final Map<String, FakeTablet> shard;
    final List<String> calls = new CopyOnWriteArrayList<>();

    volatile GtidPosition position;
    volatile TabletAlias source;
    volatile boolean readOnly = true;
    volatile boolean reachable = true;
    volatile Boolean semiSyncAsked;
    /** The last SetReplicationSource request received. */
    volatile SetReplicationSourceRequest lastSourceRequest;
    /** Waits for positions succeed this many times, then fail (-1: always succeed if reachable). */
    final AtomicInteger waitsAllowed = new AtomicInteger(-1);
    /** If set, WaitForPosition blocks until it is counted down. */
    volatile CountDownLatch waitGate;

    FakeTablet(TopoServer topo, TabletAlias alias, String position, Map<String, FakeTablet> shard) {
        this.topo = topo;
        this.alias = alias;
        this.position = Positions.decode(position);
        this.shard = shard;
    }

    private void called(String call) {
        calls.add(call);
        if (!reachable) {
            throw new TabletManagerException(Code.UNAVAILABLE, "tablet " + alias.getUid() + " is unreachable");
        }
    }

    TabletType type() {
        try {
            return topo.getTablet(alias).value().getType();
        } catch (TopoException e) {
            throw new IllegalStateException(e);
        }
    }

    private void setType(TabletType type) {
        try {
            Tablet t = topo.updateTabletFields(alias, b -> {
                Tablet.Builder builder = b.toBuilder().setType(type);
                if (type == TabletType.PRIMARY) {
                    long now = System.currentTimeMillis();
                    builder.setPrimaryTermStartTime(Timestamp.newBuilder().setSeconds(now / 1000)
                            .setNanoseconds((int) (now % 1000) * 1_000_000 + (int) (System.nanoTime() % 1_000_000)));
                } else {
                    builder.clearPrimaryTermStartTime();
                }
                return builder.build();
            }).value();
            if (type == TabletType.PRIMARY) {
                topo.updateShardFields(t.getKeyspace(), t.getShard(), s -> s.toBuilder().setPrimaryAlias(alias)
                        .setPrimaryTermStartTime(t.getPrimaryTermStartTime()).build());
            }
        } catch (TopoException e) {
            throw new IllegalStateException(e);
        }
    }

    private String pos() {
        return Positions.encode(position);
    }

    @Override
    public PrimaryPositionResponse primaryPosition(PrimaryPositionRequest request) {
        called("PrimaryPosition");
        return PrimaryPositionResponse.newBuilder().setPosition(pos()).build();
    }

    @Override
    public ReplicationStatusResponse replicationStatus(ReplicationStatusRequest request) {
        called("ReplicationStatus");
        if (source == null) {
            throw TabletManagerException.failedPrecondition("not a replica");
        }
        return ReplicationStatusResponse.newBuilder().setStatus(status()).build();
    }

    private Status status() {
        return Status.newBuilder().setPosition(pos()).setRelayLogPosition(pos()).build();
    }

    @Override
    public WaitForPositionResponse waitForPosition(WaitForPositionRequest request) {
        called("WaitForPosition " + request.getPosition());
        CountDownLatch gate = waitGate;
        if (gate != null) {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (waitsAllowed.get() == 0) {
            throw TabletManagerException.deadlineExceeded("did not reach " + request.getPosition());
        }
        waitsAllowed.decrementAndGet();
        GtidPosition wanted = Positions.decode(request.getPosition());
        if (position.contains(wanted)) {
            return WaitForPositionResponse.getDefaultInstance();
        }
        FakeTablet parent = source == null ? null : shard.get(Long.toString(source.getUid()));
        if (parent != null && parent.position.contains(wanted)) {
            position = position.union(wanted);
            return WaitForPositionResponse.getDefaultInstance();
        }
        throw TabletManagerException.deadlineExceeded("did not reach " + request.getPosition());
    }

    @Override
    public StopReplicationAndGetStatusResponse stopReplicationAndGetStatus(StopReplicationAndGetStatusRequest r) {
        called("StopReplicationAndGetStatus " + r.getStopReplicationMode());
        if (source == null) {
            throw TabletManagerException.failedPrecondition("not a replica");
        }
        return StopReplicationAndGetStatusResponse.newBuilder().setStatus(StopReplicationStatus.newBuilder()
                .setBefore(status()).setAfter(status())).build();
    }

    @Override
    public ResetReplicationResponse resetReplication(ResetReplicationRequest request) {
        called("ResetReplication");
        position = GtidPosition.EMPTY;
        source = null;
        return ResetReplicationResponse.getDefaultInstance();
    }

    @Override
    public InitPrimaryResponse initPrimary(InitPrimaryRequest request) {
        called("InitPrimary semi_sync=" + request.getSemiSync());
        semiSyncAsked = request.getSemiSync();
        setType(TabletType.PRIMARY);
        readOnly = false;
        return InitPrimaryResponse.newBuilder().setPosition(pos()).build();
    }

    @Override
    public InitReplicaResponse initReplica(InitReplicaRequest request) {
        called("InitReplica semi_sync=" + request.getSemiSync());
        semiSyncAsked = request.getSemiSync();
        source = request.getParent();
        if (type() == TabletType.PRIMARY) {
            setType(TabletType.REPLICA);
        }
        return InitReplicaResponse.getDefaultInstance();
    }

    @Override
    public PopulateReparentJournalResponse populateReparentJournal(PopulateReparentJournalRequest request) {
        called("PopulateReparentJournal");
        return PopulateReparentJournalResponse.getDefaultInstance();
    }

    @Override
    public DemotePrimaryResponse demotePrimary(DemotePrimaryRequest request) {
        called("DemotePrimary");
        readOnly = true;
        return DemotePrimaryResponse.newBuilder().setPrimaryStatus(PrimaryStatus.newBuilder().setPosition(pos()))
                .build();
    }

    @Override
    public UndoDemotePrimaryResponse undoDemotePrimary(UndoDemotePrimaryRequest request) {
        called("UndoDemotePrimary semi_sync=" + request.getSemiSync());
        readOnly = false;
        return UndoDemotePrimaryResponse.getDefaultInstance();
    }

    @Override
    public PromoteReplicaResponse promoteReplica(PromoteReplicaRequest request) {
        called("PromoteReplica semi_sync=" + request.getSemiSync());
        TabletType type = type();
        if (type != TabletType.REPLICA && type != TabletType.PRIMARY) {
            throw TabletManagerException.failedPrecondition("a " + type + " is never promoted");
        }
        semiSyncAsked = request.getSemiSync();
        source = null;
        setType(TabletType.PRIMARY);
        readOnly = false;
        return PromoteReplicaResponse.newBuilder().setPosition(pos()).build();
    }

    @Override
    public SetReplicationSourceResponse setReplicationSource(SetReplicationSourceRequest request) {
        called("SetReplicationSource " + request.getParent().getUid() + " semi_sync=" + request.getSemiSync());
        lastSourceRequest = request;
        semiSyncAsked = request.getSemiSync();
        source = request.getParent();
        readOnly = true;
        if (type() == TabletType.PRIMARY) {
            setType(TabletType.REPLICA);
        }
        if (!request.getWaitPosition().isEmpty()) {
            FakeTablet parent = shard.get(Long.toString(source.getUid()));
            GtidPosition wanted = Positions.decode(request.getWaitPosition());
            if (!parent.position.contains(wanted)) {
                throw TabletManagerException.deadlineExceeded("parent does not have " + wanted);
            }
            position = position.union(wanted);
        }
        return SetReplicationSourceResponse.getDefaultInstance();
    }

    @Override
    public ReplicaWasPromotedResponse replicaWasPromoted(ReplicaWasPromotedRequest request) {
        called("ReplicaWasPromoted");
        setType(TabletType.PRIMARY);
        return ReplicaWasPromotedResponse.getDefaultInstance();
    }

    @Override
    public ReplicaWasRestartedResponse replicaWasRestarted(ReplicaWasRestartedRequest request) {
        called("ReplicaWasRestarted");
        if (type() == TabletType.PRIMARY) {
            readOnly = true;
            setType(TabletType.REPLICA);
        }
        return ReplicaWasRestartedResponse.getDefaultInstance();
    }
}
