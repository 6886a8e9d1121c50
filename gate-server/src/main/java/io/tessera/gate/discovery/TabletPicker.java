package io.tessera.gate.discovery;

import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Decides which tablets of one target the gate routes to. A tablet is a candidate only if it says it is serving,
 * reports no health error and has sent at least one report.
 *
 * <ul>
 *   <li>PRIMARY: only a candidate whose primary term is the newest one seen for the shard; of several with that
 *       term, the one that claimed it last. A primary of an older term is never used, even while it still says it
 *       is serving (it is being demoted, or it is cut off and does not know it yet).
 *   <li>REPLICA, RDONLY and the rest: the candidates that pass the {@link ReplicationLagFilter}; those in the
 *       gate's own cell come first, and the others serve only as retries, unless the own cell has none.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class TabletPicker {
    /**
     * One tablet of the target as the picker sees it.
     *
     * @param health its last health report
     * @param primaryClaim for a primary, a sequence number that grows each time some tablet starts claiming a
     *     primary term: of two claims of the same term, the later one wins
     */
    record Member(TabletHealth health, long primaryClaim) {}

    /**
     * The outcome for one target.
     *
     * @param preferred the tablets in rotation, tried first and in turn
     * @param fallback tablets that also qualify but sit in other cells, tried only when the preferred ones failed
     */
    record Selection(List<TabletAlias> preferred, List<TabletAlias> fallback) {
        static final Selection NONE = new Selection(List.of(), List.of());

        Selection {
            preferred = List.copyOf(preferred);
            fallback = List.copyOf(fallback);
        }
    }

    private final String localCell;
    private final ReplicationLagFilter lagFilter;

    TabletPicker(String localCell, ReplicationLagFilter lagFilter) {
        this.localCell = Objects.requireNonNull(localCell, "localCell");
        this.lagFilter = Objects.requireNonNull(lagFilter, "lagFilter");
    }

    /** Whether a tablet may be routed to at all, whatever else serves its target. */
    static boolean isCandidate(TabletHealth health) {
        return health.serving() && health.healthError().isEmpty() && health.lastReport() != null;
    }

    /**
     * The tablets of a target to route to.
     *
     * @param type the target's tablet type
     * @param members every tablet currently reporting that target
     * @param newestPrimaryTerm for PRIMARY, the newest primary term any tablet of the shard has reported
     */
    Selection select(TabletType type, List<Member> members, long newestPrimaryTerm) {
        List<Member> candidates = members.stream().filter(m -> isCandidate(m.health())).toList();
        if (candidates.isEmpty()) {
            return Selection.NONE;
        }
        if (type == TabletType.PRIMARY) {
            return candidates.stream()
                    .filter(m -> m.health().primaryTermStartSeconds() >= newestPrimaryTerm)
                    .max(Comparator.comparingLong((Member m) -> m.health().primaryTermStartSeconds())
                            .thenComparingLong(Member::primaryClaim))
                    .map(m -> new Selection(List.of(alias(m)), List.of()))
                    .orElse(Selection.NONE);
        }
        List<Member> kept = lagFilter.filter(candidates, m -> m.health().replicationLagSeconds());
        List<TabletAlias> local = new ArrayList<>();
        List<TabletAlias> remote = new ArrayList<>();
        for (Member m : kept) {
            (alias(m).getCell().equals(localCell) ? local : remote).add(alias(m));
        }
        return local.isEmpty() ? new Selection(remote, List.of()) : new Selection(local, remote);
    }

    private static TabletAlias alias(Member m) {
        return m.health().tablet().getAlias();
    }
}
