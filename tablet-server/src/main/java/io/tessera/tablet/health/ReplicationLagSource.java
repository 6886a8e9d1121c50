package io.tessera.tablet.health;

/**
 * Where the health check learns the tablet's replication lag. {@link ReplicationTracker} is the implementation;
 * implementations are thread-safe.
 */
@FunctionalInterface
public interface ReplicationLagSource {
    /** The lag as of now. May run one quick query, bounded by a timeout; never throws. */
    LagReading lag();
}
