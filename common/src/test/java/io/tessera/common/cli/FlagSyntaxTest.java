package io.tessera.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

class FlagSyntaxTest {

    @Command(name = "sample", subcommands = Sub.class)
    static final class Sample {
        @Mixin CommonOptions common;
        @Option(names = "--data-dir") Path dataDir;
        @Option(names = "--port") int port;
        @Option(names = "--verbose") boolean verbose;
        @Parameters List<String> rest;
    }

    @Command(name = "Reparent")
    static final class Sub implements Runnable {
        @Option(names = "--new-primary") String newPrimary;
        @Option(names = "--dry-run") boolean dryRun;

        @Override
        public void run() {}
    }

    private static List<String> normalize(String... args) {
        return FlagSyntax.normalize(new CommandLine(new Sample()).getCommandSpec(), List.of(args));
    }

    @Test
    void singleDashAndUnderscoresBecomeTheCanonicalSpelling() {
        assertThat(normalize("-data_dir=/tmp/x")).containsExactly("--data-dir=/tmp/x");
        assertThat(normalize("--data_dir", "/tmp/x")).containsExactly("--data-dir", "/tmp/x");
        assertThat(normalize("-data-dir", "/tmp/x")).containsExactly("--data-dir", "/tmp/x");
        assertThat(normalize("--data-dir=/tmp/x")).containsExactly("--data-dir=/tmp/x");
    }

    @Test
    void valuesAreNeverRewritten() {
        assertThat(normalize("--data_dir=/a_b/-c_d")).containsExactly("--data-dir=/a_b/-c_d");
        assertThat(normalize("-data_dir", "-odd_name")).containsExactly("--data-dir", "-odd_name");
        assertThat(normalize("-port", "-1")).containsExactly("--port", "-1");
        assertThat(normalize("-port=-1")).containsExactly("--port=-1");
    }

    @Test
    void loneDashNegativeNumbersAndEverythingAfterDoubleDashArePositional() {
        assertThat(normalize("-", "-7", "-.5")).containsExactly("-", "-7", "-.5");
        assertThat(normalize("--", "-data_dir", "--x_y")).containsExactly("--", "-data_dir", "--x_y");
    }

    @Test
    void namesTheCommandDeclaresVerbatimAreKept() {
        assertThat(normalize("-h")).containsExactly("-h");
        assertThat(normalize("-help")).containsExactly("--help");
    }

    @Test
    void booleanFlagsDoNotSwallowTheNextWord() {
        assertThat(normalize("-verbose", "-data_dir", "d")).containsExactly("--verbose", "--data-dir", "d");
    }

    @Test
    void subcommandFlagsAreFollowed() {
        assertThat(normalize("-port", "15999", "Reparent", "-new_primary", "-zone1_100", "-dry_run", "ks/0"))
                .containsExactly("--port", "15999", "Reparent", "--new-primary", "-zone1_100", "--dry-run", "ks/0");
    }

    @Test
    void canonicalStripsDashesAndUsesHyphens() {
        assertThat(FlagSyntax.canonical("-data_dir")).isEqualTo("data-dir");
        assertThat(FlagSyntax.canonical("--etcd_root")).isEqualTo("etcd-root");
        assertThat(FlagSyntax.canonical(" bind-address ")).isEqualTo("bind-address");
    }

    @Test
    void valueOfFindsTheLastValueInEitherForm() {
        assertThat(FlagSyntax.valueOf(List.of("--config", "a", "--config=b"), "config")).contains("b");
        assertThat(FlagSyntax.valueOf(List.of("--config=a"), "config")).contains("a");
        assertThat(FlagSyntax.valueOf(List.of("--", "--config=a"), "config")).isEmpty();
        assertThat(FlagSyntax.valueOf(List.of("--config"), "config")).isEmpty();
    }
}
