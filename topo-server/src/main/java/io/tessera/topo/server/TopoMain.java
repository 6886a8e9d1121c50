package io.tessera.topo.server;

import io.tessera.common.cli.CommandRunner;
import io.tessera.common.cli.CommonOptions;
import io.tessera.common.cli.ExitCodes;
import io.tessera.topo.TopoException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code tessera-topo} daemon: parses flags into a {@link TopoServerConfig} and runs a {@link TopoDaemon}
 * until SIGTERM. Flags take one or two dashes and {@code _} or {@code -} in their names, and may come from
 * {@code --config FILE}.
 */
@Command(name = "tessera-topo",
        sortOptions = false,
        description = "Serves the Tessera topology (versioned files, watches, leased locks) over gRPC, "
                + "stored in an embedded durable store or in etcd.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:--help printed the flags.",
            "1:Bad flags or config file, or the daemon could not start (data dir in use by another process, "
                    + "port taken); the reason is on stderr.",
            "143:Stopped by SIGTERM after a clean shutdown (store closed)."
        })
public final class TopoMain implements Callable<Integer> {

    /** What to do with the parsed config: the real daemon runs until SIGTERM, tests just look at it. */
    @FunctionalInterface
    interface Launcher {
        int launch(TopoServerConfig config, PrintWriter err) throws InterruptedException;
    }

    private final Launcher launcher;

    @Mixin CommonOptions common;

    @Spec CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + TopoServerConfig.DEFAULT_PORT,
            description = "gRPC port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind-address", paramLabel = "ADDR", defaultValue = "",
            description = "Address to listen on (default: all interfaces).")
    String bindAddress;

    @Option(names = "--backend", paramLabel = "embedded|etcd", defaultValue = "embedded",
            description = "Where the topology is stored: embedded (a durable store in --data-dir, one machine) "
                    + "or etcd (--etcd-endpoints) (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of the embedded store; one daemon at a time (default: ~/.tessera/topo).")
    Path dataDir;

    @Option(names = "--etcd-endpoints", paramLabel = "HOST:PORT", split = ",",
            description = "etcd members for the etcd backend, comma-separated.")
    List<String> etcdEndpoints;

    @Option(names = "--etcd-root", paramLabel = "PATH", defaultValue = BackendConfig.Etcd.DEFAULT_ROOT,
            description = "Key prefix in etcd for the etcd backend (default: ${DEFAULT-VALUE}).")
    String etcdRoot;

    /** A command that runs the daemon. */
    public TopoMain() {
        this(TopoMain::runDaemon);
    }

    TopoMain(Launcher launcher) {
        this.launcher = launcher;
    }

    public static void main(String[] args) {
        System.exit(CommandRunner.onConsole().run(new TopoMain(), args));
    }

    @Override
    public Integer call() throws InterruptedException {
        return launcher.launch(config(), spec.commandLine().getErr());
    }

    /** Starts the daemon, stops it cleanly on SIGTERM, and returns once it has stopped. */
    private static int runDaemon(TopoServerConfig config, PrintWriter err) throws InterruptedException {
        TopoDaemon daemon;
        try {
            daemon = TopoDaemon.start(config);
        } catch (TopoException | IOException e) {
            err.println("tessera-topo: cannot start: " + e.getMessage());
            err.flush();
            return ExitCodes.FAILURE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "tessera-topo-shutdown"));
        daemon.awaitTermination();
        return ExitCodes.OK;
    }

    /** The typed config the flags describe; an inconsistent combination is a usage error. */
    TopoServerConfig config() {
        try {
            BackendConfig backendConfig = switch (backend.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "embedded" -> new BackendConfig.Embedded(
                        dataDir != null ? dataDir : BackendConfig.Embedded.defaultDataDir());
                case "etcd" -> new BackendConfig.Etcd(etcdEndpoints == null ? List.of() : etcdEndpoints, etcdRoot);
                default -> throw new IllegalArgumentException(
                        "unknown --backend '" + backend + "': use embedded or etcd");
            };
            return new TopoServerConfig(port, bindAddress, backendConfig);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
