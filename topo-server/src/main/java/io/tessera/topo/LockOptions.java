package io.tessera.topo;

import java.time.Duration;

/**
 * How to take a lock.
 *
 * @param ttl how long the lock outlives its holder: the holder renews its lease while it lives, and a holder
 *     that dies (or is cut off) loses the lock once {@code ttl} passes without renewal
 * @param waitTimeout how long {@link TopoConn#lock} waits for a lock someone else holds before failing with
 *     {@link TopoException.Code#TIMEOUT}
 */
public record LockOptions(Duration ttl, Duration waitTimeout) {
    /** Vitess's defaults: a 30 s lease and a 45 s wait ({@code --topo_etcd_lease_ttl}, {@code --lock-timeout}). */
    public static final LockOptions DEFAULT = new LockOptions(Duration.ofSeconds(30), Duration.ofSeconds(45));

    public LockOptions {
        if (ttl == null || ttl.toMillis() < 1000) {
            throw new IllegalArgumentException("lock ttl must be at least 1s, got " + ttl);
        }
        if (waitTimeout == null || waitTimeout.isNegative()) {
            throw new IllegalArgumentException("lock wait timeout must not be negative, got " + waitTimeout);
        }
    }
}
