package io.tessera.topo.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.common.cli.CommandRunner;
import io.tessera.common.cli.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code tessera-topo}'s flags become its typed config, and its usage text. */
class TopoMainTest {

    @TempDir Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private final CommandRunner runner = new CommandRunner(new PrintWriter(out, true), new PrintWriter(err, true));

    /** Runs the command line with a launcher that only captures the config. */
    private TopoServerConfig parse(String... args) {
        TopoServerConfig[] captured = new TopoServerConfig[1];
        int code = runner.run(new TopoMain((config, errOut) -> {
            captured[0] = config;
            return ExitCodes.OK;
        }), args);
        assertThat(code).as("exit code; stderr:\n%s", err).isEqualTo(ExitCodes.OK);
        return captured[0];
    }

    private int exitCode(String... args) {
        return runner.run(new TopoMain((config, errOut) -> {
            throw new AssertionError("should not launch with " + config);
        }), args);
    }

    @Test
    void defaultsAreTheVitessPortAllInterfacesAndTheEmbeddedStoreInTheHomeDir() {
        TopoServerConfig c = parse();
        assertThat(c.port()).isEqualTo(15990);
        assertThat(c.bindAddress()).isEmpty();
        assertThat(c.backend()).isEqualTo(new BackendConfig.Embedded(
                Path.of(System.getProperty("user.home"), ".tessera", "topo")));
        assertThat(c).isEqualTo(TopoServerConfig.defaults());
    }

    @Test
    void embeddedFlagsInEitherSpelling() {
        TopoServerConfig c = parse("-port", "16990", "-bind_address=127.0.0.1", "--data_dir", "rel/dir");
        assertThat(c.port()).isEqualTo(16990);
        assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.backend()).isEqualTo(new BackendConfig.Embedded(Path.of("rel/dir").toAbsolutePath()));
    }

    @Test
    void etcdFlags() {
        TopoServerConfig c = parse("--backend", "ETCD", "-etcd_endpoints=10.0.0.1:2379,10.0.0.2:2379",
                "--etcd-root", "/prod");
        assertThat(c.backend()).isEqualTo(new BackendConfig.Etcd(List.of("10.0.0.1:2379", "10.0.0.2:2379"), "/prod"));
        assertThat(((BackendConfig.Etcd) parse("--backend=etcd", "--etcd-endpoints=h:2379").backend()).root())
                .isEqualTo("/tessera");
    }

    @Test
    void inconsistentFlagsAreUsageErrors() {
        assertThat(exitCode("--backend", "etcd")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("--etcd-endpoints");
        assertThat(exitCode("--backend", "zookeeper")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("zookeeper").contains("embedded or etcd");
        assertThat(exitCode("--backend=etcd", "--etcd-endpoints=h:1", "--etcd-root=noslash"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("noslash");
        assertThat(exitCode("--port", "70000")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("70000");
        assertThat(exitCode("--no-such-flag")).isEqualTo(ExitCodes.FAILURE);
    }

    @Test
    void configFileProvidesDefaultsAndFlagsWin() throws Exception {
        Path config = Files.writeString(tmp.resolve("topo.properties"),
                "data_dir=/srv/topo\nport=17990\nbind-address=127.0.0.1\n");
        TopoServerConfig c = parse("--config", config.toString(), "-port", "18990");
        assertThat(c.port()).isEqualTo(18990);
        assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.backend()).isEqualTo(new BackendConfig.Embedded(Path.of("/srv/topo")));
        Path bad = Files.writeString(tmp.resolve("bad.properties"), "dat_dir=/srv/topo\n");
        assertThat(exitCode("--config", bad.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("dat-dir");
    }

    /** A snapshot of the usage text, so flag changes are deliberate (DESIGN.md §7). */
    @Test
    void helpText() {
        assertThat(exitCode("--help")).isEqualTo(ExitCodes.OK);
        // Compared line by line without trailing blanks, which the text block below cannot hold.
        assertThat(out.toString().lines().map(String::stripTrailing).toList()).isEqualTo(HELP.lines().toList());
    }

    private static final String HELP = """
            Usage: tessera-topo [-h] [--backend=embedded|etcd] [--bind-address=ADDR]
                                [--config=FILE] [--data-dir=DIR] [--etcd-root=PATH]
                                [--port=PORT] [--etcd-endpoints=HOST:PORT[,HOST:PORT...]]...
            Serves the Tessera topology (versioned files, watches, leased locks) over gRPC,
            stored in an embedded durable store or in etcd.
              -h, --help                Print the flags and exit.
                  --config=FILE         Properties file (key=value, keys are flag names in
                                          either spelling) whose values are defaults for
                                          flags not given on the command line.
                  --port=PORT           gRPC port (default: 15990).
                  --bind-address=ADDR   Address to listen on (default: all interfaces).
                  --backend=embedded|etcd
                                        Where the topology is stored: embedded (a durable
                                          store in --data-dir, one machine) or etcd
                                          (--etcd-endpoints) (default: embedded).
                  --data-dir=DIR        Directory of the embedded store; one daemon at a
                                          time (default: ~/.tessera/topo).
                  --etcd-endpoints=HOST:PORT[,HOST:PORT...]
                                        etcd members for the etcd backend, comma-separated.
                  --etcd-root=PATH      Key prefix in etcd for the etcd backend (default:
                                          /tessera).

            Exit codes:
              0     --help printed the flags.
              1     Bad flags or config file, or the daemon could not start (data dir in
                      use by another process, port taken); the reason is on stderr.
              143   Stopped by SIGTERM after a clean shutdown (store closed).
            """;
}
