package io.tessera.tablet.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How the tablet measures and reports its health. The defaults are Vitess's; each field is named after the
 * Vitess flag that sets it.
 *
 * @param healthCheckInterval {@code --health_check_interval}: how often the tablet re-checks its health and
 *     pushes its state to every StreamHealth subscriber, changed or not
 * @param heartbeatInterval {@code --heartbeat_interval}: how often a primary writes its heartbeat and a replica
 *     reads it
 * @param degradedThreshold {@code --degraded_threshold}: a replica lagging more than this is reported degraded but
 *     keeps serving
 * @param unhealthyThreshold {@code --unhealthy_threshold}: a replica lagging more than this stops serving
 * @param mysqlTimeout how long one health query (ping, heartbeat read or write) may wait on mysqld before it
 *     counts as failed; keeps a hung server from stalling the checks
 */
public record HealthConfig(
        Duration healthCheckInterval,
        Duration heartbeatInterval,
        Duration degradedThreshold,
        Duration unhealthyThreshold,
        Duration mysqlTimeout) {

    public static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(20);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DEGRADED_THRESHOLD = Duration.ofSeconds(30);
    public static final Duration DEFAULT_UNHEALTHY_THRESHOLD = Duration.ofHours(2);
    public static final Duration DEFAULT_MYSQL_TIMEOUT = Duration.ofSeconds(5);

    public HealthConfig {
        requirePositive("health check interval (--health_check_interval)", healthCheckInterval);
        requirePositive("heartbeat interval (--heartbeat_interval)", heartbeatInterval);
        requirePositive("degraded threshold (--degraded_threshold)", degradedThreshold);
        requirePositive("unhealthy threshold (--unhealthy_threshold)", unhealthyThreshold);
        requirePositive("mysql timeout", mysqlTimeout);
        if (degradedThreshold.compareTo(unhealthyThreshold) >= 0) {
            throw new IllegalArgumentException("the degraded threshold (" + degradedThreshold
                    + ") must be below the unhealthy threshold (" + unhealthyThreshold + ")");
        }
    }

    /** Vitess's defaults: checks every 20 s, heartbeats every second, degraded above 30 s, unhealthy above 2 h. */
    public static HealthConfig defaults() {
        return new HealthConfig(DEFAULT_HEALTH_CHECK_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL,
                DEFAULT_DEGRADED_THRESHOLD, DEFAULT_UNHEALTHY_THRESHOLD, DEFAULT_MYSQL_TIMEOUT);
    }

    public HealthConfig withHealthCheckInterval(Duration interval) {
        return new HealthConfig(interval, heartbeatInterval, degradedThreshold, unhealthyThreshold, mysqlTimeout);
    }

    public HealthConfig withHeartbeatInterval(Duration interval) {
        return new HealthConfig(healthCheckInterval, interval, degradedThreshold, unhealthyThreshold, mysqlTimeout);
    }

    public HealthConfig withThresholds(Duration degraded, Duration unhealthy) {
        return new HealthConfig(healthCheckInterval, heartbeatInterval, degraded, unhealthy, mysqlTimeout);
    }

    public HealthConfig withMysqlTimeout(Duration timeout) {
        return new HealthConfig(healthCheckInterval, heartbeatInterval, degradedThreshold, unhealthyThreshold,
                timeout);
    }

    private static void requirePositive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive, got " + value);
        }
    }
}
