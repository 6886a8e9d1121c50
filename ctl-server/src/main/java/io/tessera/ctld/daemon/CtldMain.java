package io.tessera.ctld.daemon;

import io.tessera.common.cli.CommandRunner;
import io.tessera.common.cli.CommonOptions;
import io.tessera.common.cli.ExitCodes;
import io.tessera.common.cli.GoDuration;
import io.tessera.ctld.reparent.ReparentService;
import io.tessera.topo.cli.TopoFlags;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code tessera-ctld} daemon. Parses the flags (Vitess's names, in either spelling) and runs a
 * {@link CtldDaemon} until SIGTERM.
 */
@Command(name = "tessera-ctld", sortOptions = false,
        description = "The Tessera control daemon: keyspace, shard, tablet, schema and VSchema management and "
                + "reparents over gRPC (the Vtctld service), and a status page over HTTP.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:--help printed the flags.",
            "1:Bad flags, or the daemon could not start (the reason is on stderr).",
            "143:Stopped by SIGTERM after a clean shutdown."
        })
public final class CtldMain implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    @Option(names = "--grpc-port", defaultValue = "15999", paramLabel = "PORT",
            description = "gRPC port of the Vtctld service (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--port", defaultValue = "15000", paramLabel = "PORT",
            description = "HTTP port: status page, /debug/status, /healthz, /metrics (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--bind-address", defaultValue = "", paramLabel = "ADDR",
            description = "Address the HTTP and gRPC ports listen on (default: all interfaces).")
    String bindAddress;

    @Option(names = "--disable-active-reparents",
            description = "Refuse InitShardPrimary, PlannedReparentShard and EmergencyReparentShard: MySQL "
                    + "replication is managed outside Tessera (TabletExternallyReparented still works).")
    boolean disableActiveReparents;

    @Option(names = "--action-timeout", defaultValue = "1m", paramLabel = "DURATION", converter = GoDuration.class,
            description = "How long a command that calls many tablets waits for them (default: ${DEFAULT-VALUE}).")
    Duration actionTimeout;

    @Option(names = "--wait-replicas-timeout", defaultValue = "15s", paramLabel = "DURATION",
            converter = GoDuration.class,
            description = "How long reparents wait for replicas by default (default: ${DEFAULT-VALUE}).")
    Duration waitReplicasTimeout;

    @Option(names = "--tablet-manager-timeout", defaultValue = "30s", paramLabel = "DURATION",
            converter = GoDuration.class,
            description = "Timeout of one tablet-manager call (default: ${DEFAULT-VALUE}).")
    Duration tabletManagerTimeout;

    @Mixin TopoFlags topo;

    public static void main(String[] args) {
        System.exit(CommandRunner.onConsole().run(new CtldMain(), args));
    }

    @Override
    public Integer call() throws Exception {
        CtldConfig config = config();
        CtldDaemon daemon;
        try {
            daemon = CtldDaemon.start(config,
                    (topoServer, dialer) -> new ReparentService(topoServer, dialer, config.waitReplicasTimeout()));
        } catch (Exception e) {
            spec.commandLine().getErr().println("tessera-ctld: cannot start: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "tessera-ctld-shutdown"));
        daemon.awaitTermination();
        return ExitCodes.OK;
    }

    /** The typed config the flags describe; an inconsistent combination is a usage error. */
    CtldConfig config() {
        try {
            return new CtldConfig(topo.address(), bindAddress, grpcPort, httpPort, disableActiveReparents,
                    actionTimeout, waitReplicasTimeout, tabletManagerTimeout, Duration.ofSeconds(5));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
