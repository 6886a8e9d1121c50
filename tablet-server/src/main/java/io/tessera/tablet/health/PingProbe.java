package io.tessera.tablet.health;

import io.tessera.tablet.mysqlctl.DbConnector;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/** {@link MysqldProbe#ping}: connect, {@code SELECT 1}, disconnect. */
final class PingProbe implements MysqldProbe {
    private final DbConnector connector;
    private final Duration timeout;

    PingProbe(DbConnector connector, Duration timeout) {
        this.connector = connector;
        this.timeout = timeout;
    }

    @Override
    public Optional<String> problem() {
        try (SqlSession session = new SqlSession(connector, timeout)) {
            session.call(c -> {
                try (Statement s = c.createStatement()) {
                    return s.execute("SELECT 1");
                }
            });
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            return Optional.of("mysqld is not reachable as " + connector.describe() + ": " + e.getMessage());
        }
    }
}
