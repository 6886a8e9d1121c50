package io.tessera.gate.daemon;

import io.tessera.common.cli.CommandRunner;
import io.tessera.common.cli.CommonOptions;
import io.tessera.common.cli.ExitCodes;
import io.tessera.common.cli.GoDuration;
import io.tessera.topo.cli.TopoFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code tessera-gate} daemon. Parses the flags (Vitess's vtgate names, in either spelling) into a
 * {@link GateConfig} and runs a {@link GateDaemon} until SIGTERM.
 */
@Command(name = "tessera-gate", sortOptions = false,
        description = "The Tessera gate: serves applications over the MySQL protocol and the Vitess gRPC API, "
                + "routing each statement to a healthy tablet of its keyspace and shard.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:--help printed the flags.",
            "1:Bad flags, or the daemon could not start (the reason is on stderr).",
            "143:Stopped by SIGTERM after a clean shutdown."
        })
public final class GateMain implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    @Option(names = "--cell", defaultValue = "zone1", paramLabel = "CELL",
            description = "The gate's own cell, preferred when choosing replicas (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--cells-to-watch", split = ",", paramLabel = "CELL",
            description = "Cells whose tablets the gate routes to (default: the gate's --cell).")
    List<String> cellsToWatch;

    @Option(names = "--mysql-server-port", defaultValue = "15306", paramLabel = "PORT",
            description = "MySQL protocol port (default: ${DEFAULT-VALUE}).")
    int mysqlPort;

    @Option(names = "--mysql-server-bind-address", defaultValue = "", paramLabel = "ADDR",
            description = "Address the MySQL port listens on (default: all interfaces).")
    String mysqlBindAddress;

    @Option(names = "--mysql-server-version", defaultValue = "8.0.40-Tessera", paramLabel = "VERSION",
            description = "Server version announced to MySQL clients (default: ${DEFAULT-VALUE}).")
    String mysqlServerVersion;

    @Option(names = "--mysql-server-ssl-cert", paramLabel = "FILE",
            description = "PEM certificate for TLS on the MySQL port (with --mysql_server_ssl_key).")
    Path sslCert;

    @Option(names = "--mysql-server-ssl-key", paramLabel = "FILE",
            description = "PEM private key (PKCS#8) for TLS on the MySQL port.")
    Path sslKey;

    @Option(names = "--mysql-server-require-secure-transport",
            description = "Refuse MySQL clients that do not use TLS.")
    boolean requireSecureTransport;

    @Option(names = "--mysql-auth-server-impl", defaultValue = "static", paramLabel = "IMPL",
            description = "How MySQL clients authenticate: static (users from "
                    + "--mysql_auth_server_static_file) or none (anyone) (default: ${DEFAULT-VALUE}).")
    String authImpl;

    @Option(names = "--mysql-auth-server-static-file", paramLabel = "FILE",
            description = "JSON file of users (Vitess format: user -> [{Password | MysqlNativePassword, UserData, "
                    + "SourceHost, Groups}]); reloaded when it changes.")
    Path authFile;

    @Option(names = "--mysql-auth-static-reload-interval", defaultValue = "5s", paramLabel = "DURATION",
            converter = GoDuration.class,
            description = "How often the static auth file is checked for changes (default: ${DEFAULT-VALUE}).")
    Duration authReloadInterval;

    @Option(names = "--max-connections", defaultValue = "0", paramLabel = "N",
            description = "Most MySQL client connections at once; more get error 1040 (default: 0, no limit).")
    int maxConnections;

    @Option(names = "--mysql-server-idle-timeout", defaultValue = "8h", paramLabel = "DURATION",
            converter = GoDuration.class,
            description = "Close MySQL connections idle this long, as MySQL's wait_timeout; 0 never "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-allowed-packet", defaultValue = "67108864", paramLabel = "BYTES",
            description = "Largest MySQL packet accepted; a larger one closes that connection with error 1153 "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxAllowedPacket;

    @Option(names = "--query-timeout", defaultValue = "0", paramLabel = "MS",
            description = "Per-query timeout in milliseconds, unless the query's /*+ QUERY_TIMEOUT_MS=n */ comment "
                    + "says otherwise; 0 for none (default: ${DEFAULT-VALUE}).")
    long queryTimeoutMillis;

    @Option(names = "--max-memory-rows", defaultValue = "300000", paramLabel = "N",
            description = "Most rows one result may hold in the gate's memory (default: ${DEFAULT-VALUE}).")
    int maxMemoryRows;

    @Option(names = "--default-tablet-type", defaultValue = "PRIMARY", paramLabel = "TYPE",
            description = "Tablet type for targets that name none (default: ${DEFAULT-VALUE}).")
    String defaultTabletType;

    @Option(names = "--transaction-mode", defaultValue = "SINGLE", paramLabel = "MODE",
            description = "SINGLE: a transaction stays on one shard; MULTI: it may span shards, committed one by "
                    + "one (default: ${DEFAULT-VALUE}).")
    String transactionMode;

    @Option(names = "--port", defaultValue = "15001", paramLabel = "PORT",
            description = "HTTP port: /debug/status, /healthz, /metrics (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--grpc-port", defaultValue = "15991", paramLabel = "PORT",
            description = "gRPC port of the Vitess service (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--bind-address", defaultValue = "", paramLabel = "ADDR",
            description = "Address the HTTP and gRPC ports listen on (default: all interfaces).")
    String bindAddress;

    @Option(names = "--tablet-refresh-interval", defaultValue = "5s", paramLabel = "DURATION",
            converter = GoDuration.class,
            description = "How often the topology is read for tablets of the watched cells (default: ${DEFAULT-VALUE}).")
    Duration tabletRefreshInterval;

    @Option(names = "--healthcheck-retry-delay", defaultValue = "2s", paramLabel = "DURATION",
            converter = GoDuration.class,
            description = "Wait before reopening a broken health stream (default: ${DEFAULT-VALUE}).")
    Duration healthcheckRetryDelay;

    @Option(names = "--healthcheck-timeout", defaultValue = "1m", paramLabel = "DURATION",
            converter = GoDuration.class,
            description = "A tablet silent this long leaves rotation (default: ${DEFAULT-VALUE}).")
    Duration healthcheckTimeout;

    @Option(names = "--discovery-low-replication-lag", defaultValue = "30s", paramLabel = "DURATION",
            converter = GoDuration.class,
            description = "Replicas lagging no more than this always serve (default: ${DEFAULT-VALUE}).")
    Duration lowReplicationLag;

    @Option(names = "--discovery-high-replication-lag-minimum-serving", defaultValue = "2h",
            paramLabel = "DURATION", converter = GoDuration.class,
            description = "Replicas lagging more than this never serve (default: ${DEFAULT-VALUE}).")
    Duration highReplicationLag;

    @Option(names = "--min-number-serving-vttablets", defaultValue = "2", paramLabel = "N",
            description = "Keep at least this many of the least-lagged replicas serving (default: ${DEFAULT-VALUE}).")
    int minServing;

    @Option(names = "--legacy-replication-lag-algorithm", defaultValue = "true", arity = "0..1", paramLabel = "BOOL",
            description = "Drop lag outliers as Vitess's legacy algorithm does (default: ${DEFAULT-VALUE}).")
    boolean legacyLagAlgorithm;

    @Option(names = "--retry-count", defaultValue = "2", paramLabel = "N",
            description = "Retries of a replica read on another tablet (default: ${DEFAULT-VALUE}).")
    int retryCount;

    @Option(names = "--gateway-initial-tablet-timeout", defaultValue = "30s", paramLabel = "DURATION",
            converter = GoDuration.class,
            description = "At start, wait this long for the first healthy tablets (default: ${DEFAULT-VALUE}).")
    Duration initialTabletTimeout;

    @Option(names = "--enable-buffer", description = "Hold primary traffic during a planned reparent instead of "
            + "failing it, then send it to the new primary.")
    boolean enableBuffer;

    @Option(names = "--buffer-window", defaultValue = "10s", paramLabel = "DURATION", converter = GoDuration.class,
            description = "Longest a request waits in the buffer (default: ${DEFAULT-VALUE}).")
    Duration bufferWindow;

    @Option(names = "--buffer-size", defaultValue = "1000", paramLabel = "N",
            description = "Most requests buffered at once, over all shards (default: ${DEFAULT-VALUE}).")
    int bufferSize;

    @Option(names = "--buffer-max-failover-duration", defaultValue = "20s", paramLabel = "DURATION",
            converter = GoDuration.class,
            description = "Stop buffering a failover that lasts longer (default: ${DEFAULT-VALUE}).")
    Duration bufferMaxFailoverDuration;

    @Option(names = "--buffer-min-time-between-failovers", defaultValue = "1m", paramLabel = "DURATION",
            converter = GoDuration.class,
            description = "Do not buffer a shard's failover this soon after its previous one "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration bufferMinTimeBetweenFailovers;

    @Option(names = "--log-queries-to-file", paramLabel = "FILE",
            description = "Append one line per statement (time, user, target, type, duration, rows, error, SQL).")
    Path queryLogFile;

    @Mixin TopoFlags topo;

    public static void main(String[] args) {
        System.exit(CommandRunner.onConsole().run(new GateMain(), args));
    }

    @Override
    public Integer call() throws Exception {
        GateConfig config = config();
        GateDaemon daemon;
        try {
            daemon = GateDaemon.start(config);
        } catch (Exception e) {
            spec.commandLine().getErr().println("tessera-gate: cannot start: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "tessera-gate-shutdown"));
        daemon.awaitTermination();
        return ExitCodes.OK;
    }

    /** The typed config the flags describe; an inconsistent combination is a usage error. */
    GateConfig config() {
        try {
            return GateConfigs.fromFlags(this);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
