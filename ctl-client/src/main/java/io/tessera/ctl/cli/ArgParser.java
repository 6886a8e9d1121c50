package io.tessera.ctl.cli;

import io.tessera.common.cli.FlagSyntax;
import io.tessera.common.cli.GoDuration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a command's flags and arguments the way vtctlclient and vtctldclient users type them: {@code -flag} or
 * {@code --flag}, {@code _} or {@code -} inside names, {@code --flag=value} or {@code --flag value}, booleans as a
 * bare {@code -force} or {@code -force=true}, flags before or after positional arguments, and {@code --} to end
 * the flags. A word following a flag that takes a value is that value even if it starts with a dash; a negative
 * number or a lone {@code -} is a positional argument.
 */
public final class ArgParser {
    private ArgParser() {}

    /**
     * Parses {@code args} against {@code flags}.
     *
     * @param command the command's name, for messages
     * @throws UsageException for an unknown flag, a flag without its value or a value of the wrong kind
     */
    public static ParsedArgs parse(String command, List<FlagDef> flags, List<String> args) throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        boolean positionalOnly = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (positionalOnly || !isFlag(arg)) {
                positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                positionalOnly = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String typed = eq < 0 ? arg : arg.substring(0, eq);
            FlagDef flag = find(flags, FlagSyntax.canonical(typed));
            if (flag == null) {
                throw new UsageException("unknown flag " + typed + " for " + command);
            }
            String value;
            if (flag.kind() == FlagDef.Kind.BOOL) {
                value = eq < 0 ? "true" : parseBool(typed, arg.substring(eq + 1));
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("flag " + typed + " needs a value (" + flag.synopsis() + ")");
            }
            check(typed, flag, value);
            List<String> list = values.computeIfAbsent(flag.name(), k -> new ArrayList<>());
            if (flag.kind() == FlagDef.Kind.LIST) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        list.add(part.strip());
                    }
                }
            } else {
                list.add(value);
            }
        }
        return new ParsedArgs(command, values, positionals);
    }

    /** True if {@code args} asks for help ({@code -h}, {@code --help}) before any {@code --}. */
    public static boolean wantsHelp(List<String> args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (isFlag(arg)) {
                String name = FlagSyntax.canonical(arg);
                if (name.equals("help") || name.equals("h")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True for a word that names a flag (a dash, or two, then a letter) or is {@code --}. A lone {@code -} and
     * negative numbers are values.
     */
    public static boolean isFlag(String arg) {
        if (arg.equals("--")) {
            return true;
        }
        if (arg.length() < 2 || arg.charAt(0) != '-') {
            return false;
        }
        int start = arg.charAt(1) == '-' ? 2 : 1;
        return start < arg.length() && Character.isLetter(arg.charAt(start));
    }

    private static FlagDef find(List<FlagDef> flags, String canonical) {
        for (FlagDef f : flags) {
            if (f.matches(canonical)) {
                return f;
            }
        }
        return null;
    }

    /** Go's strconv.ParseBool spellings. */
    private static String parseBool(String typed, String value) throws UsageException {
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> "true";
            case "0", "f", "F", "false", "FALSE", "False" -> "false";
            default -> throw new UsageException("invalid value \"" + value + "\" for flag " + typed
                    + ": expected true or false");
        };
    }

    private static void check(String typed, FlagDef flag, String value) throws UsageException {
        switch (flag.kind()) {
            case INT -> {
                try {
                    Long.parseLong(value.strip());
                } catch (NumberFormatException e) {
                    throw new UsageException("invalid value \"" + value + "\" for flag " + typed
                            + ": expected a whole number");
                }
            }
            case DURATION -> {
                try {
                    GoDuration.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("invalid value for flag " + typed + ": " + e.getMessage());
                }
            }
            default -> {
                // strings and lists take any text
            }
        }
    }
}
