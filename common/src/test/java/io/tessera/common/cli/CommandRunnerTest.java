package io.tessera.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class CommandRunnerTest {

    @TempDir Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandRunner runner = new CommandRunner(new PrintWriter(out, true), new PrintWriter(err, true));

    @Command(name = "tessera-sample", description = "A sample daemon.")
    static final class Sample implements Callable<Integer> {
        @Mixin CommonOptions common;
        @Option(names = "--port", defaultValue = "15990", description = "gRPC port.") int port;
        @Option(names = "--data-dir", defaultValue = "/default/dir", description = "Data directory.") String dataDir;
        @Option(names = "--offset", defaultValue = "0") int offset;
        @Option(names = "--fail", description = "Fail when run.") boolean fail;
        boolean ran;

        @Override
        public Integer call() {
            if (fail) {
                throw new IllegalStateException("the data dir is in use");
            }
            ran = true;
            return ExitCodes.OK;
        }
    }

    @Test
    void parsesEveryFlagSpelling() {
        Sample s = new Sample();
        int code = runner.run(s, "-port", "16000", "--data_dir=/x", "-offset", "-3");
        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(s.ran).isTrue();
        assertThat(s.port).isEqualTo(16000);
        assertThat(s.dataDir).isEqualTo("/x");
        assertThat(s.offset).isEqualTo(-3);
    }

    @Test
    void configFileGivesDefaultsAndTheCommandLineWins() throws IOException {
        Path config = Files.writeString(tmp.resolve("topo.properties"), """
                # comments are allowed
                data_dir = /from/config
                --port=17000
                """);
        Sample s = new Sample();
        assertThat(runner.run(s, "-config", config.toString())).isEqualTo(ExitCodes.OK);
        assertThat(s.dataDir).isEqualTo("/from/config");
        assertThat(s.port).isEqualTo(17000);
        assertThat(s.offset).isZero();

        Sample t = new Sample();
        assertThat(runner.run(t, "--port=18000", "--config=" + config)).isEqualTo(ExitCodes.OK);
        assertThat(t.port).isEqualTo(18000);
        assertThat(t.dataDir).isEqualTo("/from/config");
    }

    @Test
    void unknownConfigKeyIsAnError() throws IOException {
        Path config = Files.writeString(tmp.resolve("bad.properties"), "data_dri=/typo\n");
        Sample s = new Sample();
        assertThat(runner.run(s, "--config", config.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(s.ran).isFalse();
        assertThat(err.toString()).contains("data-dri").contains(config.toString());
    }

    @Test
    void sameKeyInTwoSpellingsIsAnError() throws IOException {
        Path config = Files.writeString(tmp.resolve("twice.properties"), "data_dir=/a\ndata-dir=/b\n");
        assertThat(runner.run(new Sample(), "--config", config.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("more than once");
    }

    @Test
    void missingConfigFileIsAnError() {
        Path missing = tmp.resolve("missing.properties");
        assertThat(runner.run(new Sample(), "--config", missing.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains(missing.toString());
    }

    @Test
    void helpListsTheFlagsAndExitsZero() {
        Sample s = new Sample();
        assertThat(runner.run(s, "-help")).isEqualTo(ExitCodes.OK);
        assertThat(s.ran).isFalse();
        assertThat(out.toString()).contains("--port", "--data-dir", "--config", "--help");
    }

    @Test
    void badFlagPrintsAUsageErrorAndExitsOne() {
        Sample s = new Sample();
        assertThat(runner.run(s, "--no_such_flag=1")).isEqualTo(ExitCodes.FAILURE);
        assertThat(s.ran).isFalse();
        assertThat(err.toString()).contains("--no-such-flag").contains("Usage:");
    }

    @Test
    void badValuePrintsAUsageErrorAndExitsOne() {
        assertThat(runner.run(new Sample(), "--port", "not-a-number")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("not-a-number");
    }

    @Test
    void failureInTheCommandExitsOneWithItsMessage() {
        assertThat(runner.run(new Sample(), "--fail")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("the data dir is in use");
    }
}
