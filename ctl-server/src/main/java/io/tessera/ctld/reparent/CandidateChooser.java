package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import io.tessera.replication.GtidPosition;
import io.tessera.replication.MostAdvanced;
import io.tessera.replication.Positions;
import io.tessera.tabletmanager.DurabilityPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which tablet a reparent promotes, from positions already collected. Only REPLICA tablets (and, in an
 * emergency, a PRIMARY-typed tablet that is not the old primary) may be chosen; RDONLY never is.
 */
final class CandidateChooser {
    private CandidateChooser() {}

    /** A tablet and the position it reported. */
    record Candidate(Tablet tablet, GtidPosition position) {}

    /** The emergency choice: who is promoted, and which tablet (if another) it must first catch up from. */
    record EmergencyChoice(Tablet winner, GtidPosition winnerPosition, Tablet catchUpFrom, GtidPosition target) {
        boolean needsCatchUp() {
            return catchUpFrom != null;
        }
    }

    /**
     * The planned-reparent choice: the most advanced of {@code candidates} (REPLICA-typed tablets that answered).
     *
     * @throws CtldException FAILED_PRECONDITION if there is none, or two of them diverged
     */
    static Tablet mostAdvancedReplica(List<Candidate> candidates, String shardName) {
        List<Candidate> eligible = candidates.stream().filter(c -> c.tablet().getType() == TabletType.REPLICA)
                .toList();
        if (eligible.isEmpty()) {
            throw CtldException.failedPrecondition("no REPLICA tablet of shard " + shardName + " can be promoted "
                    + "(RDONLY tablets never are; the others are excluded or did not answer). Nothing was changed.");
        }
        Map<Tablet, GtidPosition> positions = new LinkedHashMap<>();
        eligible.forEach(c -> positions.put(c.tablet(), c.position()));
        return switch (MostAdvanced.among(positions)) {
            case MostAdvanced.Found<Tablet> found -> found.leaders().getFirst();
            case MostAdvanced.Diverged<Tablet> d -> throw diverged(d, shardName);
        };
    }

    /**
     * The emergency choice among every tablet that answered ({@code all}, positions after their relay logs were
     * applied). The most advanced position must contain every other one; the winner is a promotable tablet that is
     * not the old primary: {@code preferred} if given, else a promotable tablet at the top position, else the most
     * advanced promotable tablet, which then catches up from a tablet at the top position first.
     *
     * @throws CtldException FAILED_PRECONDITION when positions diverged or no tablet may be promoted
     */
    static EmergencyChoice emergency(List<Candidate> all, DurabilityPolicy policy, Tablet oldPrimary,
            Tablet preferred, String shardName) {
        Map<Tablet, GtidPosition> positions = new LinkedHashMap<>();
        all.forEach(c -> positions.put(c.tablet(), c.position()));
        if (positions.isEmpty()) {
            throw CtldException.failedPrecondition("no tablet of shard " + shardName + " answered; nothing was "
                    + "promoted");
        }
        MostAdvanced.Found<Tablet> top = switch (MostAdvanced.among(positions)) {
            case MostAdvanced.Found<Tablet> found -> found;
            case MostAdvanced.Diverged<Tablet> d -> throw diverged(d, shardName);
        };
        List<Candidate> promotable = all.stream()
                .filter(c -> policy.promotable(c.tablet().getType()))
                .filter(c -> oldPrimary == null || !c.tablet().getAlias().equals(oldPrimary.getAlias()))
                .toList();
        Candidate winner;
        if (preferred != null) {
            winner = promotable.stream().filter(c -> c.tablet().getAlias().equals(preferred.getAlias())).findFirst()
                    .orElseThrow(() -> CtldException.failedPrecondition("new primary "
                            + ShardSnapshot.describe(preferred) + " cannot be promoted: only a reachable REPLICA "
                            + "that is not the old primary may be. Nothing was promoted."));
        } else {
            if (promotable.isEmpty()) {
                throw CtldException.failedPrecondition("no tablet of shard " + shardName + " may be promoted: none "
                        + "of the tablets that answered is a REPLICA (RDONLY tablets never are). Nothing was "
                        + "promoted; repair a REPLICA and run EmergencyReparentShard again.");
            }
            winner = promotable.stream().filter(c -> c.position().equals(top.position())).findFirst()
                    .orElseGet(() -> mostAdvanced(promotable, shardName));
        }
        if (winner.position().equals(top.position())) {
            return new EmergencyChoice(winner.tablet(), winner.position(), null, top.position());
        }
        return new EmergencyChoice(winner.tablet(), winner.position(), top.leaders().getFirst(), top.position());
    }

    private static Candidate mostAdvanced(List<Candidate> candidates, String shardName) {
        Map<Tablet, GtidPosition> positions = new LinkedHashMap<>();
        candidates.forEach(c -> positions.put(c.tablet(), c.position()));
        Tablet best = switch (MostAdvanced.among(positions)) {
            case MostAdvanced.Found<Tablet> found -> found.leaders().getFirst();
            case MostAdvanced.Diverged<Tablet> d -> throw diverged(d, shardName);
        };
        return candidates.stream().filter(c -> c.tablet() == best).findFirst().orElseThrow();
    }

    private static CtldException diverged(MostAdvanced.Diverged<Tablet> d, String shardName) {
        return CtldException.failedPrecondition("tablets " + ShardSnapshot.alias(d.first()) + " (at '"
                + Positions.encode(d.firstPosition()) + "') and " + ShardSnapshot.alias(d.second()) + " (at '"
                + Positions.encode(d.secondPosition()) + "') of shard " + shardName + " have diverged: each has a "
                + "transaction the other lacks, so promoting either would lose the other's. Nothing was promoted. "
                + "Find the errant transactions (GTIDs only one side has), repair or remove the tablet that has "
                + "them, then run the reparent again (or exclude that tablet with --ignore-replicas).");
    }
}
