package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Snapshots of each daemon's {@code --help} under {@code src/test/resources/help/}, so a flag change shows up in
 * review. After a deliberate change, rerun with {@code -Dtessera.update-help=true} to rewrite the snapshot.
 */
final class HelpSnapshots {
    private HelpSnapshots() {}

    static void assertMatches(String daemon, String help) throws IOException {
        Path file = Launchers.home().resolve("integration-tests/src/test/resources/help/" + daemon + ".txt");
        String normalized = help.replace("\r\n", "\n").strip() + "\n";
        if (Boolean.getBoolean("tessera.update-help")) {
            Files.writeString(file, normalized);
        }
        assertThat(file).as("help snapshot %s (create it with -Dtessera.update-help=true)", file).exists();
        assertThat(normalized).as("%s --help differs from %s; if the change is deliberate, rerun with "
                + "-Dtessera.update-help=true", daemon, file).isEqualTo(Files.readString(file));
    }
}
