package io.tessera.replication;

import java.util.List;
import java.util.Map;

/**
 * Finds the server whose position contains every other's: the candidate an emergency reparent promotes. When no
 * such server exists, two of them diverged, and promoting either would lose what only the other has.
 */
public final class MostAdvanced {
    private MostAdvanced() {}

    /** The outcome of {@link #among(Map)}. */
    public sealed interface Outcome<K> permits Found, Diverged {}

    /**
     * Every server in {@code leaders} is at {@code position}, which contains every other server's position.
     *
     * @param leaders the servers at the most advanced position, in the order the input map listed them
     * @param position their common position
     */
    public record Found<K>(List<K> leaders, GtidPosition position) implements Outcome<K> {
        public Found {
            leaders = List.copyOf(leaders);
        }
    }

    /**
     * Two servers each have a transaction the other lacks (see {@link PositionComparison#DIVERGED}), so there is no
     * most advanced server.
     */
    public record Diverged<K>(K first, GtidPosition firstPosition, K second, GtidPosition secondPosition)
            implements Outcome<K> {}

    /**
     * Finds the most advanced of {@code positions}.
     *
     * @param positions each candidate's position, for example each replica's relay-log position by tablet alias
     * @throws IllegalArgumentException if {@code positions} is empty, or mixes MariaDB and MySQL positions
     */
    public static <K> Outcome<K> among(Map<K, GtidPosition> positions) {
        if (positions.isEmpty()) {
            throw new IllegalArgumentException("no positions to choose from");
        }
        Map.Entry<K, GtidPosition> best = null;
        for (Map.Entry<K, GtidPosition> candidate : positions.entrySet()) {
            if (best == null) {
                best = candidate;
                continue;
            }
            switch (candidate.getValue().compareWith(best.getValue())) {
                case AHEAD -> best = candidate;
                case DIVERGED -> {
                    return new Diverged<>(best.getKey(), best.getValue(), candidate.getKey(), candidate.getValue());
                }
                case EQUAL, BEHIND -> { }
            }
        }
        // Containment is transitive, so the survivor of one pass contains every position it was compared with, and
        // through them every other one; what is left is to collect the servers tied with it.
        GtidPosition top = best.getValue();
        List<K> leaders = positions.entrySet().stream()
                .filter(candidate -> candidate.getValue().equals(top))
                .map(Map.Entry::getKey)
                .toList();
        return new Found<>(leaders, top);
    }
}
