package io.tessera.tablet.queryservice;

import io.tessera.common.cli.GoDuration;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The query service's flags, with vttablet's names; add to the tablet's command with
 * {@code @Mixin QueryServiceFlags queryService;} and build the config with {@link #toConfig()}. The shared flag
 * normaliser lets users type {@code -queryserver_config_pool_size=32} as well. Durations take Go's syntax
 * ({@code 30s}) or seconds.
 */
public final class QueryServiceFlags {
    @Option(names = "--queryserver-config-pool-size", paramLabel = "N",
            description = "Connections for ordinary queries (default: ${DEFAULT-VALUE}).")
    int poolSize = QueryServiceConfig.DEFAULT_POOL_SIZE;

    @Option(names = "--queryserver-config-stream-pool-size", paramLabel = "N",
            description = "Connections for streamed queries (default: ${DEFAULT-VALUE}).")
    int streamPoolSize = QueryServiceConfig.DEFAULT_STREAM_POOL_SIZE;

    @Option(names = "--queryserver-config-transaction-cap", paramLabel = "N",
            description = "Most transactions open at once (default: ${DEFAULT-VALUE}).")
    int transactionCap = QueryServiceConfig.DEFAULT_TRANSACTION_CAP;

    @Option(names = "--queryserver-config-txpool-timeout", paramLabel = "DURATION", converter = GoDuration.class,
            description = "How long Begin waits for a free transaction slot (default: 1s).")
    Duration txPoolTimeout = QueryServiceConfig.DEFAULT_TXPOOL_TIMEOUT;

    @Option(names = "--queryserver-config-query-timeout", paramLabel = "DURATION", converter = GoDuration.class,
            description = "Statements running longer are killed on mysqld; 0 means never (default: 30s).")
    Duration queryTimeout = QueryServiceConfig.DEFAULT_QUERY_TIMEOUT;

    @Option(names = "--queryserver-config-transaction-timeout", paramLabel = "DURATION", converter = GoDuration.class,
            description = "Transactions open longer are rolled back; 0 means never (default: 30s).")
    Duration transactionTimeout = QueryServiceConfig.DEFAULT_TRANSACTION_TIMEOUT;

    @Option(names = "--queryserver-config-max-result-size", paramLabel = "ROWS",
            description = "Most rows a non-streamed query returns (default: ${DEFAULT-VALUE}).")
    int maxResultSize = QueryServiceConfig.DEFAULT_MAX_RESULT_SIZE;

    @Option(names = "--queryserver-config-idle-timeout", paramLabel = "DURATION", converter = GoDuration.class,
            description = "Pooled and reserved connections unused this long are closed; 0 means never "
                    + "(default: 30m).")
    Duration idleTimeout = QueryServiceConfig.DEFAULT_IDLE_TIMEOUT;

    @Option(names = "--queryserver-config-query-pool-timeout", paramLabel = "DURATION", converter = GoDuration.class,
            description = "How long a query waits for a pooled connection; 0 means the query timeout (default: 0).")
    Duration queryPoolTimeout = Duration.ZERO;

    @Option(names = "--queryserver-config-stream-pool-timeout", paramLabel = "DURATION", converter = GoDuration.class,
            description = "How long a streamed query waits for a connection; 0 means the query timeout (default: 0).")
    Duration streamPoolTimeout = Duration.ZERO;

    @Option(names = "--queryserver-config-stream-buffer-size", paramLabel = "BYTES",
            description = "Most value bytes in one streamed message (default: ${DEFAULT-VALUE}).")
    int streamBufferSize = QueryServiceConfig.DEFAULT_STREAM_BUFFER_SIZE;

    @Option(names = "--queryserver-native-pool-size", paramLabel = "N",
            description = "Native connections to mysqld for plain Executes run on the gRPC event loops, spread over "
                    + "the loops; 0 runs every statement through the JDBC pools (default: ${DEFAULT-VALUE}).")
    int nativePoolSize = QueryServiceConfig.DEFAULT_POOL_SIZE;

    @Option(names = "--queryserver-native-prepared-statements", paramLabel = "N",
            description = "Server-side prepared statements each native connection keeps on mysqld for SELECTs sent "
                    + "with bind variables (a client's prepared statements), so mysqld parses each once per "
                    + "connection; 0 sends every statement as text (default: ${DEFAULT-VALUE}).")
    int nativePreparedStatements = NativePool.DEFAULT_PREPARED_PER_CONNECTION;

    /** {@code --queryserver-native-pool-size}: not part of {@link QueryServiceConfig}, the daemon wires it. */
    public int nativePoolSize() {
        return nativePoolSize;
    }

    /** {@code --queryserver-native-prepared-statements}: not part of {@link QueryServiceConfig} either. */
    public int nativePreparedStatements() {
        return nativePreparedStatements;
    }

    /**
     * The config these flags describe.
     *
     * @throws IllegalArgumentException naming the flag whose value is out of range
     */
    public QueryServiceConfig toConfig() {
        return new QueryServiceConfig(poolSize, streamPoolSize, transactionCap, txPoolTimeout, queryTimeout,
                transactionTimeout, maxResultSize, idleTimeout, queryPoolTimeout, streamPoolTimeout, streamBufferSize);
    }
}
