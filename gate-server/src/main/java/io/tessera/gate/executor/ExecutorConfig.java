package io.tessera.gate.executor;

import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtgate.TransactionMode;
import java.time.Duration;
import java.util.Objects;

/**
 * How the gate's executor runs statements.
 *
 * @param defaultKeyspace the target of sessions that name none (for example {@code commerce} or
 *     {@code commerce@replica}); empty for none, in which case a cluster with exactly one keyspace serves that one
 * @param queryTimeout the longest a statement may run before the gate gives up on it and reports a timeout
 *     (Vitess {@code --query-timeout}); {@link Duration#ZERO} for none. A {@code QUERY_TIMEOUT_MS} comment or the
 *     session's {@code query_timeout} overrides it
 * @param maxMemoryRows the most rows a non-streamed result may hold in the gate (Vitess
 *     {@code --max_memory_rows}); a larger result fails with RESULT_ROWS_EXCEEDED
 * @param defaultTabletType the tablet type of targets that name none (Vitess {@code --default_tablet_type})
 * @param transactionMode how a transaction may span shards: {@link TransactionMode#SINGLE} (a second shard fails)
 *     or {@link TransactionMode#MULTI} (shard by shard, best effort); sessions may choose with
 *     {@code SET transaction_mode}
 * @param planCacheSize how many statement plans the gate keeps, by statement text
 * @param recentErrors how many recent errors the status page keeps
 */
public record ExecutorConfig(String defaultKeyspace, Duration queryTimeout, int maxMemoryRows,
        TabletType defaultTabletType, TransactionMode transactionMode, int planCacheSize, int recentErrors) {
    /** Vitess's default for {@code --max_memory_rows}. */
    public static final int DEFAULT_MAX_MEMORY_ROWS = 300_000;
    public static final int DEFAULT_PLAN_CACHE_SIZE = 5_000;
    public static final int DEFAULT_RECENT_ERRORS = 50;

    public ExecutorConfig {
        Objects.requireNonNull(defaultKeyspace, "defaultKeyspace");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        Objects.requireNonNull(defaultTabletType, "defaultTabletType");
        Objects.requireNonNull(transactionMode, "transactionMode");
        if (!defaultKeyspace.isEmpty()) {
            TargetString.parse(defaultKeyspace); // throws for a malformed target
        }
        if (queryTimeout.isNegative()) {
            throw new IllegalArgumentException("queryTimeout must not be negative, got " + queryTimeout);
        }
        if (maxMemoryRows <= 0) {
            throw new IllegalArgumentException("maxMemoryRows must be positive, got " + maxMemoryRows);
        }
        if (defaultTabletType != TabletType.PRIMARY && defaultTabletType != TabletType.REPLICA
                && defaultTabletType != TabletType.RDONLY) {
            throw new IllegalArgumentException("defaultTabletType must be PRIMARY, REPLICA or RDONLY, got "
                    + defaultTabletType);
        }
        if (transactionMode == TransactionMode.UNSPECIFIED) {
            transactionMode = TransactionMode.SINGLE;
        }
        if (transactionMode != TransactionMode.SINGLE && transactionMode != TransactionMode.MULTI) {
            throw new IllegalArgumentException("transactionMode must be SINGLE or MULTI, got " + transactionMode);
        }
        if (planCacheSize < 0) {
            throw new IllegalArgumentException("planCacheSize must not be negative, got " + planCacheSize);
        }
        if (recentErrors <= 0) {
            throw new IllegalArgumentException("recentErrors must be positive, got " + recentErrors);
        }
    }

    /**
     * The defaults: no default keyspace, no query timeout, 300000 rows in memory, PRIMARY, SINGLE, 5000 plans, 50
     * recent errors.
     */
    public static ExecutorConfig defaults() {
        return new ExecutorConfig("", Duration.ZERO, DEFAULT_MAX_MEMORY_ROWS, TabletType.PRIMARY,
                TransactionMode.SINGLE, DEFAULT_PLAN_CACHE_SIZE, DEFAULT_RECENT_ERRORS);
    }

    /** This config with another default keyspace (a target string). */
    public ExecutorConfig withDefaultKeyspace(String target) {
        return new ExecutorConfig(target, queryTimeout, maxMemoryRows, defaultTabletType, transactionMode,
                planCacheSize, recentErrors);
    }

    /** This config with another query timeout. */
    public ExecutorConfig withQueryTimeout(Duration timeout) {
        return new ExecutorConfig(defaultKeyspace, timeout, maxMemoryRows, defaultTabletType, transactionMode,
                planCacheSize, recentErrors);
    }

    /** This config with another row limit. */
    public ExecutorConfig withMaxMemoryRows(int rows) {
        return new ExecutorConfig(defaultKeyspace, queryTimeout, rows, defaultTabletType, transactionMode,
                planCacheSize, recentErrors);
    }

    /** This config with another default tablet type. */
    public ExecutorConfig withDefaultTabletType(TabletType type) {
        return new ExecutorConfig(defaultKeyspace, queryTimeout, maxMemoryRows, type, transactionMode,
                planCacheSize, recentErrors);
    }

    /** This config with another transaction mode. */
    public ExecutorConfig withTransactionMode(TransactionMode mode) {
        return new ExecutorConfig(defaultKeyspace, queryTimeout, maxMemoryRows, defaultTabletType, mode,
                planCacheSize, recentErrors);
    }
}
