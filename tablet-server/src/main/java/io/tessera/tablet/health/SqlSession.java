package io.tessera.tablet.health;

import io.tessera.tablet.mysqlctl.DbConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * One long-lived connection for a periodic task (heartbeat writes or reads), opened on first use and reopened
 * after a failure.
 *
 * <p>Every read on the connection is bounded by a network timeout, so a hung mysqld makes a call fail instead of
 * stalling the scheduler thread forever. A call that fails on a connection opened earlier is retried once on a
 * fresh one: the old connection may simply have been closed by the server (a restart, {@code wait_timeout}), and
 * reporting that as a health problem would be a false alarm. Thread-safe; calls are serialised.
 */
final class SqlSession implements AutoCloseable {
    /** Work done on the session's connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DbConnector connector;
    private final int timeoutMillis;
    private Connection connection; // guarded by this

    SqlSession(DbConnector connector, Duration timeout) {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(timeout, "timeout");
        this.connector = connector.withConnectTimeout(timeout);
        this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /**
     * Runs {@code work} on the session's connection.
     *
     * @throws SQLException from the work or from connecting, after the one retry described above
     */
    synchronized <T> T call(Work<T> work) throws SQLException {
        boolean reused = connection != null;
        try {
            return work.run(connection());
        } catch (SQLException first) {
            closeQuietly();
            if (!reused) {
                throw first;
            }
            try {
                return work.run(connection());
            } catch (SQLException second) {
                closeQuietly();
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    /** The server this session talks to, for messages. */
    String describe() {
        return connector.describe();
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection fresh = connector.connect();
            try {
                // The driver ignores the executor; the timeout becomes the socket's read timeout.
                fresh.setNetworkTimeout(Runnable::run, timeoutMillis);
            } catch (SQLException e) {
                fresh.close();
                throw e;
            }
            connection = fresh;
        }
        return connection;
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The connection is being thrown away because it failed; a failing close adds nothing.
            }
            connection = null;
        }
    }
}
