package io.tessera.gate.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the gate finds tablets, follows their health and chooses among them. Each field is named after the Vitess
 * flag that sets it (see {@code ROUTING.md} beside this class); {@link #defaults(String)} gives Vitess's defaults
 * except where noted.
 *
 * @param localCell the gate's own cell: replica and rdonly traffic stays in it while it has tablets in rotation
 *     ({@code --cell})
 * @param cellsToWatch the cells whose tablets the gate follows ({@code --cells_to_watch})
 * @param tabletRefreshInterval how often the topology is re-read for added, moved and removed tablets
 *     ({@code --tablet_refresh_interval}; 5 s, where Vitess waits 1 min)
 * @param healthCheckRetryDelay how long to wait before reopening a broken health stream
 *     ({@code --healthcheck_retry_delay})
 * @param healthCheckTimeout a tablet that sends no health report for this long is taken as not serving
 *     ({@code --healthcheck_timeout})
 * @param lowReplicationLag replica lag at or below this is always good enough to serve
 *     ({@code --discovery_low_replication_lag})
 * @param highReplicationLagMinServing replica lag above this disqualifies a tablet even when the gate is short of
 *     tablets ({@code --discovery_high_replication_lag_minimum_serving})
 * @param minNumberServingTablets how many tablets per target the lag filter keeps serving, when that many qualify
 *     ({@code --min_number_serving_vttablets})
 * @param legacyReplicationLagAlgorithm whether the lag filter drops outliers against the mean (true) or simply
 *     keeps the low-lag tablets plus the least lagged up to the minimum (false)
 *     ({@code --legacy_replication_lag_algorithm})
 * @param retryCount how many more replica or rdonly tablets a read is tried on after one answers that it is not
 *     serving or cannot be reached ({@code --retry-count})
 */
public record DiscoveryConfig(
        String localCell,
        List<String> cellsToWatch,
        Duration tabletRefreshInterval,
        Duration healthCheckRetryDelay,
        Duration healthCheckTimeout,
        Duration lowReplicationLag,
        Duration highReplicationLagMinServing,
        int minNumberServingTablets,
        boolean legacyReplicationLagAlgorithm,
        int retryCount) {

    public static final Duration DEFAULT_TABLET_REFRESH_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HEALTH_CHECK_RETRY_DELAY = Duration.ofSeconds(2);
    public static final Duration DEFAULT_HEALTH_CHECK_TIMEOUT = Duration.ofMinutes(1);
    public static final Duration DEFAULT_LOW_REPLICATION_LAG = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HIGH_REPLICATION_LAG_MIN_SERVING = Duration.ofHours(2);
    public static final int DEFAULT_MIN_NUMBER_SERVING_TABLETS = 2;
    public static final boolean DEFAULT_LEGACY_REPLICATION_LAG_ALGORITHM = true;
    public static final int DEFAULT_RETRY_COUNT = 2;

    public DiscoveryConfig {
        requireName("local cell (--cell)", localCell);
        Objects.requireNonNull(cellsToWatch, "cellsToWatch");
        if (cellsToWatch.isEmpty()) {
            throw new IllegalArgumentException("the cells to watch (--cells_to_watch) must name at least one cell");
        }
        cellsToWatch.forEach(cell -> requireName("cell to watch (--cells_to_watch)", cell));
        cellsToWatch = cellsToWatch.stream().distinct().toList();
        requirePositive("tablet refresh interval (--tablet_refresh_interval)", tabletRefreshInterval);
        requirePositive("health check retry delay (--healthcheck_retry_delay)", healthCheckRetryDelay);
        requirePositive("health check timeout (--healthcheck_timeout)", healthCheckTimeout);
        requirePositive("low replication lag (--discovery_low_replication_lag)", lowReplicationLag);
        requirePositive("high replication lag (--discovery_high_replication_lag_minimum_serving)",
                highReplicationLagMinServing);
        if (highReplicationLagMinServing.compareTo(lowReplicationLag) <= 0) {
            throw new IllegalArgumentException("the high replication lag mark (" + highReplicationLagMinServing
                    + ", --discovery_high_replication_lag_minimum_serving) must be above the low mark ("
                    + lowReplicationLag + ", --discovery_low_replication_lag)");
        }
        if (minNumberServingTablets < 0) {
            throw new IllegalArgumentException("the minimum number of serving tablets "
                    + "(--min_number_serving_vttablets) cannot be negative, got " + minNumberServingTablets);
        }
        if (retryCount < 0) {
            throw new IllegalArgumentException("the retry count (--retry-count) cannot be negative, got "
                    + retryCount);
        }
    }

    /** The defaults for a gate in {@code cell}, watching only that cell. */
    public static DiscoveryConfig defaults(String cell) {
        return new DiscoveryConfig(cell, List.of(cell), DEFAULT_TABLET_REFRESH_INTERVAL,
                DEFAULT_HEALTH_CHECK_RETRY_DELAY, DEFAULT_HEALTH_CHECK_TIMEOUT, DEFAULT_LOW_REPLICATION_LAG,
                DEFAULT_HIGH_REPLICATION_LAG_MIN_SERVING, DEFAULT_MIN_NUMBER_SERVING_TABLETS,
                DEFAULT_LEGACY_REPLICATION_LAG_ALGORITHM, DEFAULT_RETRY_COUNT);
    }

    public DiscoveryConfig withCellsToWatch(List<String> cells) {
        return new DiscoveryConfig(localCell, cells, tabletRefreshInterval, healthCheckRetryDelay,
                healthCheckTimeout, lowReplicationLag, highReplicationLagMinServing, minNumberServingTablets,
                legacyReplicationLagAlgorithm, retryCount);
    }

    /** A copy with other topology refresh, stream retry and silence timeout intervals. */
    public DiscoveryConfig withIntervals(Duration refresh, Duration retryDelay, Duration timeout) {
        return new DiscoveryConfig(localCell, cellsToWatch, refresh, retryDelay, timeout, lowReplicationLag,
                highReplicationLagMinServing, minNumberServingTablets, legacyReplicationLagAlgorithm, retryCount);
    }

    /** A copy with another replication lag filter. */
    public DiscoveryConfig withLagFilter(Duration low, Duration high, int minServing, boolean legacy) {
        return new DiscoveryConfig(localCell, cellsToWatch, tabletRefreshInterval, healthCheckRetryDelay,
                healthCheckTimeout, low, high, minServing, legacy, retryCount);
    }

    public DiscoveryConfig withRetryCount(int count) {
        return new DiscoveryConfig(localCell, cellsToWatch, tabletRefreshInterval, healthCheckRetryDelay,
                healthCheckTimeout, lowReplicationLag, highReplicationLagMinServing, minNumberServingTablets,
                legacyReplicationLagAlgorithm, count);
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be empty");
        }
    }

    private static void requirePositive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive, got " + value);
        }
    }
}
