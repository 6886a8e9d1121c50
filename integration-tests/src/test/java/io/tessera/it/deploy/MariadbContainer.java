package io.tessera.it.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a MariaDB container beside a tablet in external mode must be given, since the tablet creates nothing on a
 * server it does not run and refuses one without its replication settings (docs/tablet-mysqld.md): a config file
 * with those settings, an initialisation script for the users and databases, the credentials file that script
 * reads, and a server_id on the command line.
 */
final class MariadbContainer {
    private static final String CONF_DIR = "/etc/mysql/conf.d/";
    private static final String INIT_DIR = "/docker-entrypoint-initdb.d/";
    /** The settings the tablet checks at start, with the values it requires. */
    private static final Map<String, String> REQUIRED = Map.of("binlog_format", "ROW", "binlog_row_image", "FULL",
            "log_slave_updates", "ON", "gtid_strict_mode", "ON");
    private static final Pattern CREDENTIALS = Pattern.compile("TESSERA_DB_CREDENTIALS:-([^}\\s]+)}");

    private MariadbContainer() {}

    static List<String> problems(String where, List<String> command, ContainerFiles files) {
        List<String> problems = new ArrayList<>();
        Map<String, String> settings = new TreeMap<>();
        files.byPath().forEach((path, text) -> {
            if (path.startsWith(CONF_DIR) && path.endsWith(".cnf")) {
                settings.putAll(settings(text));
            }
        });
        if (!settings.containsKey("log_bin")) {
            problems.add(where + ": no config file in " + CONF_DIR + " sets log_bin");
        }
        REQUIRED.forEach((key, value) -> {
            if (!value.equalsIgnoreCase(settings.getOrDefault(key, ""))) {
                problems.add(where + ": no config file in " + CONF_DIR + " sets " + key + "=" + value);
            }
        });
        List<String> scripts = files.byPath().keySet().stream().filter(p -> p.startsWith(INIT_DIR)).toList();
        if (scripts.isEmpty()) {
            problems.add(where + ": nothing in " + INIT_DIR + " creates the tablet's users");
        }
        for (String script : scripts) {
            Matcher m = CREDENTIALS.matcher(files.byPath().get(script));
            if (m.find() && files.read(m.group(1)).isEmpty()) {
                problems.add(where + ": " + script + " reads " + m.group(1) + ", which no mount provides");
            }
        }
        if (command.stream().noneMatch(word -> word.contains("--server-id="))) {
            problems.add(where + ": the command must set --server-id, the tablet's uid");
        }
        return problems;
    }

    /** {@code key=value} and bare {@code key} lines of a my.cnf, keys with {@code _}; comments and groups skipped. */
    static Map<String, String> settings(String cnf) {
        Map<String, String> settings = new TreeMap<>();
        for (String raw : cnf.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.startsWith("[")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = (eq < 0 ? line : line.substring(0, eq)).strip().replace('-', '_');
            settings.put(key, eq < 0 ? "" : line.substring(eq + 1).strip());
        }
        return settings;
    }
}
