package io.tessera.common.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flag spellings Vitess users type, turned into the one spelling picocli parses. Go's flag package accepts
 * {@code -flag} and {@code --flag}, and Vitess has used both {@code _} and {@code -} inside flag names, so
 * {@code -data_dir=x}, {@code --data_dir x} and {@code --data-dir=x} all mean the same flag here.
 *
 * <p>Only flag names are rewritten; values are left exactly as typed. A word that follows a flag which takes a
 * value is that flag's value even when it starts with a dash ({@code --port -1}), a lone {@code -} (stdin by
 * convention) is a positional argument, and everything after {@code --} is positional.
 */
public final class FlagSyntax {
    private FlagSyntax() {}

    /**
     * Rewrites {@code args} so every flag is spelled {@code --name-with-dashes}, following subcommands of
     * {@code spec} as they appear so the right flags are known at each point.
     *
     * @param spec the command the arguments are for; names it declares verbatim (such as {@code -h}) are kept
     * @param args the arguments as typed
     * @return the arguments picocli should parse
     */
    public static List<String> normalize(CommandSpec spec, List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        CommandSpec current = spec;
        boolean valueNext = false;
        boolean positionalOnly = false;
        for (String arg : args) {
            if (positionalOnly || valueNext) {
                out.add(arg);
                valueNext = false;
                continue;
            }
            if (arg.equals("--")) {
                positionalOnly = true;
                out.add(arg);
                continue;
            }
            if (!isFlag(arg)) {
                CommandSpec sub = current.subcommands().containsKey(arg)
                        ? current.subcommands().get(arg).getCommandSpec()
                        : null;
                if (sub != null) {
                    current = sub;
                }
                out.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String typedName = eq < 0 ? arg : arg.substring(0, eq);
            String name = current.optionsMap().containsKey(typedName) ? typedName : "--" + canonical(typedName);
            out.add(eq < 0 ? name : name + arg.substring(eq));
            OptionSpec option = current.optionsMap().get(name);
            valueNext = eq < 0 && option != null && option.arity().min() > 0;
        }
        return out;
    }

    /**
     * The canonical form of a flag or config key: no leading dashes, words joined by {@code -}. For example
     * {@code -data_dir}, {@code --data-dir} and {@code data_dir} all become {@code data-dir}.
     */
    public static String canonical(String flagOrKey) {
        String s = flagOrKey.strip();
        int i = 0;
        while (i < s.length() && i < 2 && s.charAt(i) == '-') {
            i++;
        }
        return s.substring(i).replace('_', '-');
    }

    /**
     * The value given to {@code option} (canonical name, such as {@code config}) in already normalized
     * arguments, as {@code --option=value} or {@code --option value}; the last one wins, like picocli.
     */
    public static Optional<String> valueOf(List<String> normalized, String option) {
        String flag = "--" + option;
        String found = null;
        for (int i = 0; i < normalized.size(); i++) {
            String arg = normalized.get(i);
            if (arg.equals("--")) {
                break;
            }
            if (arg.startsWith(flag + "=")) {
                found = arg.substring(flag.length() + 1);
            } else if (arg.equals(flag) && i + 1 < normalized.size()) {
                found = normalized.get(++i);
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * True for a word that names a flag: a dash followed by a letter ({@code -x}, {@code --xy}). A lone
     * {@code -}, a negative number ({@code -1}, {@code -.5}) and anything with three leading dashes are values.
     */
    static boolean isFlag(String arg) {
        if (arg.length() < 2 || arg.charAt(0) != '-') {
            return false;
        }
        int start = arg.charAt(1) == '-' ? 2 : 1;
        return start < arg.length() && Character.isLetter(arg.charAt(start));
    }
}
