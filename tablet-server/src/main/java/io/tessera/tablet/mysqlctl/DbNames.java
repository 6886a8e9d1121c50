package io.tessera.tablet.mysqlctl;

import java.util.Objects;
import java.util.Optional;

/** Names of the databases a tablet uses on its mysqld. */
public final class DbNames {
    /** The sidecar database where the tablet keeps its own tables (heartbeat, reparent journal, schema copy). */
    public static final String SIDECAR = "_vt";

    /** The longest database name MySQL accepts. */
    public static final int MAX_LENGTH = 64;

    private DbNames() {}

    /**
     * The database that holds a keyspace's tables: {@code vt_<keyspace>}, unless {@code --init_db_name_override}
     * names another.
     */
    public static String forKeyspace(String keyspace, Optional<String> override) {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(override, "override");
        String name = override.filter(o -> !o.isEmpty()).orElseGet(() -> "vt_" + keyspace);
        return check(name);
    }

    /**
     * Returns {@code name} if it is usable as a database name here, else throws with the reason. Besides MySQL's
     * own limits this refuses characters that would need escaping in a JDBC URL or a file name.
     */
    public static String check(String name) {
        Objects.requireNonNull(name, "database name");
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "database name '" + name + "' must be 1 to " + MAX_LENGTH + " characters long");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-' || c == '$';
            if (!ok) {
                throw new IllegalArgumentException("database name '" + name + "' contains '" + c
                        + "'; use letters, digits, '_', '-' and '$' only");
            }
        }
        return name;
    }

    /** {@code name} quoted as a MySQL identifier. */
    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
