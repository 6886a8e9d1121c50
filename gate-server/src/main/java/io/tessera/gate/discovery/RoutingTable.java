package io.tessera.gate.discovery;

import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tablets each target is routed to, and what the choice of primaries depends on: the newest primary term seen
 * per shard and the order in which tablets claimed their terms. Changes are made by the {@link HealthCheck} under its
 * lock; {@link #rotation} may be read from any thread without it.
 */
final class RoutingTable {
    /**
     * The tablet a shard's PRIMARY traffic goes to changed.
     *
     * @param shard the shard's PRIMARY target
     * @param primary the tablet now routed to, or null for none
     */
    record PrimaryChange(TargetKey shard, TabletConnection primary) {}

    private final TabletPicker picker;
    private final Map<TargetKey, Rotation> rotations = new ConcurrentHashMap<>();
    /** The newest primary term reported per shard, keyed by its PRIMARY target. */
    private final Map<TargetKey, Long> newestPrimaryTerms = new HashMap<>();
    private final Map<TargetKey, TabletAlias> routedPrimaries = new HashMap<>();
    private long claims;

    RoutingTable(TabletPicker picker) {
        this.picker = Objects.requireNonNull(picker, "picker");
    }

    /** The tablets a target is routed to; {@link Rotation#EMPTY} when it has none. */
    Rotation rotation(TargetKey target) {
        return rotations.getOrDefault(target, Rotation.EMPTY);
    }

    /**
     * Records that a tablet reports being primary of {@code shard} with {@code term}.
     *
     * @param newClaim whether the tablet did not claim this very term before (it just became primary, or reports
     *     a new term): only then does it get a new, later claim number
     * @param previousClaim the tablet's claim number so far
     * @return the tablet's claim number from now on
     */
    long claimPrimary(TargetKey shard, long term, boolean newClaim, long previousClaim) {
        newestPrimaryTerms.merge(shard, term, Math::max);
        return newClaim ? ++claims : previousClaim;
    }

    /**
     * Re-chooses the tablets of one target among its {@code members} (every tablet now reporting it), and marks
     * each member in or out of rotation.
     *
     * @return the change of the shard's routed primary, for a PRIMARY target whose primary changed; else null
     */
    PrimaryChange recompute(TargetKey key, List<TabletConnection> members) {
        long newestTerm = key.type() == TabletType.PRIMARY ? newestPrimaryTerms.getOrDefault(key, 0L) : 0;
        TabletPicker.Selection selection = picker.select(key.type(),
                members.stream().map(c -> new TabletPicker.Member(c.health(), c.primaryClaim)).toList(), newestTerm);
        Map<TabletAlias, TabletConnection> byAlias = new HashMap<>();
        members.forEach(c -> byAlias.put(c.alias(), c));
        List<TabletConnection> preferred = selection.preferred().stream().map(byAlias::get).toList();
        List<TabletConnection> fallback = selection.fallback().stream().map(byAlias::get).toList();

        Rotation old = rotations.get(key);
        if (members.isEmpty()) {
            rotations.remove(key);
        } else if (old == null || !old.sameTablets(preferred, fallback)) {
            rotations.put(key, new Rotation(preferred, fallback, old == null ? 0 : old.currentTurn()));
        }
        for (TabletConnection c : members) {
            boolean in = preferred.contains(c);
            TabletHealth h = c.health();
            if (h.inRotation() != in) {
                c.health(new TabletHealth(h.tablet(), h.target(), h.serving(), h.replicationLagSeconds(),
                        h.healthError(), h.primaryTermStartSeconds(), h.lastReport(), in));
            }
        }
        if (key.type() != TabletType.PRIMARY) {
            return null;
        }
        TabletConnection now = preferred.isEmpty() ? null : preferred.get(0);
        TabletAlias nowAlias = now == null ? null : now.alias();
        if (Objects.equals(routedPrimaries.get(key), nowAlias)) {
            return null;
        }
        if (nowAlias == null) {
            routedPrimaries.remove(key);
        } else {
            routedPrimaries.put(key, nowAlias);
        }
        return new PrimaryChange(key, now);
    }

    /** Forgets every rotation (the health check is closing); the newest terms are kept. */
    void clear() {
        rotations.clear();
        routedPrimaries.clear();
    }
}
