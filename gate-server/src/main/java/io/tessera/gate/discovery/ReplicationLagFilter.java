package io.tessera.gate.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Chooses which replica or rdonly candidates of one target serve, by replication lag. Two algorithms, selected by
 * {@code --legacy_replication_lag_algorithm}:
 *
 * <ul>
 *   <li><b>Legacy</b> (the default): with at most one candidate, or all at or below the low mark, all serve.
 *       Otherwise a candidate stays only if the mean lag of the others is more than 0.7 times the mean of all (an
 *       outlier pulls the mean of the others down, so this drops outliers); when exactly one was dropped and more
 *       than the minimum remain, the whole filter runs once more over the rest. If that leaves fewer than the
 *       minimum, the minimum-serving floor applies instead: the least-lagged candidates at or below the high mark,
 *       up to the minimum (all candidates, when none is at or below the high mark).
 *   <li><b>Non-legacy</b>: candidates above the high mark are dropped; of the rest, sorted by lag, every one at or
 *       below the low mark serves, and the least-lagged others fill up to the minimum.
 * </ul>
 *
 * <p>Stateless and thread-safe. The result keeps the candidates' input order.
 */
final class ReplicationLagFilter {
    /** How far the mean of the others may fall below the overall mean before a candidate counts as an outlier. */
    private static final double OUTLIER_FACTOR = 0.7;

    private final long lowSeconds;
    private final long highSeconds;
    private final int minServing;
    private final boolean legacy;

    ReplicationLagFilter(Duration low, Duration high, int minServing, boolean legacy) {
        this.lowSeconds = low.getSeconds();
        this.highSeconds = high.getSeconds();
        this.minServing = minServing;
        this.legacy = legacy;
    }

    static ReplicationLagFilter of(DiscoveryConfig config) {
        return new ReplicationLagFilter(config.lowReplicationLag(), config.highReplicationLagMinServing(),
                config.minNumberServingTablets(), config.legacyReplicationLagAlgorithm());
    }

    /** The candidates that serve, in input order; {@code lag} gives each one's replication lag in seconds. */
    <T> List<T> filter(List<T> candidates, ToLongFunction<T> lag) {
        return legacy ? legacy(candidates, lag, true) : byThresholds(candidates, lag);
    }

    private <T> List<T> legacy(List<T> candidates, ToLongFunction<T> lag, boolean mayRepeat) {
        if (candidates.size() <= 1 || candidates.stream().allMatch(c -> lag.applyAsLong(c) <= lowSeconds)) {
            return List.copyOf(candidates);
        }
        List<T> kept = withoutOutliers(candidates, lag);
        if (kept.size() >= minServing) {
            if (mayRepeat && kept.size() == candidates.size() - 1 && kept.size() > minServing) {
                // One outlier can hide another: with it gone the mean drops and a second one may stand out.
                return legacy(kept, lag, false);
            }
            return kept;
        }
        List<T> usable = candidates.stream().filter(c -> lag.applyAsLong(c) <= highSeconds).toList();
        if (usable.isEmpty()) {
            // Every candidate is far behind, and differently enough that the mean test dropped them: serving stale
            // data beats serving nothing, as the floor is meant to guarantee.
            return List.copyOf(candidates);
        }
        return inInputOrder(candidates, leastLagged(usable, lag, minServing));
    }

    private <T> List<T> withoutOutliers(List<T> candidates, ToLongFunction<T> lag) {
        long total = 0;
        for (T c : candidates) {
            total += lag.applyAsLong(c);
        }
        int n = candidates.size();
        double mean = (double) total / n;
        List<T> kept = new ArrayList<>(n);
        for (T c : candidates) {
            double othersMean = n == 1 ? 0 : (double) (total - lag.applyAsLong(c)) / (n - 1);
            if (othersMean > OUTLIER_FACTOR * mean) {
                kept.add(c);
            }
        }
        return kept;
    }

    private <T> List<T> byThresholds(List<T> candidates, ToLongFunction<T> lag) {
        List<T> usable = candidates.stream().filter(c -> lag.applyAsLong(c) <= highSeconds).toList();
        List<T> sorted = new ArrayList<>(usable);
        sorted.sort(Comparator.comparingLong(lag));
        List<T> chosen = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            T c = sorted.get(i);
            if (lag.applyAsLong(c) <= lowSeconds || i < minServing) {
                chosen.add(c);
            }
        }
        return inInputOrder(candidates, chosen);
    }

    private static <T> List<T> leastLagged(List<T> candidates, ToLongFunction<T> lag, int count) {
        List<T> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingLong(lag));
        return sorted.subList(0, Math.min(count, sorted.size()));
    }

    private static <T> List<T> inInputOrder(List<T> all, List<T> chosen) {
        // By identity: two candidates may well be equal as values (same lag, same fields).
        Set<T> picked = Collections.newSetFromMap(new IdentityHashMap<>());
        picked.addAll(chosen);
        return all.stream().filter(picked::contains).toList();
    }
}
