package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.Tablet;
import io.tessera.tabletmanager.DurabilityPolicy;
import java.util.Collection;
import java.util.List;

/**
 * The durability check before a promotion: with a policy that requires acknowledgements, a new primary with no
 * tablet left to acknowledge would block every commit (it never falls back to asynchronous replication), and the
 * reparent itself would hang on the journal row.
 */
final class AckerCheck {
    private AckerCheck() {}

    /** The tablets among {@code reachable} that will acknowledge the new primary's commits. */
    static List<Tablet> ackers(DurabilityPolicy policy, Tablet newPrimary, Collection<Tablet> reachable) {
        return reachable.stream()
                .filter(t -> !t.getAlias().equals(newPrimary.getAlias()))
                .filter(t -> policy.acks(ShardSnapshot.typeAsReplica(t)))
                .toList();
    }

    /**
     * Refuses the promotion of {@code newPrimary} unless enough of {@code reachable} will acknowledge.
     *
     * @throws CtldException FAILED_PRECONDITION naming the policy and the missing acknowledgers
     */
    static void require(DurabilityPolicy policy, Tablet newPrimary, Collection<Tablet> reachable, String action,
            String stateIfRefused) {
        int needed = policy.requiredAcks();
        if (needed == 0) {
            return;
        }
        List<Tablet> ackers = ackers(policy, newPrimary, reachable);
        if (ackers.size() < needed) {
            throw CtldException.failedPrecondition(action + " refused: durability policy '" + policy.name()
                    + "' needs " + needed + " acknowledging replica(s) (REPLICA type, reachable) besides the new "
                    + "primary " + ShardSnapshot.alias(newPrimary) + ", and there would be " + ackers.size()
                    + ": the new primary would block every commit, since it never falls back to asynchronous "
                    + "replication. " + stateIfRefused + " Add or repair a REPLICA tablet, then run it again.");
        }
    }
}
