package io.tessera.tablet.health;

import io.tessera.proto.query.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one health check: what the tablet tells the gates about itself.
 *
 * @param target the target the tablet serves
 * @param serving whether it accepts queries for the target now: it intends to and is not {@link HealthStatus#UNHEALTHY}
 * @param primaryTermStart when the tablet's primary term started; present only for a PRIMARY target
 * @param replicationLag the replication lag; zero on a primary and whenever it is unknown
 * @param healthError why the tablet is unhealthy; present exactly when the status is {@link HealthStatus#UNHEALTHY}
 * @param status the health status
 */
public record HealthReport(
        Target target,
        boolean serving,
        Optional<Instant> primaryTermStart,
        Duration replicationLag,
        Optional<String> healthError,
        HealthStatus status) {

    public HealthReport {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(primaryTermStart, "primaryTermStart");
        Objects.requireNonNull(replicationLag, "replicationLag");
        Objects.requireNonNull(healthError, "healthError");
        Objects.requireNonNull(status, "status");
        if (healthError.isPresent() != (status == HealthStatus.UNHEALTHY)) {
            throw new IllegalArgumentException("a health error goes with the UNHEALTHY status and only with it, got "
                    + status + " and " + healthError);
        }
        if (serving && status == HealthStatus.UNHEALTHY) {
            throw new IllegalArgumentException("an unhealthy tablet cannot be serving");
        }
    }

    /**
     * What a tablet reports before its first health check: not serving, no error. Vitess reports the same, and
     * the first check follows within moments.
     */
    public static HealthReport notYetChecked(Target target) {
        return new HealthReport(target, false, Optional.empty(), Duration.ZERO, Optional.empty(),
                HealthStatus.HEALTHY);
    }
}
