package io.tessera.it.deploy;

import com.google.protobuf.Message;
import io.tessera.common.cli.FlagSyntax;
import io.tessera.ctl.cli.ArgParser;
import io.tessera.ctl.cli.FlagDef;
import io.tessera.ctl.cli.UsageException;
import io.tessera.ctl.command.CommandRegistry;
import io.tessera.ctl.command.CommandSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code tessera-ctl} command line from a deployment file's script, checked the way {@code tessera-ctl} reads it:
 * global flags, a known command, the command's flags, and, when every word is known before run time, the whole
 * command turned into its request exactly as the real command line would (argument count, aliases,
 * {@code keyspace/shard} syntax, files such as {@code --sql-file}, which must be mounted into the container).
 *
 * @param invocation the command line
 * @param command the command, if known
 * @param requests the requests it would send, if every word is known before run time and it parses
 * @param problems what is wrong, each naming where
 */
record CtlCommandLine(Invocation invocation, Optional<CommandSpec> command, List<Message> requests,
                      List<String> problems) {
    private static final CommandRegistry REGISTRY = CommandRegistry.standard();

    CtlCommandLine {
        requests = List.copyOf(requests);
        problems = List.copyOf(problems);
    }

    /**
     * @param scratch a directory for the mounted files a command reads (they may exist only as ConfigMap data)
     */
    static CtlCommandLine check(Invocation invocation, Path scratch) {
        List<String> problems = new ArrayList<>();
        String where = invocation.where() + ": tessera-ctl";
        List<String> args = invocation.args();
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("-")) {
            String arg = args.get(i++);
            int eq = arg.indexOf('=');
            String name = FlagSyntax.canonical(eq < 0 ? arg : arg.substring(0, eq));
            if (!name.equals("server") && !name.equals("action-timeout")) {
                // tessera-ctl stops at an unknown global flag too: what follows cannot be read.
                problems.add(where + " has no global flag " + arg);
                return new CtlCommandLine(invocation, Optional.empty(), List.of(), problems);
            } else if (eq < 0) {
                i++;
            }
        }
        if (i >= args.size()) {
            problems.add(where + " names no command");
            return new CtlCommandLine(invocation, Optional.empty(), List.of(), problems);
        }
        String name = args.get(i);
        Optional<CommandSpec> command = REGISTRY.find(name);
        if (command.isEmpty()) {
            problems.add(where + ": unknown command " + name);
            return new CtlCommandLine(invocation, command, List.of(), problems);
        }
        CommandSpec spec = command.get();
        List<String> words = args.subList(i + 1, args.size());
        List<Message> requests = List.of();
        try {
            // Flags first, with stand-ins for run-time values, so even a line with variables has its flags checked.
            ArgParser.parse(spec.name(), spec.flags(), standIns(spec.flags(), words));
            if (words.stream().noneMatch(Invocation::isVariable)) {
                Optional<List<String>> local = withMountedFiles(spec, words, invocation, scratch, problems, where);
                if (local.isPresent()) {
                    requests = List.copyOf(spec.parse(local.get()).requests());
                }
            }
        } catch (UsageException e) {
            problems.add(where + " " + name + ": " + e.getMessage());
        }
        return new CtlCommandLine(invocation, command, requests, problems);
    }

    private static List<String> standIns(List<FlagDef> flags, List<String> words) {
        List<String> out = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            out.add(word);
            if (!word.startsWith("-") || word.contains("=")) {
                continue;
            }
            FlagDef flag = flags.stream().filter(f -> f.matches(FlagSyntax.canonical(word))).findFirst().orElse(null);
            if (flag != null && flag.kind() != FlagDef.Kind.BOOL && i + 1 < words.size()
                    && Invocation.isVariable(words.get(i + 1))) {
                i++;
                out.add(switch (flag.kind()) {
                    case INT -> "1";
                    case DURATION -> "1s";
                    default -> words.get(i);
                });
            }
        }
        return out;
    }

    /**
     * The words with every value of a {@code --*-file} flag replaced by a local copy of the file the container sees
     * at that path; empty, after reporting it, if a path is one no mount provides.
     */
    private static Optional<List<String>> withMountedFiles(CommandSpec spec, List<String> words, Invocation invocation,
            Path scratch, List<String> problems, String where) {
        List<String> out = new ArrayList<>(words);
        for (int i = 0; i + 1 < out.size(); i++) {
            String word = out.get(i);
            if (!word.startsWith("-") || word.contains("=") || !FlagSyntax.canonical(word).endsWith("file")) {
                continue;
            }
            String path = out.get(i + 1);
            Optional<String> text = invocation.files().read(path);
            if (text.isEmpty()) {
                problems.add(where + " " + spec.name() + " reads " + path + ", which no mount provides");
                return Optional.empty();
            }
            try {
                Path copy = Files.createTempFile(scratch, "mounted-", "-" + Path.of(path).getFileName());
                Files.writeString(copy, text.get());
                out.set(i + 1, copy.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.of(out);
    }
}
