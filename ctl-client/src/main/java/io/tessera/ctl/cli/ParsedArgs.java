package io.tessera.ctl.cli;

import io.tessera.common.cli.GoDuration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A command's arguments after {@link ArgParser}: flag values by their modern name, and the positional arguments
 * in order. Values were checked against their flag's kind while parsing, so the accessors do not fail on them.
 */
public final class ParsedArgs {
    private final String command;
    private final Map<String, List<String>> values;
    private final List<String> positionals;

    ParsedArgs(String command, Map<String, List<String>> values, List<String> positionals) {
        this.command = command;
        this.values = Map.copyOf(values);
        this.positionals = List.copyOf(positionals);
    }

    /** The command these arguments are for, for messages. */
    public String command() {
        return command;
    }

    public List<String> positionals() {
        return positionals;
    }

    /** True if the flag was given at all. */
    public boolean has(String flag) {
        return values.containsKey(flag);
    }

    /** A boolean flag: false when absent. */
    public boolean bool(String flag) {
        List<String> v = values.get(flag);
        return v != null && Boolean.parseBoolean(v.getLast());
    }

    /** A flag's value (the last one given). */
    public Optional<String> string(String flag) {
        List<String> v = values.get(flag);
        return v == null ? Optional.empty() : Optional.of(v.getLast());
    }

    public String string(String flag, String absent) {
        return string(flag).orElse(absent);
    }

    public OptionalLong integer(String flag) {
        return string(flag).map(s -> OptionalLong.of(Long.parseLong(s.strip()))).orElse(OptionalLong.empty());
    }

    public Optional<Duration> duration(String flag) {
        return string(flag).map(GoDuration::parse);
    }

    /** Every value of a list flag (split at commas) or a repeated flag, in the order given; empty when absent. */
    public List<String> list(String flag) {
        return values.getOrDefault(flag, List.of());
    }

    /**
     * Checks the number of positional arguments.
     *
     * @param names how the arguments are called in usage, for the message (for example {@code <keyspace/shard>})
     */
    public ParsedArgs expect(int min, int max, String names) throws UsageException {
        int n = positionals.size();
        if (n < min) {
            throw new UsageException(command + " needs " + names + (n == 0 ? "" : " (got " + n + " argument"
                    + (n == 1 ? "" : "s") + ")"));
        }
        if (max >= 0 && n > max) {
            throw new UsageException(command + " takes " + (max == 0 ? "no arguments" : names)
                    + " but got " + n + " argument" + (n == 1 ? "" : "s") + ": " + String.join(" ", positionals));
        }
        return this;
    }

    /** Positional argument {@code i}; call {@link #expect} first. */
    public String arg(int i) {
        return positionals.get(i);
    }

    /** Positional arguments from {@code from} on. */
    public List<String> rest(int from) {
        return positionals.subList(Math.min(from, positionals.size()), positionals.size());
    }

    /** The value of a flag that must be given. */
    public String required(String flag) throws UsageException {
        Optional<String> v = string(flag);
        if (v.isEmpty() || v.get().isEmpty()) {
            throw new UsageException(command + " needs --" + flag);
        }
        return v.get();
    }
}
