package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.replicationdata.Status;
import io.tessera.proto.replicationdata.StopReplicationMode;
import io.tessera.proto.tabletmanagerdata.DemotePrimaryRequest;
import io.tessera.proto.tabletmanagerdata.PromoteReplicaRequest;
import io.tessera.proto.tabletmanagerdata.SetReplicationSourceRequest;
import io.tessera.proto.tabletmanagerdata.StopReplicationAndGetStatusRequest;
import io.tessera.proto.tabletmanagerdata.WaitForPositionRequest;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.vtctldata.EmergencyReparentShardRequest;
import io.tessera.proto.vtctldata.EmergencyReparentShardResponse;
import io.tessera.proto.vtrpc.Code;
import io.tessera.replication.GtidPosition;
import io.tessera.replication.Positions;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EmergencyReparentShard: fails over from a dead or unreachable primary to the most advanced REPLICA without losing
 * an acknowledged write (Vitess's emergency_reparenter.go). Replication is stopped on every tablet (IO thread only,
 * so relay logs keep applying), each tablet applies what it received, positions are compared by GTID containment,
 * and the winner catches up from any tablet that is ahead before it is promoted.
 */
final class EmergencyReparenter {
    static final String ACTION = "EmergencyReparentShard";

    private final TopoServer topo;
    private final TabletCalls calls;
    private final ShardRecordKeeper records;

    EmergencyReparenter(TopoServer topo, TabletCalls calls) {
        this.topo = topo;
        this.calls = calls;
        this.records = new ShardRecordKeeper(topo);
    }

    EmergencyReparentShardResponse run(EmergencyReparentShardRequest request, Duration timeout) {
        String ks = request.getKeyspace();
        String shard = request.getShard();
        StepLog log = new StepLog(ACTION, ks, shard);
        try (ShardLock lock = ShardLock.acquire(topo, ks, shard, ACTION, log)) {
            ShardSnapshot snap = ShardSnapshot.read(topo, ks, shard);
            Tablet oldPrimary = snap.primaryAlias().flatMap(snap::tablet).orElse(null);
            if (request.hasExpectedPrimary() && request.getExpectedPrimary().getUid() != 0
                    && !snap.primaryAlias().map(request.getExpectedPrimary()::equals).orElse(false)) {
                throw CtldException.failedPrecondition("the primary of shard " + snap.name() + " is "
                        + snap.primaryAlias().map(TabletAliases::format).orElse("unset") + ", not the expected "
                        + TabletAliases.format(request.getExpectedPrimary()) + ". Nothing was changed.");
            }
            Tablet preferred = request.hasNewPrimary() && request.getNewPrimary().getUid() != 0
                    ? snap.require(request.getNewPrimary(), "new primary") : null;
            Set<TabletAlias> ignored = new HashSet<>(request.getIgnoreReplicasList());
            if (preferred != null && ignored.contains(preferred.getAlias())) {
                throw CtldException.invalidArgument("new primary " + ShardSnapshot.alias(preferred)
                        + " is also in --ignore-replicas; nothing was changed");
            }
            List<Tablet> participants = snap.all().stream().filter(t -> !ignored.contains(t.getAlias())).toList();
            log.info("old primary: " + (oldPrimary == null ? "none" : ShardSnapshot.describe(oldPrimary))
                    + "; stopping replication on " + participants.size() + " tablet(s)");

            Map<Tablet, GtidPosition> positions = stopAll(participants, oldPrimary, request.getWaitForAllTablets(),
                    timeout, log);
            lock.check("waiting for relay logs", "replication IO threads are stopped on the tablets that answered.");
            applyRelayLogs(positions, oldPrimary, timeout);
            log.info("every reachable tablet applied its relay log");

            List<CandidateChooser.Candidate> candidates = new ArrayList<>();
            positions.forEach((t, p) -> candidates.add(new CandidateChooser.Candidate(t, p)));
            CandidateChooser.EmergencyChoice choice = CandidateChooser.emergency(candidates, snap.policy(),
                    oldPrimary, preferred, snap.name());
            Tablet winner = choice.winner();
            String w = ShardSnapshot.alias(winner);
            List<Tablet> reachableOthers = positions.keySet().stream()
                    .filter(t -> !t.getAlias().equals(winner.getAlias()))
                    .filter(t -> oldPrimary == null || !t.getAlias().equals(oldPrimary.getAlias()))
                    .toList();
            boolean waitingForAcker = checkAckers(snap, winner, reachableOthers, oldPrimary, ignored, log);

            if (choice.needsCatchUp()) {
                String from = ShardSnapshot.alias(choice.catchUpFrom());
                String target = Positions.encode(choice.target());
                log.info(w + " is at '" + Positions.encode(choice.winnerPosition()) + "', behind " + from + " at '"
                        + target + "': catching it up from " + from + " before promoting it");
                lock.check("catching " + w + " up", "replication IO threads are stopped; nothing was promoted.");
                calls.callOrFail(winner, timeout, c -> c.setReplicationSource(SetReplicationSourceRequest.newBuilder()
                                .setParent(choice.catchUpFrom().getAlias()).setWaitPosition(target)
                                .setForceStartReplication(true).setSemiSync(false).build()),
                        w + " could not catch up from " + from + " to '" + target + "'",
                        "Nothing was promoted; replication IO threads are stopped on the other tablets. Run "
                                + "EmergencyReparentShard again, or name a new primary that has everything.");
                log.info(w + " caught up to '" + target + "'");
            }

            lock.check("promoting " + w, "replication IO threads are stopped; nothing was promoted.");
            GtidPosition promotedAt = Positions.decode(calls.callOrFail(winner, timeout,
                    c -> c.promoteReplica(PromoteReplicaRequest.newBuilder()
                            .setSemiSync(snap.policy().requiredAcks() > 0).build()).getPosition(),
                    "promoting " + w, "The shard may have no writable primary; replication IO threads are stopped "
                            + "on the other tablets. Check " + w + " with FullStatus and run "
                            + "EmergencyReparentShard again."));
            log.info("promoted " + w + " at '" + Positions.encode(promotedAt) + "'");

            // The old primary is left alone: when it comes back, the newer term on the shard record tells it that
            // it is no longer primary (see INVARIANTS.md).
            Repointer.Result result = new Repointer(calls).run(ACTION, winner, promotedAt, reachableOthers,
                    snap.policy(), t -> true, timeout, log);
            lock.check("updating the shard record", w + " is the primary on MySQL.");
            records.ensure(ks, shard, winner.getAlias(), log);
            for (String failed : result.failedReplicas()) {
                log.warn(failed + " is not replicating from " + w + ": point it there with ReparentTablet");
            }
            if (!result.journal().ok() && waitingForAcker) {
                log.warn("the reparent journal row on " + w + " waits for an acknowledgement; it commits when "
                        + ShardSnapshot.alias(oldPrimary) + " rejoins as a REPLICA");
            }
            if (oldPrimary != null) {
                log.info("old primary " + ShardSnapshot.alias(oldPrimary) + " was not touched: when it comes back it "
                        + "sees the newer term on the shard record and must rejoin as a REPLICA of " + w
                        + " (ReparentTablet), or be repaired");
            }
            return EmergencyReparentShardResponse.newBuilder().setKeyspace(ks).setShard(shard)
                    .setPromotedPrimary(winner.getAlias()).addAllEvents(log.events()).build();
        }
    }

    /**
     * Stops replication (IO thread only) on every participant and returns the position each one will have once its
     * relay log is applied. The old primary, if it answers as a primary, is demoted (read-only) so it cannot take
     * writes any more, and its position counts too, so nothing it has is lost.
     */
    private Map<Tablet, GtidPosition> stopAll(List<Tablet> participants, Tablet oldPrimary, boolean waitForAll,
            Duration timeout, StepLog log) {
        var stops = calls.parallel(participants, timeout, t -> c -> c.stopReplicationAndGetStatus(
                StopReplicationAndGetStatusRequest.newBuilder()
                        .setStopReplicationMode(StopReplicationMode.IOTHREADONLY).build()).getStatus());
        Map<Tablet, GtidPosition> positions = new LinkedHashMap<>();
        List<String> unreachable = new ArrayList<>();
        for (Tablet t : participants) {
            String alias = ShardSnapshot.alias(t);
            var outcome = stops.get(alias);
            boolean isOldPrimary = oldPrimary != null && t.getAlias().equals(oldPrimary.getAlias());
            if (outcome.ok()) {
                Status after = outcome.value().getAfter();
                String relay = after.getRelayLogPosition().isEmpty() ? after.getPosition()
                        : after.getRelayLogPosition();
                positions.put(t, Positions.decode(relay));
                log.info(alias + " stopped its IO thread; relay log reaches '" + relay + "'");
                continue;
            }
            RuntimeException error = outcome.error();
            if (isOldPrimary && error instanceof TabletManagerException e && e.code() == Code.FAILED_PRECONDITION) {
                // It answers and is not a replica: its MySQL is alive and was primary. Make it read-only before
                // anything is promoted, so the shard never has two writable primaries.
                try {
                    String pos = calls.call(t, timeout, c -> c.demotePrimary(DemotePrimaryRequest.getDefaultInstance())
                            .getPrimaryStatus().getPosition());
                    positions.put(t, Positions.decode(pos));
                    log.warn("old primary " + alias + " answered: demoted it (read-only) at '" + pos + "'");
                } catch (RuntimeException demoteFailed) {
                    log.warn("old primary " + alias + " answered but could not be demoted: "
                            + Failures.describe(demoteFailed) + "; going on without it");
                }
                continue;
            }
            if (isOldPrimary) {
                log.info("old primary " + alias + " is unreachable, as expected: " + Failures.describe(error));
                continue;
            }
            unreachable.add(alias + " (" + Failures.describe(error) + ")");
            log.warn(alias + " is unreachable: " + Failures.describe(error));
        }
        if (waitForAll && !unreachable.isEmpty()) {
            throw new CtldException(Code.UNAVAILABLE, "--wait-for-all-tablets: " + String.join(", ", unreachable)
                    + " did not answer. Nothing was promoted; the replication IO thread is stopped on the tablets "
                    + "that answered. Repair them or run EmergencyReparentShard without --wait-for-all-tablets.");
        }
        return positions;
    }

    private void applyRelayLogs(Map<Tablet, GtidPosition> positions, Tablet oldPrimary, Duration timeout) {
        Map<String, GtidPosition> byAlias = new LinkedHashMap<>();
        List<Tablet> waiting = positions.keySet().stream()
                .filter(t -> oldPrimary == null || !t.getAlias().equals(oldPrimary.getAlias()))
                .toList();
        waiting.forEach(t -> byAlias.put(ShardSnapshot.alias(t), positions.get(t)));
        var waits = calls.parallel(waiting, timeout, t -> c -> c.waitForPosition(WaitForPositionRequest.newBuilder()
                .setPosition(Positions.encode(byAlias.get(ShardSnapshot.alias(t)))).build()));
        List<String> failed = new ArrayList<>();
        waits.forEach((alias, o) -> {
            if (!o.ok()) {
                failed.add(alias + " (" + Failures.describe(o.error()) + ")");
            }
        });
        if (!failed.isEmpty()) {
            // Going on without them could lose a write only their relay logs hold.
            throw new CtldException(Code.DEADLINE_EXCEEDED, "tablets " + String.join(", ", failed) + " did not "
                    + "apply their relay logs within " + timeout.toSeconds() + "s. Nothing was promoted; the "
                    + "replication IO thread is stopped on the tablets that answered. Run EmergencyReparentShard "
                    + "again with a longer --wait-replicas-timeout, or exclude them with --ignore-replicas.");
        }
    }

    /**
     * The durability check. Returns true when the only acknowledger left is the old primary, which is down: the
     * promotion still goes ahead (refusing would leave the shard with no primary at all, and no write is lost),
     * and the new primary's commits wait until it rejoins as a REPLICA.
     */
    private boolean checkAckers(ShardSnapshot snap, Tablet winner, List<Tablet> reachableOthers, Tablet oldPrimary,
            Set<TabletAlias> ignored, StepLog log) {
        int needed = snap.policy().requiredAcks();
        if (needed == 0 || AckerCheck.ackers(snap.policy(), winner, reachableOthers).size() >= needed) {
            return false;
        }
        if (oldPrimary != null && !ignored.contains(oldPrimary.getAlias())
                && snap.policy().acks(ShardSnapshot.typeAsReplica(oldPrimary))) {
            log.warn("durability policy '" + snap.policy().name() + "' needs " + needed + " acknowledging REPLICA "
                    + "and none is reachable besides " + ShardSnapshot.alias(winner) + ": writes on the new primary "
                    + "will wait until the old primary " + ShardSnapshot.alias(oldPrimary) + " is repaired and "
                    + "rejoins as a REPLICA (or another REPLICA is added)");
            return true;
        }
        AckerCheck.require(snap.policy(), winner, reachableOthers, ACTION, "Nothing was promoted; the replication "
                + "IO thread is stopped on the tablets that answered.");
        return false;
    }
}
