package io.tessera.tablet.health;

/** How healthy a tablet is, as far as serving goes. */
public enum HealthStatus {
    /** mysqld answers and replication lag (if any) is at or below the degraded threshold. */
    HEALTHY,
    /**
     * mysqld answers and replication lag is above the degraded threshold but at or below the unhealthy one. The
     * tablet keeps serving and reports no health error: the gate sees the lag itself and prefers less lagged
     * tablets. The status exists for the tablet's status page and metrics.
     */
    DEGRADED,
    /**
     * mysqld does not answer, the lag is unknown, or it is above the unhealthy threshold. The tablet does not
     * serve and reports a health error saying why.
     */
    UNHEALTHY
}
