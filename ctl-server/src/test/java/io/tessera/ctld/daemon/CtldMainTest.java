package io.tessera.ctld.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.common.cli.CommandRunner;
import io.tessera.common.cli.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** How {@code tessera-ctld}'s flags become its {@link CtldConfig}, and its usage text. Nothing here starts a daemon. */
class CtldMainTest {
    @TempDir Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandRunner runner = new CommandRunner(new PrintWriter(out, true), new PrintWriter(err, true));

    /** {@link CtldMain}'s flags, parsed exactly as for the daemon, but whose {@code call()} only builds the config. */
    @Command(name = "tessera-ctld")
    static final class ConfigOnly implements Callable<Integer> {
        @Mixin CtldMain main;
        CtldConfig config;

        @Override
        public Integer call() {
            config = main.config();
            return ExitCodes.OK;
        }
    }

    private CtldConfig parse(String... args) {
        ConfigOnly command = new ConfigOnly();
        assertThat(runner.run(command, args)).as("stderr:\n%s", err).isEqualTo(ExitCodes.OK);
        return command.config;
    }

    @Test
    void defaults() {
        CtldConfig c = parse("--topo-address", "grpc://topo:15990");
        assertThat(c.grpcPort()).isEqualTo(15999);
        assertThat(c.httpPort()).isEqualTo(15000);
        assertThat(c.disableActiveReparents()).isFalse();
        assertThat(c.actionTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.waitReplicasTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.tabletManagerTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void vitessSpellings() {
        CtldConfig c = parse("-topo_implementation", "etcd2", "-topo_global_server_address", "e1:2379",
                "-topo_global_root", "/vt", "-grpc_port", "16999", "--port=16000", "-disable_active_reparents",
                "-action_timeout", "2m30s", "--wait_replicas_timeout=1m", "--tablet_manager_timeout", "5s",
                "-bind_address", "127.0.0.1");
        assertThat(c.topoAddress()).isEqualTo("etcd://e1:2379/vt");
        assertThat(c.grpcPort()).isEqualTo(16999);
        assertThat(c.httpPort()).isEqualTo(16000);
        assertThat(c.disableActiveReparents()).isTrue();
        assertThat(c.actionTimeout()).isEqualTo(Duration.ofSeconds(150));
        assertThat(c.waitReplicasTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.tabletManagerTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void configFileAndBadValues() throws Exception {
        Path file = tmp.resolve("ctld.properties");
        Files.writeString(file, "topo_address=grpc://t:15990\ngrpc-port=17999\n");
        assertThat(parse("--config", file.toString()).grpcPort()).isEqualTo(17999);
        ConfigOnly command = new ConfigOnly();
        assertThat(runner.run(command, "--topo-address", "grpc://t:1", "--action-timeout", "-1s"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(command.config).isNull();
        assertThat(runner.run(new ConfigOnly(), "--grpc-port", "15999")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("--topo-address is required");
    }

    @Test
    void helpText() {
        assertThat(runner.run(new CtldMain(), "--help")).isEqualTo(ExitCodes.OK);
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString().lines().map(String::stripTrailing).toList()).isEqualTo(HELP.lines().toList());
    }

    private static final String HELP = """
            Usage: tessera-ctld [-h] [--disable-active-reparents]
                                [--action-timeout=DURATION] [--bind-address=ADDR]
                                [--config=FILE] [--grpc-port=PORT] [--port=PORT]
                                [--tablet-manager-timeout=DURATION] [--topo-address=ADDR]
                                [--topo-global-root=PATH]
                                [--topo-global-server-address=HOST:PORT[,HOST:PORT]]
                                [--topo-implementation=IMPL]
                                [--wait-replicas-timeout=DURATION]
            The Tessera control daemon: keyspace, shard, tablet, schema and VSchema
            management and reparents over gRPC (the Vtctld service), and a status page over
            HTTP.
              -h, --help                Print the flags and exit.
                  --config=FILE         Properties file (key=value, keys are flag names in
                                          either spelling) whose values are defaults for
                                          flags not given on the command line.
                  --grpc-port=PORT      gRPC port of the Vtctld service (default: 15999).
                  --port=PORT           HTTP port: status page, /debug/status, /healthz,
                                          /metrics (default: 15000).
                  --bind-address=ADDR   Address the HTTP and gRPC ports listen on (default:
                                          all interfaces).
                  --disable-active-reparents
                                        Refuse InitShardPrimary, PlannedReparentShard and
                                          EmergencyReparentShard: MySQL replication is
                                          managed outside Tessera
                                          (TabletExternallyReparented still works).
                  --action-timeout=DURATION
                                        How long a command that calls many tablets waits
                                          for them (default: 1m).
                  --wait-replicas-timeout=DURATION
                                        How long reparents wait for replicas by default
                                          (default: 15s).
                  --tablet-manager-timeout=DURATION
                                        Timeout of one tablet-manager call (default: 30s).
                  --topo-address=ADDR   The topology: etcd://host:2379[,host:2379]/root or
                                          grpc://host:15990 (a tessera-topo).
                  --topo-implementation=IMPL
                                        Vitess form: etcd2 (or etcd) or grpc; with
                                          --topo-global-server-address.
                  --topo-global-server-address=HOST:PORT[,HOST:PORT]
                                        Vitess form: the topology servers.
                  --topo-global-root=PATH
                                        Vitess form: the key prefix in etcd (default:
                                          /tessera).

            Exit codes:
              0     --help printed the flags.
              1     Bad flags, or the daemon could not start (the reason is on stderr).
              143   Stopped by SIGTERM after a clean shutdown.
            """;
}
