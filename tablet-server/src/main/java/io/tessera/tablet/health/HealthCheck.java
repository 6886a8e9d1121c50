package io.tessera.tablet.health;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether the tablet serves, from what it means to do and what it measures:
 *
 * <ol>
 *   <li>mysqld must answer a trivial query; if not, the tablet is unhealthy with the probe's error;
 *   <li>a non-primary tablet must know its replication lag; if the heartbeat cannot be read it is unhealthy with
 *       the reason;
 *   <li>a lag above the unhealthy threshold makes it unhealthy; above the degraded threshold, degraded (still
 *       serving, no health error: see {@link HealthStatus#DEGRADED});
 *   <li>the tablet serves when it is not unhealthy and its state manager wants it to serve.
 * </ol>
 *
 * <p>A primary's lag is zero and not measured. One run takes at most about two mysql timeouts (the ping and,
 * on a replica whose reader has no reading yet, one heartbeat read). Thread-safe.
 */
public final class HealthCheck {
    private final HealthConfig config;
    private final MysqldProbe probe;
    private final ReplicationLagSource lagSource;
    private final TabletStateSource tabletState;

    /**
     * @param config the degraded and unhealthy thresholds
     * @param probe whether mysqld answers; {@link MysqldProbe#ping} with the dba connector in production
     * @param lagSource the replication lag; the tablet's {@link ReplicationTracker}
     * @param tabletState the tablet's target, serving intent and primary term
     */
    public HealthCheck(HealthConfig config, MysqldProbe probe, ReplicationLagSource lagSource,
            TabletStateSource tabletState) {
        this.config = Objects.requireNonNull(config, "config");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.lagSource = Objects.requireNonNull(lagSource, "lagSource");
        this.tabletState = Objects.requireNonNull(tabletState, "tabletState");
    }

    /** Checks once, now. */
    public HealthReport run() {
        TabletState state = tabletState.current();
        Optional<String> mysqlProblem = probe.problem();
        LagReading lag = mysqlProblem.isPresent() || state.isPrimary() ? LagReading.none() : lagSource.lag();
        return decide(state, mysqlProblem, lag, config);
    }

    /** The decision itself, apart from the measuring. */
    static HealthReport decide(TabletState state, Optional<String> mysqlProblem, LagReading lag,
            HealthConfig config) {
        Duration lagValue = Duration.ZERO;
        HealthStatus status;
        Optional<String> error = Optional.empty();
        if (mysqlProblem.isPresent()) {
            status = HealthStatus.UNHEALTHY;
            error = mysqlProblem;
        } else if (state.isPrimary()) {
            status = HealthStatus.HEALTHY;
        } else {
            switch (lag) {
                case LagReading.Unavailable u -> {
                    status = HealthStatus.UNHEALTHY;
                    error = Optional.of("replication lag unknown: " + u.reason());
                }
                case LagReading.Measured m when m.lag().compareTo(config.unhealthyThreshold()) > 0 -> {
                    lagValue = m.lag();
                    status = HealthStatus.UNHEALTHY;
                    error = Optional.of("replication lag " + m.lag().toSeconds() + "s is above the unhealthy"
                            + " threshold of " + config.unhealthyThreshold().toSeconds() + "s");
                }
                case LagReading.Measured m -> {
                    lagValue = m.lag();
                    status = m.lag().compareTo(config.degradedThreshold()) > 0
                            ? HealthStatus.DEGRADED : HealthStatus.HEALTHY;
                }
            }
        }
        boolean serving = state.wantServing() && status != HealthStatus.UNHEALTHY;
        return new HealthReport(state.target(), serving,
                state.isPrimary() ? state.primaryTermStart() : Optional.empty(), lagValue, error, status);
    }
}
