package io.tessera.ctl.cli;

import io.tessera.common.cli.FlagSyntax;
import java.util.List;
import java.util.stream.Stream;

/**
 * One flag a command accepts.
 *
 * @param name the modern spelling without dashes, words joined by {@code -} (for example {@code new-primary})
 * @param aliases older spellings still accepted, as Vitess documented them (for example {@code new_master});
 *     {@code _} and {@code -} are interchangeable in every spelling, so {@code denied_tables} needs no alias
 * @param kind what the flag's value is
 * @param label the value's placeholder in usage text; empty for booleans
 * @param help one sentence for the usage text
 */
public record FlagDef(String name, List<String> aliases, Kind kind, String label, String help) {

    /** The kinds of value a flag takes. */
    public enum Kind {
        /** {@code -force} or {@code -force=true|false}; never consumes the next word. */
        BOOL,
        STRING,
        /** A whole number. */
        INT,
        /** A Go duration such as {@code 30s} or {@code 1m}. */
        DURATION,
        /** Comma-separated values; giving the flag again adds more. */
        LIST,
        /** Text that may contain commas (SQL); giving the flag again adds another value. */
        REPEATED
    }

    public FlagDef {
        aliases = List.copyOf(aliases);
    }

    public static FlagDef bool(String name, String help) {
        return new FlagDef(name, List.of(), Kind.BOOL, "", help);
    }

    public static FlagDef string(String name, String label, String help) {
        return new FlagDef(name, List.of(), Kind.STRING, label, help);
    }

    public static FlagDef integer(String name, String label, String help) {
        return new FlagDef(name, List.of(), Kind.INT, label, help);
    }

    public static FlagDef duration(String name, String help) {
        return new FlagDef(name, List.of(), Kind.DURATION, "duration", help);
    }

    public static FlagDef repeated(String name, String label, String help) {
        return new FlagDef(name, List.of(), Kind.REPEATED, label, help);
    }

    public static FlagDef list(String name, String label, String help) {
        return new FlagDef(name, List.of(), Kind.LIST, label, help);
    }

    /** This flag, also accepted under the older spellings {@code oldNames}. */
    public FlagDef aka(String... oldNames) {
        return new FlagDef(name, Stream.concat(aliases.stream(), Stream.of(oldNames)).toList(), kind, label, help);
    }

    /** True if {@code canonicalName} (see {@link FlagSyntax#canonical}) is this flag's name or an alias. */
    public boolean matches(String canonicalName) {
        return name.equals(canonicalName)
                || aliases.stream().anyMatch(a -> FlagSyntax.canonical(a).equals(canonicalName));
    }

    /** How the flag reads in usage text, for example {@code --new-primary <alias>}. */
    public String synopsis() {
        return kind == Kind.BOOL ? "--" + name : "--" + name + " <" + label + ">";
    }
}
