package io.tessera.tablet.queryservice;

import java.time.Duration;
import java.util.Objects;

/**
 * Pools and limits of the tablet's query service. Names and defaults follow vttablet's
 * {@code --queryserver-config-*} flags (see {@link QueryServiceFlags}); build one with {@link #defaults()} and the
 * {@code with*} methods.
 *
 * @param poolSize connections for ordinary queries ({@code --queryserver-config-pool-size}, 16)
 * @param streamPoolSize connections for streamed queries ({@code --queryserver-config-stream-pool-size}, 200)
 * @param transactionCap the most transactions open at once ({@code --queryserver-config-transaction-cap}, 20)
 * @param txPoolTimeout how long Begin waits for a transaction connection before failing with RESOURCE_EXHAUSTED
 *     ({@code --queryserver-config-txpool-timeout}, 1 s; at least 250 ms)
 * @param queryTimeout how long one statement may run before it is killed on mysqld
 *     ({@code --queryserver-config-query-timeout}, 30 s; zero means no timeout)
 * @param transactionTimeout how long a transaction may stay open before it is rolled back
 *     ({@code --queryserver-config-transaction-timeout}, 30 s; zero means never)
 * @param maxResultSize the most rows Execute returns before failing; streamed results are not limited
 *     ({@code --queryserver-config-max-result-size}, 10000)
 * @param idleTimeout how long an unused pooled connection, or a reserved connection no call used, stays open
 *     ({@code --queryserver-config-idle-timeout}, 30 min; zero keeps connections open; otherwise at least 10 s)
 * @param queryPoolTimeout how long a query waits for a pooled connection
 *     ({@code --queryserver-config-query-pool-timeout}; zero, the default, means the query timeout, or 30 s when
 *     that is zero too)
 * @param streamPoolTimeout the same for streamed queries ({@code --queryserver-config-stream-pool-timeout})
 * @param streamBufferSize the most value bytes one streamed message carries
 *     ({@code --queryserver-config-stream-buffer-size}, 32 KiB)
 */
public record QueryServiceConfig(
        int poolSize,
        int streamPoolSize,
        int transactionCap,
        Duration txPoolTimeout,
        Duration queryTimeout,
        Duration transactionTimeout,
        int maxResultSize,
        Duration idleTimeout,
        Duration queryPoolTimeout,
        Duration streamPoolTimeout,
        int streamBufferSize) {

    public static final int DEFAULT_POOL_SIZE = 16;
    public static final int DEFAULT_STREAM_POOL_SIZE = 200;
    public static final int DEFAULT_TRANSACTION_CAP = 20;
    public static final Duration DEFAULT_TXPOOL_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_RESULT_SIZE = 10_000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    public static final int DEFAULT_STREAM_BUFFER_SIZE = 32 * 1024;

    /** HikariCP refuses shorter connection waits. */
    static final Duration MIN_POOL_WAIT = Duration.ofMillis(250);
    /** HikariCP refuses shorter idle timeouts (other than zero). */
    static final Duration MIN_IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** The wait for a pooled connection when neither a pool timeout nor a query timeout is set. */
    static final Duration FALLBACK_POOL_WAIT = Duration.ofSeconds(30);

    public QueryServiceConfig {
        requireAtLeast("queryserver-config-pool-size", poolSize, 1);
        requireAtLeast("queryserver-config-stream-pool-size", streamPoolSize, 1);
        requireAtLeast("queryserver-config-transaction-cap", transactionCap, 1);
        requireAtLeast("queryserver-config-max-result-size", maxResultSize, 1);
        requireAtLeast("queryserver-config-stream-buffer-size", streamBufferSize, 1024);
        Objects.requireNonNull(txPoolTimeout, "txPoolTimeout");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        Objects.requireNonNull(transactionTimeout, "transactionTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(queryPoolTimeout, "queryPoolTimeout");
        Objects.requireNonNull(streamPoolTimeout, "streamPoolTimeout");
        if (txPoolTimeout.compareTo(MIN_POOL_WAIT) < 0) {
            throw new IllegalArgumentException("--queryserver-config-txpool-timeout must be at least "
                    + MIN_POOL_WAIT.toMillis() + "ms, got " + txPoolTimeout.toMillis() + "ms");
        }
        requireNotNegative("queryserver-config-query-timeout", queryTimeout);
        requireNotNegative("queryserver-config-transaction-timeout", transactionTimeout);
        requireNotNegative("queryserver-config-idle-timeout", idleTimeout);
        if (!idleTimeout.isZero() && idleTimeout.compareTo(MIN_IDLE_TIMEOUT) < 0) {
            throw new IllegalArgumentException("--queryserver-config-idle-timeout must be 0 (never) or at least "
                    + MIN_IDLE_TIMEOUT.toSeconds() + "s, got " + idleTimeout.toMillis() + "ms");
        }
        requirePoolWait("queryserver-config-query-pool-timeout", queryPoolTimeout);
        requirePoolWait("queryserver-config-stream-pool-timeout", streamPoolTimeout);
    }

    /** vttablet's defaults. */
    public static QueryServiceConfig defaults() {
        return new QueryServiceConfig(DEFAULT_POOL_SIZE, DEFAULT_STREAM_POOL_SIZE, DEFAULT_TRANSACTION_CAP,
                DEFAULT_TXPOOL_TIMEOUT, DEFAULT_QUERY_TIMEOUT, DEFAULT_TRANSACTION_TIMEOUT, DEFAULT_MAX_RESULT_SIZE,
                DEFAULT_IDLE_TIMEOUT, Duration.ZERO, Duration.ZERO, DEFAULT_STREAM_BUFFER_SIZE);
    }

    public QueryServiceConfig withPoolSize(int value) {
        return new QueryServiceConfig(value, streamPoolSize, transactionCap, txPoolTimeout, queryTimeout,
                transactionTimeout, maxResultSize, idleTimeout, queryPoolTimeout, streamPoolTimeout, streamBufferSize);
    }

    public QueryServiceConfig withStreamPoolSize(int value) {
        return new QueryServiceConfig(poolSize, value, transactionCap, txPoolTimeout, queryTimeout,
                transactionTimeout, maxResultSize, idleTimeout, queryPoolTimeout, streamPoolTimeout, streamBufferSize);
    }

    public QueryServiceConfig withTransactionCap(int value) {
        return new QueryServiceConfig(poolSize, streamPoolSize, value, txPoolTimeout, queryTimeout,
                transactionTimeout, maxResultSize, idleTimeout, queryPoolTimeout, streamPoolTimeout, streamBufferSize);
    }

    public QueryServiceConfig withTxPoolTimeout(Duration value) {
        return new QueryServiceConfig(poolSize, streamPoolSize, transactionCap, value, queryTimeout,
                transactionTimeout, maxResultSize, idleTimeout, queryPoolTimeout, streamPoolTimeout, streamBufferSize);
    }

    public QueryServiceConfig withQueryTimeout(Duration value) {
        return new QueryServiceConfig(poolSize, streamPoolSize, transactionCap, txPoolTimeout, value,
                transactionTimeout, maxResultSize, idleTimeout, queryPoolTimeout, streamPoolTimeout, streamBufferSize);
    }

    public QueryServiceConfig withTransactionTimeout(Duration value) {
        return new QueryServiceConfig(poolSize, streamPoolSize, transactionCap, txPoolTimeout, queryTimeout,
                value, maxResultSize, idleTimeout, queryPoolTimeout, streamPoolTimeout, streamBufferSize);
    }

    public QueryServiceConfig withMaxResultSize(int value) {
        return new QueryServiceConfig(poolSize, streamPoolSize, transactionCap, txPoolTimeout, queryTimeout,
                transactionTimeout, value, idleTimeout, queryPoolTimeout, streamPoolTimeout, streamBufferSize);
    }

    public QueryServiceConfig withIdleTimeout(Duration value) {
        return new QueryServiceConfig(poolSize, streamPoolSize, transactionCap, txPoolTimeout, queryTimeout,
                transactionTimeout, maxResultSize, value, queryPoolTimeout, streamPoolTimeout, streamBufferSize);
    }

    public QueryServiceConfig withQueryPoolTimeout(Duration value) {
        return new QueryServiceConfig(poolSize, streamPoolSize, transactionCap, txPoolTimeout, queryTimeout,
                transactionTimeout, maxResultSize, idleTimeout, value, streamPoolTimeout, streamBufferSize);
    }

    public QueryServiceConfig withStreamPoolTimeout(Duration value) {
        return new QueryServiceConfig(poolSize, streamPoolSize, transactionCap, txPoolTimeout, queryTimeout,
                transactionTimeout, maxResultSize, idleTimeout, queryPoolTimeout, value, streamBufferSize);
    }

    public QueryServiceConfig withStreamBufferSize(int value) {
        return new QueryServiceConfig(poolSize, streamPoolSize, transactionCap, txPoolTimeout, queryTimeout,
                transactionTimeout, maxResultSize, idleTimeout, queryPoolTimeout, streamPoolTimeout, value);
    }

    /**
     * The {@code sql_select_limit} an Execute's SELECT runs under unless its caller asks for fewer rows: one past
     * {@link #maxResultSize}, so a result over the limit is seen, and refused, rather than silently cut.
     */
    public long selectLimit() {
        return maxResultSize + 1L;
    }

    /** How long an ordinary query waits for a connection. */
    Duration effectiveQueryPoolWait() {
        return poolWait(queryPoolTimeout);
    }

    /** How long a streamed query waits for a connection. */
    Duration effectiveStreamPoolWait() {
        return poolWait(streamPoolTimeout);
    }

    private Duration poolWait(Duration configured) {
        Duration wait = !configured.isZero() ? configured : !queryTimeout.isZero() ? queryTimeout : FALLBACK_POOL_WAIT;
        return wait.compareTo(MIN_POOL_WAIT) < 0 ? MIN_POOL_WAIT : wait;
    }

    private static void requireAtLeast(String flag, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("--" + flag + " must be at least " + min + ", got " + value);
        }
    }

    private static void requireNotNegative(String flag, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("--" + flag + " must not be negative, got " + value);
        }
    }

    private static void requirePoolWait(String flag, Duration value) {
        requireNotNegative(flag, value);
        if (!value.isZero() && value.compareTo(MIN_POOL_WAIT) < 0) {
            throw new IllegalArgumentException("--" + flag + " must be 0 (use the query timeout) or at least "
                    + MIN_POOL_WAIT.toMillis() + "ms, got " + value.toMillis() + "ms");
        }
    }
}
