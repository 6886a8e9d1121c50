package io.tessera.common.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Flags every Tessera daemon and the command line share. Add to a command with
 * {@code @Mixin CommonOptions common;} and run it with {@link CommandRunner}, which reads the config file.
 */
public final class CommonOptions {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print the flags and exit.")
    boolean help;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (key=value, keys are flag names in either spelling) whose values are "
                    + "defaults for flags not given on the command line.")
    Path config;

    /** The config file named on the command line, or null. */
    public Path config() {
        return config;
    }
}
