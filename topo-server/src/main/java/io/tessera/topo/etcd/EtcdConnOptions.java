package io.tessera.topo.etcd;

import java.time.Duration;

/**
 * How an {@link EtcdTopoConn} talks to etcd.
 *
 * @param operationTimeout the longest any single request to etcd may take (a get, a write, a lease grant); a
 *     request still unanswered then fails with {@code TIMEOUT}. Vitess's {@code --remote-operation-timeout}
 *     plays the same part.
 * @param maxPendingWatchEvents how many changes a watch may hold for a listener that has not yet consumed them;
 *     a watch that falls further behind ends with {@code Failed} instead of growing without bound
 */
public record EtcdConnOptions(Duration operationTimeout, int maxPendingWatchEvents) {

    /** A 15 s operation timeout (as Vitess) and room for 10,000 undelivered changes per watch. */
    public static final EtcdConnOptions DEFAULT = new EtcdConnOptions(Duration.ofSeconds(15), 10_000);

    public EtcdConnOptions {
        if (operationTimeout == null || operationTimeout.isNegative() || operationTimeout.isZero()) {
            throw new IllegalArgumentException("etcd operation timeout must be positive, got " + operationTimeout);
        }
        if (maxPendingWatchEvents < 1) {
            throw new IllegalArgumentException(
                    "maxPendingWatchEvents must be at least 1, got " + maxPendingWatchEvents);
        }
    }

    /** These options with another operation timeout. */
    public EtcdConnOptions withOperationTimeout(Duration timeout) {
        return new EtcdConnOptions(timeout, maxPendingWatchEvents);
    }

    /** These options with another bound on undelivered watch changes. */
    public EtcdConnOptions withMaxPendingWatchEvents(int max) {
        return new EtcdConnOptions(operationTimeout, max);
    }
}
