package io.tessera.tablet.health;

import io.tessera.tablet.mysqlctl.DbConnector;
import java.time.Duration;
import java.util.Optional;

/** Tells whether the tablet's mysqld answers right now. Implementations are thread-safe and never throw. */
@FunctionalInterface
public interface MysqldProbe {
    /**
     * Checks mysqld once.
     *
     * @return empty when mysqld answered, else why it did not, in words for an operator
     */
    Optional<String> problem();

    /**
     * A probe that opens a fresh connection through {@code connector} and runs {@code SELECT 1}, each step bounded
     * by {@code timeout}. A fresh connection each time means the probe sees what a new client would see (for
     * example "too many connections"), and holds nothing open between checks.
     */
    static MysqldProbe ping(DbConnector connector, Duration timeout) {
        return new PingProbe(connector, timeout);
    }
}
