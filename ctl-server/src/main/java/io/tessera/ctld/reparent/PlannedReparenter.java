package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.tabletmanagerdata.DemotePrimaryRequest;
import io.tessera.proto.tabletmanagerdata.PrimaryPositionRequest;
import io.tessera.proto.tabletmanagerdata.PromoteReplicaRequest;
import io.tessera.proto.tabletmanagerdata.ReplicationStatusRequest;
import io.tessera.proto.tabletmanagerdata.UndoDemotePrimaryRequest;
import io.tessera.proto.tabletmanagerdata.WaitForPositionRequest;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.PlannedReparentShardRequest;
import io.tessera.proto.vtctldata.PlannedReparentShardResponse;
import io.tessera.proto.vtrpc.Code;
import io.tessera.replication.GtidPosition;
import io.tessera.replication.Positions;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PlannedReparentShard: moves the primary role to a healthy REPLICA while the current primary is healthy, without
 * losing a write (Vitess's planned_reparenter.go, graceful-switch path).
 */
final class PlannedReparenter {
    static final String ACTION = "PlannedReparentShard";

    private final TopoServer topo;
    private final TabletCalls calls;
    private final ShardRecordKeeper records;

    PlannedReparenter(TopoServer topo, TabletCalls calls) {
        this.topo = topo;
        this.calls = calls;
        this.records = new ShardRecordKeeper(topo);
    }

    PlannedReparentShardResponse run(PlannedReparentShardRequest request, Duration waitReplicas) {
        String ks = request.getKeyspace();
        String shard = request.getShard();
        StepLog log = new StepLog(ACTION, ks, shard);
        try (ShardLock lock = ShardLock.acquire(topo, ks, shard, ACTION, log)) {
            ShardSnapshot snap = ShardSnapshot.read(topo, ks, shard);
            Tablet primary = currentPrimary(snap, request);
            TabletAlias avoid = request.hasAvoidPrimary() && request.getAvoidPrimary().getUid() != 0
                    ? request.getAvoidPrimary() : null;
            boolean hasNewPrimary = request.hasNewPrimary() && request.getNewPrimary().getUid() != 0;
            if (!hasNewPrimary && avoid != null && !avoid.equals(primary.getAlias())) {
                log.info("the primary is " + ShardSnapshot.alias(primary) + ", not " + TabletAliases.format(avoid)
                        + ": nothing to do");
                return response(ks, shard, primary.getAlias(), log);
            }
            Tablet candidate = hasNewPrimary ? requestedCandidate(snap, request.getNewPrimary(), avoid)
                    : chooseCandidate(snap, primary, avoid, request, waitReplicas, log);
            log.info("candidate: " + ShardSnapshot.describe(candidate) + ", current primary: "
                    + ShardSnapshot.describe(primary));
            List<Tablet> others = snap.others(candidate.getAlias());
            AckerCheck.require(snap.policy(), candidate, others, ACTION, "Nothing was changed.");

            if (candidate.getAlias().equals(primary.getAlias())) {
                log.info(ShardSnapshot.alias(candidate) + " is already the primary: pointing the other tablets at it");
                lock.check("repointing the replicas");
                GtidPosition position = Positions.decode(calls.callOrFail(primary, waitReplicas,
                        c -> c.primaryPosition(PrimaryPositionRequest.getDefaultInstance()).getPosition(),
                        "reading the position of primary " + ShardSnapshot.alias(primary), "Nothing was changed."));
                finish(lock, snap, candidate, position, others, t -> false, waitReplicas, log);
                return response(ks, shard, candidate.getAlias(), log);
            }
            gracefulSwitch(lock, snap, primary, candidate, waitReplicas, log);
            return response(ks, shard, candidate.getAlias(), log);
        }
    }

    private Tablet currentPrimary(ShardSnapshot snap, PlannedReparentShardRequest request) {
        TabletAlias alias = snap.primaryAlias().orElseThrow(() -> CtldException.failedPrecondition("shard "
                + snap.name() + " has no primary in its record; PlannedReparentShard moves an existing primary. Use "
                + "InitShardPrimary for a new shard, or EmergencyReparentShard. Nothing was changed."));
        if (request.hasExpectedPrimary() && request.getExpectedPrimary().getUid() != 0
                && !request.getExpectedPrimary().equals(alias)) {
            throw CtldException.failedPrecondition("the primary of shard " + snap.name() + " is "
                    + TabletAliases.format(alias) + ", not the expected " + TabletAliases.format(
                    request.getExpectedPrimary()) + ". Nothing was changed; check the shard and run it again.");
        }
        return snap.require(alias, "primary");
    }

    private static Tablet requestedCandidate(ShardSnapshot snap, TabletAlias alias, TabletAlias avoid) {
        Tablet t = snap.require(alias, "new primary");
        if (alias.equals(avoid)) {
            throw CtldException.invalidArgument("new primary " + TabletAliases.format(alias) + " is also the tablet "
                    + "to avoid; nothing was changed");
        }
        if (t.getType() != TabletType.REPLICA && t.getType() != TabletType.PRIMARY) {
            throw CtldException.failedPrecondition("new primary " + ShardSnapshot.describe(t) + " cannot be "
                    + "promoted: only a REPLICA may become primary (RDONLY never does). Nothing was changed.");
        }
        return t;
    }

    private Tablet chooseCandidate(ShardSnapshot snap, Tablet primary, TabletAlias avoid,
            PlannedReparentShardRequest request, Duration waitReplicas, StepLog log) {
        List<Tablet> replicas = snap.all().stream()
                .filter(t -> t.getType() == TabletType.REPLICA)
                .filter(t -> !t.getAlias().equals(avoid) && !t.getAlias().equals(primary.getAlias()))
                .filter(t -> request.getAllowCrossCellPromotion()
                        || t.getAlias().getCell().equals(primary.getAlias().getCell()))
                .toList();
        Duration lagLimit = request.hasTolerableReplicationLag()
                ? Durations.of(request.getTolerableReplicationLag()) : null;
        var statuses = calls.parallel(replicas, waitReplicas,
                t -> c -> c.replicationStatus(ReplicationStatusRequest.getDefaultInstance()).getStatus());
        List<CandidateChooser.Candidate> candidates = new ArrayList<>();
        for (Tablet t : replicas) {
            var outcome = statuses.get(ShardSnapshot.alias(t));
            if (!outcome.ok()) {
                log.warn("not considering " + ShardSnapshot.alias(t) + ": " + Failures.describe(outcome.error()));
                continue;
            }
            var status = outcome.value();
            if (lagLimit != null && (status.getReplicationLagUnknown()
                    || status.getReplicationLagSeconds() > lagLimit.toSeconds())) {
                log.warn("not considering " + ShardSnapshot.alias(t) + ": replication lag "
                        + (status.getReplicationLagUnknown() ? "unknown" : status.getReplicationLagSeconds() + "s")
                        + " is above the tolerable " + lagLimit.toSeconds() + "s");
                continue;
            }
            candidates.add(new CandidateChooser.Candidate(t, Positions.decode(status.getPosition())));
        }
        return CandidateChooser.mostAdvancedReplica(candidates, snap.name());
    }

    private void gracefulSwitch(ShardLock lock, ShardSnapshot snap, Tablet primary, Tablet candidate,
            Duration waitReplicas, StepLog log) {
        String p = ShardSnapshot.alias(primary);
        String c = ShardSnapshot.alias(candidate);
        String current = calls.callOrFail(primary, waitReplicas,
                tm -> tm.primaryPosition(PrimaryPositionRequest.getDefaultInstance()).getPosition(),
                "reading the position of primary " + p, "Nothing was changed.");
        log.info("primary " + p + " is at '" + current + "'; waiting for " + c + " to catch up");
        calls.callOrFail(candidate, waitReplicas,
                tm -> tm.waitForPosition(WaitForPositionRequest.newBuilder().setPosition(current).build()),
                "candidate " + c + " did not catch up with the primary's position '" + current + "' within "
                        + waitReplicas.toSeconds() + "s", "Nothing was changed; the primary is still " + p + ".");

        lock.check("demoting " + p);
        String finalPosition;
        try {
            finalPosition = calls.call(primary, waitReplicas,
                    tm -> tm.demotePrimary(DemotePrimaryRequest.getDefaultInstance()).getPrimaryStatus()
                            .getPosition());
        } catch (RuntimeException e) {
            String state = undo(primary, snap, waitReplicas, log, "the demotion failed");
            throw Failures.fromTablet("demoting primary " + p, e, state);
        }
        log.info("demoted " + p + " (read-only) at its final position '" + finalPosition + "'");

        try {
            calls.call(candidate, waitReplicas,
                    tm -> tm.waitForPosition(WaitForPositionRequest.newBuilder().setPosition(finalPosition).build()));
        } catch (RuntimeException e) {
            String state = undo(primary, snap, waitReplicas, log, "the candidate did not catch up");
            throw Failures.fromTablet("candidate " + c + " did not reach the demoted primary's final position '"
                    + finalPosition + "' within " + waitReplicas.toSeconds() + "s", e, state);
        }
        log.info(c + " has the final position '" + finalPosition + "'");
        try {
            lock.check("promoting " + c, p + " had been demoted and " + c + " had caught up.");
        } catch (CtldException e) {
            String state = undo(primary, snap, waitReplicas, log, "the shard lock was lost");
            throw new CtldException(Code.ABORTED, e.getMessage() + " " + state, e);
        }
        GtidPosition promotedAt = Positions.decode(calls.callOrFail(candidate, waitReplicas,
                tm -> tm.promoteReplica(PromoteReplicaRequest.newBuilder()
                        .setSemiSync(snap.policy().requiredAcks() > 0).build()).getPosition(),
                "promoting " + c, "The old primary " + p + " is demoted (read-only, not serving) and " + c
                        + " may or may not be writable: the shard may have no writable primary. Check " + c
                        + " with GetTablet/FullStatus, then run PlannedReparentShard or EmergencyReparentShard again."));
        log.info("promoted " + c + " at '" + Positions.encode(promotedAt) + "'");
        finish(lock, snap, candidate, promotedAt, snap.others(candidate.getAlias()),
                t -> t.getAlias().equals(primary.getAlias()), waitReplicas, log);
    }

    /** Tries UndoDemotePrimary on {@code primary}; returns the sentence that describes the resulting state. */
    private String undo(Tablet primary, ShardSnapshot snap, Duration timeout, StepLog log, String why) {
        String p = ShardSnapshot.alias(primary);
        try {
            calls.call(primary, timeout, tm -> tm.undoDemotePrimary(UndoDemotePrimaryRequest.newBuilder()
                    .setSemiSync(snap.policy().requiredAcks() > 0).build()));
            log.warn(why + ": the demotion of " + p + " was undone; it is the writable primary again");
            return "The demotion was undone: " + p + " is the writable primary again and nothing else changed.";
        } catch (RuntimeException e) {
            log.error(why + ", and undoing the demotion of " + p + " failed too: " + Failures.describe(e));
            return "Undoing the demotion of " + p + " failed too (" + Failures.describe(e) + "): the shard may "
                    + "have no writable primary. Check " + p + " with FullStatus; run PlannedReparentShard again, "
                    + "or EmergencyReparentShard if " + p + " does not answer.";
        }
    }

    private void finish(ShardLock lock, ShardSnapshot snap, Tablet primary, GtidPosition position,
            List<Tablet> others, java.util.function.Predicate<Tablet> forceStart, Duration timeout, StepLog log) {
        Repointer.Result result = new Repointer(calls).run(ACTION, primary, position, others, snap.policy(),
                forceStart, timeout, log);
        String p = ShardSnapshot.alias(primary);
        lock.check("updating the shard record", p + " is the primary on MySQL.");
        records.ensure(snap.keyspace(), snap.shard(), primary.getAlias(), log);
        List<String> failed = result.failedReplicas();
        if (!failed.isEmpty() || !result.journal().ok()) {
            StringBuilder why = new StringBuilder();
            for (Map.Entry<String, TabletCalls.Outcome<Object>> e : result.replicas().entrySet()) {
                if (!e.getValue().ok()) {
                    why.append(" ").append(e.getKey()).append(": ").append(Failures.describe(e.getValue().error()))
                            .append(".");
                }
            }
            if (!result.journal().ok()) {
                why.append(" journal row: ").append(Failures.describe(result.journal().error())).append(".");
            }
            throw new CtldException(Code.UNAVAILABLE, p + " is the new primary of shard " + snap.name()
                    + " (the shard record names it), but some steps after the promotion failed:" + why
                    + " Point the failed tablets at it with ReparentTablet (or run PlannedReparentShard again, "
                    + "which repoints them idempotently).");
        }
    }

    private static PlannedReparentShardResponse response(String ks, String shard, TabletAlias primary, StepLog log) {
        return PlannedReparentShardResponse.newBuilder().setKeyspace(ks).setShard(shard).setPromotedPrimary(primary)
                .addAllEvents(log.events()).build();
    }
}
