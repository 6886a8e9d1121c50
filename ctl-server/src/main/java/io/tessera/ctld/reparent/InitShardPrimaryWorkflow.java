package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.tabletmanagerdata.InitPrimaryRequest;
import io.tessera.proto.tabletmanagerdata.InitReplicaRequest;
import io.tessera.proto.tabletmanagerdata.PopulateReparentJournalRequest;
import io.tessera.proto.tabletmanagerdata.PrimaryPositionRequest;
import io.tessera.proto.tabletmanagerdata.ResetReplicationRequest;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.InitShardPrimaryRequest;
import io.tessera.proto.vtctldata.InitShardPrimaryResponse;
import io.tessera.proto.vtrpc.Code;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * InitShardPrimary (legacy InitShardMaster): makes a tablet the first primary of a shard and points every other
 * tablet at it. Destructive: it resets replication (binary logs and GTID history) on every tablet, so it refuses a
 * shard that has another primary unless forced, and even forced it refuses a primary that still answers.
 */
final class InitShardPrimaryWorkflow {
    static final String ACTION = "InitShardPrimary";
    private static final Duration PROBE = Duration.ofSeconds(5);

    private final TopoServer topo;
    private final TabletCalls calls;
    private final ShardRecordKeeper records;

    InitShardPrimaryWorkflow(TopoServer topo, TabletCalls calls) {
        this.topo = topo;
        this.calls = calls;
        this.records = new ShardRecordKeeper(topo);
    }

    InitShardPrimaryResponse run(InitShardPrimaryRequest request, Duration timeout) {
        String ks = request.getKeyspace();
        String shard = request.getShard();
        StepLog log = new StepLog(ACTION, ks, shard);
        if (!request.hasPrimaryElectTabletAlias() || request.getPrimaryElectTabletAlias().getUid() == 0) {
            throw CtldException.invalidArgument("InitShardPrimary needs the alias of the primary-elect tablet");
        }
        TabletAlias electAlias = request.getPrimaryElectTabletAlias();
        try (ShardLock lock = ShardLock.acquire(topo, ks, shard, ACTION, log)) {
            ShardSnapshot snap = ShardSnapshot.read(topo, ks, shard);
            Tablet elect = snap.require(electAlias, "primary-elect tablet");
            if (!snap.policy().promotable(elect.getType())) {
                throw CtldException.failedPrecondition("primary-elect tablet " + ShardSnapshot.describe(elect)
                        + " cannot be a primary: only a REPLICA may (RDONLY never is). Nothing was changed.");
            }
            List<Tablet> excluded = checkOtherPrimaries(snap, elect, request.getForce(), log);
            List<Tablet> replicas = snap.others(electAlias).stream().filter(t -> !excluded.contains(t)).toList();
            AckerCheck.require(snap.policy(), elect, replicas, ACTION, "Nothing was changed.");

            lock.check("resetting replication");
            List<Tablet> participants = new ArrayList<>(replicas);
            participants.add(elect);
            var resets = calls.parallel(participants, timeout,
                    t -> c -> c.resetReplication(ResetReplicationRequest.getDefaultInstance()));
            List<String> failedResets = failures(resets);
            if (!failedResets.isEmpty()) {
                throw new CtldException(Code.UNAVAILABLE, "ResetReplication failed on " + String.join("; ",
                        failedResets) + ". Replication was reset on the other tablets and no primary was made: "
                        + "the shard has no primary. Repair those tablets and run InitShardPrimary again.");
            }
            log.info("replication reset on " + participants.size() + " tablet(s)");

            lock.check("initialising the primary", "replication was reset on every tablet; no primary was made.");
            boolean semiSync = snap.policy().requiredAcks() > 0;
            String position = calls.callOrFail(elect, timeout,
                    c -> c.initPrimary(InitPrimaryRequest.newBuilder().setSemiSync(semiSync).build()).getPosition(),
                    "InitPrimary on " + ShardSnapshot.alias(elect), "Replication was reset on every tablet; the "
                            + "shard has no primary. Run InitShardPrimary again.");
            log.info(ShardSnapshot.alias(elect) + " is primary at '" + position + "' (semi-sync "
                    + (semiSync ? "on" : "off") + ")");

            long timeCreatedNs = System.currentTimeMillis() * 1_000_000L;
            // The journal row can only commit once a semi-sync replica acknowledges it, so it is written while
            // the replicas are initialised, never before.
            CompletableFuture<TabletCalls.Outcome<Object>> journal = calls.async(elect, timeout, c ->
                    c.populateReparentJournal(PopulateReparentJournalRequest.newBuilder()
                            .setTimeCreatedNs(timeCreatedNs).setActionName(ACTION).setPrimaryAlias(electAlias)
                            .setReplicationPosition(position).build()));
            Map<String, TabletCalls.Outcome<Object>> inits = calls.parallel(replicas, timeout, t -> c ->
                    c.initReplica(InitReplicaRequest.newBuilder().setParent(electAlias)
                            .setReplicationPosition(position).setTimeCreatedNs(timeCreatedNs)
                            .setSemiSync(snap.policy().acks(ShardSnapshot.typeAsReplica(t))).build()));
            inits.forEach((alias, o) -> {
                if (o.ok()) {
                    log.info(alias + " replicates from " + ShardSnapshot.alias(elect) + " and has journal row "
                            + timeCreatedNs);
                }
            });
            TabletCalls.Outcome<Object> written = TabletCalls.await(journal, timeout);
            List<String> failedInits = failures(inits);
            if (!written.ok()) {
                failedInits.add("journal row on " + ShardSnapshot.alias(elect) + ": "
                        + Failures.describe(written.error()));
            }
            lock.check("updating the shard record", ShardSnapshot.alias(elect) + " is the primary on MySQL.");
            records.ensure(ks, shard, electAlias, log);
            if (!failedInits.isEmpty()) {
                throw new CtldException(Code.UNAVAILABLE, ShardSnapshot.alias(elect) + " is the primary of shard "
                        + snap.name() + ", but " + String.join("; ", failedInits) + ". Point those tablets at it "
                        + "with ReparentTablet, or run InitShardPrimary again.");
            }
            log.info("shard " + snap.name() + " initialised with primary " + ShardSnapshot.alias(elect));
            return InitShardPrimaryResponse.newBuilder().addAllEvents(log.events()).build();
        }
    }

    /**
     * The tablets left out because they are a forced-away primary that no longer answers. Refuses when another
     * primary exists without {@code force}, or answers even with it.
     */
    private List<Tablet> checkOtherPrimaries(ShardSnapshot snap, Tablet elect, boolean force, StepLog log) {
        Set<Tablet> others = new LinkedHashSet<>();
        snap.primaryAlias().filter(a -> !a.equals(elect.getAlias())).ifPresent(a -> {
            Tablet t = snap.tablet(a).orElse(null);
            if (t == null) {
                if (!force) {
                    throw CtldException.failedPrecondition("shard " + snap.name() + " names "
                            + TabletAliases.format(a) + " as its primary. InitShardPrimary resets replication on "
                            + "every tablet; use PlannedReparentShard to move a primary, or -force if "
                            + TabletAliases.format(a) + " is gone. Nothing was changed.");
                }
                log.warn("the shard record names " + TabletAliases.format(a) + ", which has no tablet record; "
                        + "going on (-force)");
            } else {
                others.add(t);
            }
        });
        snap.all().stream().filter(t -> t.getType() == TabletType.PRIMARY && !t.getAlias().equals(elect.getAlias()))
                .forEach(others::add);
        if (others.isEmpty()) {
            return List.of();
        }
        String names = String.join(", ", others.stream().map(ShardSnapshot::alias).toList());
        if (!force) {
            throw CtldException.failedPrecondition("shard " + snap.name() + " already has a primary (" + names
                    + ") other than " + ShardSnapshot.alias(elect) + ". InitShardPrimary resets replication on every "
                    + "tablet and would throw away what that primary wrote: use PlannedReparentShard to move a "
                    + "healthy primary, EmergencyReparentShard for a dead one, or -force if it is gone for good. "
                    + "Nothing was changed.");
        }
        var probes = calls.parallel(others, PROBE,
                t -> c -> c.primaryPosition(PrimaryPositionRequest.getDefaultInstance()));
        List<String> alive = probes.entrySet().stream().filter(e -> e.getValue().ok()).map(Map.Entry::getKey)
                .toList();
        if (!alive.isEmpty()) {
            throw CtldException.failedPrecondition("even with -force, InitShardPrimary does not reset a shard whose "
                    + "primary still answers (" + String.join(", ", alive) + "): that would erase its data. Use "
                    + "PlannedReparentShard --new-primary " + ShardSnapshot.alias(elect) + ". Nothing was changed.");
        }
        log.warn("primary " + names + " does not answer; leaving it out (-force). It must not rejoin before it is "
                + "reset and pointed at the new primary");
        return List.copyOf(others);
    }

    private static List<String> failures(Map<String, ? extends TabletCalls.Outcome<?>> outcomes) {
        List<String> out = new ArrayList<>();
        outcomes.forEach((alias, o) -> {
            if (!o.ok()) {
                out.add(alias + ": " + Failures.describe(o.error()));
            }
        });
        return out;
    }
}
