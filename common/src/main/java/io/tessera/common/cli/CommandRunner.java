package io.tessera.common.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Runs a picocli command the way every Tessera process does: flags in any Vitess spelling (see
 * {@link FlagSyntax}), defaults from {@code --config FILE} (see {@link ConfigFile}), {@code --help} to stdout,
 * and the exit codes of {@link ExitCodes}.
 *
 * <p>A config file key that names no flag of the command is an error rather than being ignored, so a
 * misspelled key cannot silently leave a flag at its default.
 */
public final class CommandRunner {
    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * @param out where {@code --help} and the command's own output go
     * @param err where usage errors and failures go
     */
    public CommandRunner(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** A runner on the process's stdout and stderr. */
    public static CommandRunner onConsole() {
        return new CommandRunner(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /**
     * Parses {@code args} into {@code command} (a picocli {@code @Command} that is a {@code Runnable} or
     * {@code Callable<Integer>}) and runs it.
     *
     * @return the exit code: the command's own, {@link ExitCodes#OK} after {@code --help}, or
     *     {@link ExitCodes#FAILURE} for a usage error, an unreadable config file or an exception from the command
     */
    public int run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, typed) -> {
            err.println(ex.getMessage());
            ex.getCommandLine().usage(err);
            return ExitCodes.FAILURE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            err.println(cmd.getCommandName() + ": " + ex.getMessage());
            return ExitCodes.FAILURE;
        });
        cl.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.FAILURE);
        cl.getCommandSpec().exitCodeOnExecutionException(ExitCodes.FAILURE);

        List<String> normalized = FlagSyntax.normalize(cl.getCommandSpec(), Arrays.asList(args));
        var configPath = FlagSyntax.valueOf(normalized, "config");
        if (configPath.isPresent()) {
            try {
                ConfigFile file = ConfigFile.load(Path.of(configPath.get()));
                checkKeys(file, cl.getCommandSpec());
                cl.setDefaultValueProvider(new ConfigDefaults(file));
            } catch (IOException | RuntimeException e) {
                err.println("cannot use config file " + configPath.get() + ": " + e.getMessage());
                err.println("Run with --help for the flags.");
                err.flush();
                return ExitCodes.FAILURE;
            }
        }
        int code = cl.execute(normalized.toArray(String[]::new));
        out.flush();
        err.flush();
        return code;
    }

    private static void checkKeys(ConfigFile file, CommandSpec spec) throws IOException {
        Set<String> known = new TreeSet<>();
        collectFlagNames(spec, known);
        known.remove("config");
        known.remove("help");
        known.remove("h");
        Set<String> unknown = new TreeSet<>(file.values().keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IOException("unknown flag(s) " + unknown + "; known flags are " + known);
        }
    }

    private static void collectFlagNames(CommandSpec spec, Set<String> into) {
        for (OptionSpec option : spec.options()) {
            for (String name : option.names()) {
                into.add(FlagSyntax.canonical(name));
            }
        }
        for (CommandLine sub : spec.subcommands().values()) {
            collectFlagNames(sub.getCommandSpec(), into);
        }
    }
}
