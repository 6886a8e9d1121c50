package io.tessera.ctld.reparent;

import io.tessera.proto.tabletmanagerdata.PopulateReparentJournalRequest;
import io.tessera.proto.tabletmanagerdata.SetReplicationSourceRequest;
import io.tessera.proto.topodata.Tablet;
import io.tessera.replication.Positions;
import io.tessera.replication.GtidPosition;
import io.tessera.tabletmanager.DurabilityPolicy;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The last phase of a promotion: the reparent journal row on the new primary, written while every other tablet is
 * pointed at it. With semi-sync the journal insert returns only once a replica acknowledged it, so the replicas
 * must be repointed concurrently (as Vitess does), never after the insert returned.
 */
final class Repointer {
    private final TabletCalls calls;

    Repointer(TabletCalls calls) {
        this.calls = calls;
    }

    /** What happened: the journal insert's outcome and each tablet's. */
    record Result(TabletCalls.Outcome<Object> journal, Map<String, TabletCalls.Outcome<Object>> replicas) {
        List<String> failedReplicas() {
            return replicas.entrySet().stream().filter(e -> !e.getValue().ok()).map(Map.Entry::getKey).toList();
        }
    }

    /**
     * Writes journal row {@code timeCreatedNs} on {@code primary} and points {@code others} at it, each
     * acknowledging per {@code policy} in the type it will have; {@code forceStart} says which tablets must start
     * replicating even if they were stopped.
     */
    Result run(String action, Tablet primary, GtidPosition position, Collection<Tablet> others,
            DurabilityPolicy policy, Predicate<Tablet> forceStart, Duration timeout, StepLog log) {
        long timeCreatedNs = System.currentTimeMillis() * 1_000_000L;
        log.info("writing reparent journal row " + timeCreatedNs + " on " + ShardSnapshot.alias(primary)
                + " while pointing " + others.size() + " tablet(s) at it");
        CompletableFuture<TabletCalls.Outcome<Object>> journal = calls.async(primary, timeout, c ->
                c.populateReparentJournal(PopulateReparentJournalRequest.newBuilder().setTimeCreatedNs(timeCreatedNs)
                        .setActionName(action).setPrimaryAlias(primary.getAlias())
                        .setReplicationPosition(Positions.encode(position)).build()));
        Map<String, TabletCalls.Outcome<Object>> replicas = calls.parallel(others, timeout, t -> c -> {
            boolean semiSync = policy.acks(ShardSnapshot.typeAsReplica(t));
            return c.setReplicationSource(SetReplicationSourceRequest.newBuilder().setParent(primary.getAlias())
                    .setTimeCreatedNs(timeCreatedNs).setSemiSync(semiSync).setForceStartReplication(forceStart.test(t))
                    .build());
        });
        replicas.forEach((alias, outcome) -> {
            if (outcome.ok()) {
                log.info("tablet " + alias + " replicates from " + ShardSnapshot.alias(primary)
                        + " and has the journal row");
            } else {
                log.warn("tablet " + alias + " could not be pointed at " + ShardSnapshot.alias(primary) + ": "
                        + Failures.describe(outcome.error()));
            }
        });
        TabletCalls.Outcome<Object> written = TabletCalls.await(journal, timeout);
        if (written.ok()) {
            log.info("reparent journal row written on " + ShardSnapshot.alias(primary));
        } else {
            log.warn("reparent journal row not confirmed on " + ShardSnapshot.alias(primary) + ": "
                    + Failures.describe(written.error()));
        }
        return new Result(written, replicas);
    }
}
