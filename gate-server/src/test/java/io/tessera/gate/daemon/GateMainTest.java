package io.tessera.gate.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.common.cli.CommandRunner;
import io.tessera.common.cli.ExitCodes;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtgate.TransactionMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** How {@code tessera-gate}'s flags become its {@link GateConfig}, and its usage text. Nothing here starts a gate. */
class GateMainTest {
    @TempDir Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandRunner runner = new CommandRunner(new PrintWriter(out, true), new PrintWriter(err, true));

    /** {@link GateMain}'s flags, parsed exactly as for the daemon, but whose {@code call()} only builds the config. */
    @Command(name = "tessera-gate")
    static final class ConfigOnly implements Callable<Integer> {
        @Mixin GateMain main;
        GateConfig config;

        @Override
        public Integer call() {
            config = main.config();
            return ExitCodes.OK;
        }
    }

    private GateConfig parse(String... args) {
        ConfigOnly command = new ConfigOnly();
        assertThat(runner.run(command, args)).as("stderr:\n%s", err).isEqualTo(ExitCodes.OK);
        return command.config;
    }

    private String failure(String... args) {
        ConfigOnly command = new ConfigOnly();
        assertThat(runner.run(command, args)).isEqualTo(ExitCodes.FAILURE);
        assertThat(command.config).isNull();
        return err.toString();
    }

    @Test
    void defaults() {
        GateConfig c = parse("--topo-address", "grpc://topo:15990", "--mysql_auth_server_impl", "none");
        assertThat(c.mysql().port()).isEqualTo(15306);
        assertThat(c.httpPort()).isEqualTo(15001);
        assertThat(c.grpcPort()).isEqualTo(15991);
        assertThat(c.mysql().maxConnections()).isZero();
        assertThat(c.mysql().idleTimeout()).isEqualTo(Duration.ofHours(8));
        assertThat(c.discovery().localCell()).isEqualTo("zone1");
        assertThat(c.discovery().cellsToWatch()).containsExactly("zone1");
        assertThat(c.discovery().minNumberServingTablets()).isEqualTo(2);
        assertThat(c.discovery().lowReplicationLag()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.buffer().enabled()).isFalse();
        assertThat(c.buffer().window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.buffer().size()).isEqualTo(1000);
        assertThat(c.executor().queryTimeout()).isZero();
        assertThat(c.executor().maxMemoryRows()).isEqualTo(300_000);
        assertThat(c.executor().defaultTabletType()).isEqualTo(TabletType.PRIMARY);
        assertThat(c.executor().transactionMode()).isEqualTo(TransactionMode.SINGLE);
        assertThat(c.queryLog()).isEmpty();
    }

    @Test
    void vitessSpellings() throws Exception {
        Path auth = tmp.resolve("auth.json");
        Files.writeString(auth, "{}");
        GateConfig c = parse("-topo_implementation", "etcd2", "-topo_global_server_address", "e1:2379",
                "-topo_global_root", "/vt", "-cell", "zone2", "-cells_to_watch", "zone1,zone2",
                "-mysql_server_port", "3306", "-mysql_auth_server_impl", "static",
                "-mysql_auth_server_static_file", auth.toString(), "--mysql_auth_static_reload_interval=1s",
                "-max_connections", "500", "-query-timeout", "1500", "-max_memory_rows", "10",
                "-default_tablet_type", "replica", "-enable_buffer", "-buffer_window", "5s", "-buffer_size", "7",
                "-buffer_max_failover_duration", "30s", "-buffer_min_time_between_failovers", "10s",
                "-discovery_low_replication_lag", "5s", "-min_number_serving_vttablets", "1",
                "-legacy_replication_lag_algorithm=false", "-retry-count", "3", "-healthcheck_timeout", "20s",
                "-tablet_refresh_interval", "2s", "-transaction_mode", "multi", "-grpc_port", "16991",
                "-port", "16001", "-log_queries_to_file", tmp.resolve("q.log").toString());
        assertThat(c.topoAddress()).isEqualTo("etcd://e1:2379/vt");
        assertThat(c.discovery().localCell()).isEqualTo("zone2");
        assertThat(c.discovery().cellsToWatch()).containsExactly("zone1", "zone2");
        assertThat(c.mysql().port()).isEqualTo(3306);
        assertThat(c.auth().impl()).isEqualTo("static");
        assertThat(c.auth().staticFile()).contains(auth);
        assertThat(c.auth().reloadInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.mysql().maxConnections()).isEqualTo(500);
        assertThat(c.executor().queryTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.executor().maxMemoryRows()).isEqualTo(10);
        assertThat(c.executor().defaultTabletType()).isEqualTo(TabletType.REPLICA);
        assertThat(c.executor().transactionMode()).isEqualTo(TransactionMode.MULTI);
        assertThat(c.buffer().enabled()).isTrue();
        assertThat(c.buffer().window()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.buffer().size()).isEqualTo(7);
        assertThat(c.buffer().maxFailoverDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.buffer().minTimeBetweenFailovers()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.discovery().lowReplicationLag()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.discovery().minNumberServingTablets()).isOne();
        assertThat(c.discovery().legacyReplicationLagAlgorithm()).isFalse();
        assertThat(c.discovery().retryCount()).isEqualTo(3);
        assertThat(c.discovery().healthCheckTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.discovery().tabletRefreshInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.grpcPort()).isEqualTo(16991);
        assertThat(c.httpPort()).isEqualTo(16001);
        assertThat(c.queryLog()).contains(tmp.resolve("q.log"));
    }

    @Test
    void configFile() throws Exception {
        Path file = tmp.resolve("gate.properties");
        Files.writeString(file, "topo_address=grpc://t:15990\nmysql-server-port=13306\nmysql_auth_server_impl=none\n");
        assertThat(parse("--config", file.toString()).mysql().port()).isEqualTo(13306);
    }

    @Test
    void badFlagsAreUsageErrorsNamingTheFlag() {
        assertThat(failure("--mysql_auth_server_impl", "none")).contains("--topo-address is required");
        assertThat(failure("--topo-address", "grpc://t:1")).contains("--mysql_auth_server_static_file");
        assertThat(failure("--topo-address", "grpc://t:1", "--mysql_auth_server_impl", "ldap"))
                .contains("--mysql_auth_server_impl must be static or none");
        assertThat(failure("--topo-address", "grpc://t:1", "--mysql_auth_server_impl", "none",
                "--default_tablet_type", "spare")).contains("--default_tablet_type");
        assertThat(failure("--topo-address", "grpc://t:1", "--mysql_auth_server_impl", "none",
                "--transaction_mode", "twopc")).contains("--transaction_mode must be SINGLE or MULTI");
        assertThat(failure("--topo-address", "grpc://t:1", "--mysql_auth_server_impl", "none",
                "--query-timeout", "-5")).contains("--query-timeout");
        assertThat(failure("--topo-address", "grpc://t:1", "--mysql_auth_server_impl", "none",
                "--port", "70000")).contains("--port");
    }

    @Test
    void helpText() throws Exception {
        assertThat(runner.run(new GateMain(), "--help")).isEqualTo(ExitCodes.OK);
        assertThat(err.toString()).isEmpty();
        List<String> expected = Files.readAllLines(Path.of("src/test/resources/daemon/tessera-gate-help.txt"));
        assertThat(out.toString().lines().map(String::stripTrailing).toList()).isEqualTo(expected);
    }
}
