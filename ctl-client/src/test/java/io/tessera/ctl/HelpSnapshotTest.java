package io.tessera.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.ctl.command.CommandRegistry;
import io.tessera.ctl.command.CommandSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code tessera-ctl help} and every {@code help Command}, compared with a golden file so that command and flag
 * changes are deliberate. After an intended change, run with {@code -Dtessera.updateGolden=true} to rewrite the
 * file, and review the diff.
 */
class HelpSnapshotTest {
    private static final String GOLDEN = "io/tessera/ctl/help.golden.txt";

    @Test
    void helpMatchesTheGoldenFile() throws Exception {
        CtlHarness ctl = new CtlHarness();
        StringBuilder actual = new StringBuilder();
        try (ctl) {
            actual.append("$ tessera-ctl help\n").append(ctl.run("help").out());
            for (CommandSpec c : CommandRegistry.standard().commands()) {
                actual.append("\n$ tessera-ctl help ").append(c.name()).append('\n')
                        .append(ctl.run("help", c.name()).out());
            }
        }
        if (Boolean.getBoolean("tessera.updateGolden")) {
            Files.writeString(Path.of("src/test/resources", GOLDEN), actual, StandardCharsets.UTF_8);
        }
        String expected;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(GOLDEN)) {
            expected = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!expected.contentEquals(actual)) {
            writeActual(actual.toString());
        }
        assertThat(actual.toString()).as("help output differs from " + GOLDEN
                + "; the actual output is in target/help.actual.txt").isEqualTo(expected);
    }

    private static void writeActual(String text) throws IOException {
        Files.writeString(Path.of("target/help.actual.txt"), text, StandardCharsets.UTF_8);
    }
}
