package io.tessera.tablet.schema;

import io.tessera.tablet.mysqlctl.DbNames;
import java.time.Duration;
import java.util.Objects;

/**
 * How the schema engine loads the tablet's schema.
 *
 * @param dbName the database holding the keyspace's tables ({@code vt_<keyspace>} or
 *     {@code --init_db_name_override})
 * @param reloadTime {@code --queryserver-config-schema-reload-time}: how often the schema is re-read even when
 *     nobody asks; 30 minutes by default, as in Vitess
 * @param mysqlTimeout how long one query of a load may wait on mysqld before the load fails
 */
public record SchemaEngineConfig(String dbName, Duration reloadTime, Duration mysqlTimeout) {
    public static final Duration DEFAULT_RELOAD_TIME = Duration.ofMinutes(30);
    public static final Duration DEFAULT_MYSQL_TIMEOUT = Duration.ofSeconds(30);

    public SchemaEngineConfig {
        DbNames.check(dbName);
        requirePositive("schema reload time (--queryserver-config-schema-reload-time)", reloadTime);
        requirePositive("mysql timeout", mysqlTimeout);
    }

    /** The defaults for the database {@code dbName}. */
    public static SchemaEngineConfig forDatabase(String dbName) {
        return new SchemaEngineConfig(dbName, DEFAULT_RELOAD_TIME, DEFAULT_MYSQL_TIMEOUT);
    }

    public SchemaEngineConfig withReloadTime(Duration reload) {
        return new SchemaEngineConfig(dbName, reload, mysqlTimeout);
    }

    private static void requirePositive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive, got " + value);
        }
    }
}
