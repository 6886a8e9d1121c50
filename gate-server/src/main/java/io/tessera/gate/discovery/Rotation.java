package io.tessera.gate.discovery;

import io.tessera.proto.topodata.TabletAlias;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tablets one target is routed to, as the {@link TabletPicker} chose them; immutable but for the turn counter,
 * which spreads consecutive requests over the preferred tablets in turn.
 */
final class Rotation {
    static final Rotation EMPTY = new Rotation(List.of(), List.of(), 0);

    private final List<TabletConnection> preferred;
    private final List<TabletConnection> fallback;
    private final AtomicInteger turn;

    /**
     * @param firstTurn where the turn counter starts: a rotation that replaces another continues its count, so
     *     that frequent changes do not keep sending the next request to the first tablet
     */
    Rotation(List<TabletConnection> preferred, List<TabletConnection> fallback, int firstTurn) {
        this.preferred = List.copyOf(preferred);
        this.fallback = List.copyOf(fallback);
        this.turn = new AtomicInteger(firstTurn);
    }

    /** Whether this rotation routes to exactly these tablets, in this order. */
    boolean sameTablets(List<TabletConnection> otherPreferred, List<TabletConnection> otherFallback) {
        return preferred.equals(otherPreferred) && fallback.equals(otherFallback);
    }

    int currentTurn() {
        return turn.get();
    }

    boolean isEmpty() {
        return preferred.isEmpty();
    }

    /**
     * The next tablet to try that is not in {@code exclude}: a preferred one, the next in turn, or else a fallback
     * one; null when every tablet was excluded.
     */
    TabletConnection pick(Set<TabletAlias> exclude) {
        int start = turn.getAndIncrement();
        TabletConnection next = firstAllowed(preferred, start, exclude);
        return next != null ? next : firstAllowed(fallback, start, exclude);
    }

    private static TabletConnection firstAllowed(List<TabletConnection> tablets, int start, Set<TabletAlias> exclude) {
        int n = tablets.size();
        for (int i = 0; i < n; i++) {
            TabletConnection t = tablets.get(Math.floorMod(start + i, n));
            if (!exclude.contains(t.alias())) {
                return t;
            }
        }
        return null;
    }
}
