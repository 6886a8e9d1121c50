package io.tessera.it.deploy;

import io.tessera.common.cli.FlagSyntax;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A daemon's command line from a deployment file, checked against the daemon's own flag definitions the way the
 * daemon reads it: any Vitess spelling, defaults from {@code --config FILE} (a properties file the container must
 * see), a config key that names no flag is an error, the files it reads (credentials, users, certificates) must be
 * mounted, and the whole line must parse (known flags, values of the right type, required flags present). A value
 * known only at run time ({@code "zone1-$uid"}) is replaced by a stand-in of the flag's type for the parse.
 *
 * @param invocation the command line
 * @param daemon the daemon it runs
 * @param values each flag's value by canonical name, the command line's over the config file's
 * @param problems what is wrong, each naming where
 */
record DaemonCommandLine(Invocation invocation, Daemon daemon, Map<String, String> values, List<String> problems) {

    /** Flags naming a file the daemon reads, which the deployment must therefore mount. */
    private static final List<String> INPUT_FILES = List.of("db-credentials-file", "mysql-auth-server-static-file",
            "mysql-server-ssl-cert", "mysql-server-ssl-key");

    DaemonCommandLine {
        values = Map.copyOf(values);
        problems = List.copyOf(problems);
    }

    static DaemonCommandLine check(Invocation invocation, Daemon daemon) {
        List<String> problems = new ArrayList<>();
        String where = invocation.where() + ": " + daemon.program();
        CommandLine cl = daemon.commandLine();
        CommandSpec spec = cl.getCommandSpec();

        List<String> normalized = FlagSyntax.normalize(spec, invocation.args());
        Map<String, String> config = config(invocation, normalized, spec, where, problems);
        Map<String, String> values = new TreeMap<>(config);
        List<String> parsable = new ArrayList<>();
        for (int i = 0; i < normalized.size(); i++) {
            String arg = normalized.get(i);
            if (!arg.startsWith("--")) {
                parsable.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            OptionSpec option = spec.optionsMap().get(name);
            if (option == null) {
                problems.add(where + " has no flag " + name);
                continue;
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (option.arity().min() > 0 && i + 1 < normalized.size()) {
                value = normalized.get(++i);
            } else {
                value = option.arity().min() > 0 ? null : "true";
            }
            String canonical = FlagSyntax.canonical(name);
            if (value != null) {
                values.put(canonical, value);
            }
            if (eq >= 0) {
                parsable.add(name + "=" + standIn(option, value));
            } else {
                parsable.add(name);
                if (option.arity().min() > 0 && value != null) {
                    parsable.add(standIn(option, value));
                }
            }
        }

        for (String flag : INPUT_FILES) {
            String path = values.get(flag);
            if (path != null && !Invocation.isVariable(path) && invocation.files().read(path).isEmpty()) {
                problems.add(where + " reads --" + flag + " " + path + ", which no mount provides");
            }
        }

        cl.setDefaultValueProvider(arg -> arg instanceof OptionSpec option
                ? config.get(FlagSyntax.canonical(option.longestName())) : null);
        try {
            cl.parseArgs(parsable.toArray(String[]::new));
        } catch (ParameterException e) {
            problems.add(where + " does not parse: " + e.getMessage());
        }
        return new DaemonCommandLine(invocation, daemon, values, problems);
    }

    /**
     * The ports the daemon listens on, by flag: the value given, else the daemon's default. A port only known at
     * run time, or one the daemon computes (a tablet's 15000 + uid), is a problem: the file must say which port.
     */
    Map<String, Integer> ports(List<String> problems) {
        String where = invocation.where() + ": " + daemon.program();
        Map<String, Integer> ports = new LinkedHashMap<>();
        CommandSpec spec = daemon.commandLine().getCommandSpec();
        for (String flag : daemon.portFlags()) {
            String value = values.get(flag);
            if (value == null) {
                value = spec.optionsMap().get("--" + flag).defaultValue();
                // 0 is how a daemon marks a port it computes (a tablet's 15000 + uid).
                value = "0".equals(value) ? null : value;
            }
            if (value == null || Invocation.isVariable(value)) {
                problems.add(where + " must give --" + flag + " explicitly, so the file says which port it listens on");
                continue;
            }
            try {
                ports.put(flag, Integer.parseInt(value));
            } catch (NumberFormatException e) {
                problems.add(where + ": --" + flag + " " + value + " is not a port");
            }
        }
        return ports;
    }

    Optional<String> value(String canonicalFlag) {
        return Optional.ofNullable(values.get(canonicalFlag));
    }

    /** The config file's values by canonical flag name; reports a file the container does not see or a bad key. */
    private static Map<String, String> config(Invocation invocation, List<String> normalized, CommandSpec spec,
            String where, List<String> problems) {
        Optional<String> path = FlagSyntax.valueOf(normalized, "config");
        if (path.isEmpty()) {
            return Map.of();
        }
        Optional<String> text = invocation.files().read(path.get());
        if (text.isEmpty()) {
            problems.add(where + " reads --config " + path.get() + ", which no mount provides");
            return Map.of();
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text.get()));
        } catch (IOException | IllegalArgumentException e) {
            problems.add(where + ": --config " + path.get() + " is not a properties file: " + e.getMessage());
            return Map.of();
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String name = FlagSyntax.canonical(key);
            if (!spec.optionsMap().containsKey("--" + name) || name.equals("config") || name.equals("help")) {
                problems.add(where + ": key " + key + " of --config " + path.get() + " names no flag");
            } else {
                values.put(name, properties.getProperty(key).strip());
            }
        }
        return values;
    }

    /** A value for the parse: the value itself, or for a run-time value a stand-in of the option's type. */
    private static String standIn(OptionSpec option, String value) {
        if (!Invocation.isVariable(value)) {
            return value;
        }
        Class<?> type = option.type();
        if (type == int.class || type == long.class || Number.class.isAssignableFrom(type)) {
            return "1";
        }
        if (type == Duration.class) {
            return "1s";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true";
        }
        return value;
    }
}
