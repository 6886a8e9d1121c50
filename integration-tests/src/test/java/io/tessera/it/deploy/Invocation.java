package io.tessera.it.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Tessera command line found in a deployment file: a container's command, or a line of a script a container
 * runs.
 *
 * @param where where it was found, for messages (file, service or workload, container, script)
 * @param program {@code tessera-gate}, {@code tessera-ctl}, ...
 * @param args its arguments as written; words with a {@code $} are only known at run time
 * @param files the files the container that runs it sees
 */
record Invocation(String where, String program, List<String> args, ContainerFiles files) {
    private static final Pattern PROGRAM = Pattern.compile("tessera-(topo|tablet|gate|ctld|ctl)");
    /** Shell redirections, which are not arguments: {@code >/dev/null}, {@code 2>&1}, {@code <<<"$x"}. */
    private static final Pattern REDIRECTION = Pattern.compile("[0-9]*[<>].*");

    Invocation {
        args = List.copyOf(args);
    }

    /** The Tessera command line in one simple command's words, if it runs a Tessera program. */
    static Optional<Invocation> in(String where, List<String> words, ContainerFiles files) {
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String name = word.substring(word.lastIndexOf('/') + 1);
            if (PROGRAM.matcher(name).matches()) {
                List<String> args = new ArrayList<>();
                for (String arg : words.subList(i + 1, words.size())) {
                    if (!REDIRECTION.matcher(arg).matches()) {
                        args.add(arg);
                    }
                }
                return Optional.of(new Invocation(where, name, args, files));
            }
        }
        return Optional.empty();
    }

    /**
     * Every Tessera command line a container runs: its command itself, or the script it hands to {@code sh -c},
     * and every line of the shell scripts mounted into it.
     */
    static List<Invocation> ofContainer(String where, List<String> command, ContainerFiles files) {
        List<Invocation> found = new ArrayList<>();
        boolean inlineScript = command.size() >= 3 && command.get(0).matches("(/bin/)?(ba)?sh")
                && command.get(1).equals("-c");
        if (inlineScript) {
            for (List<String> words : ShellWords.commands(command.get(2))) {
                in(where + " (sh -c)", words, files).ifPresent(found::add);
            }
        } else {
            in(where, command, files).ifPresent(found::add);
        }
        files.scripts().forEach((path, script) -> {
            for (List<String> words : ShellWords.commands(script)) {
                in(where + " script " + path, words, files).ifPresent(found::add);
            }
        });
        return found;
    }

    /** True if any argument is only known at run time (it holds a shell or Kubernetes variable). */
    static boolean isVariable(String word) {
        return word.contains("$");
    }
}
