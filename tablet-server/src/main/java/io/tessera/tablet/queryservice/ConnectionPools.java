package io.tessera.tablet.queryservice;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tessera.tablet.mysqlctl.DbConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * The query service's three HikariCP pools, all as the app user: {@link Pool#QUERY} for ordinary statements,
 * {@link Pool#STREAM} for streamed ones, {@link Pool#TRANSACTION} for open transactions (its size is the transaction
 * cap). Connections are opened on demand, not up front, and closed after the idle timeout, as vttablet's pools do;
 * a pool starts even while mysqld is down and connects once it is back.
 */
final class ConnectionPools implements AutoCloseable {
    /** The pools. */
    enum Pool {
        QUERY("query"),
        STREAM("stream"),
        TRANSACTION("transaction");

        private final String label;

        Pool(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /**
     * A streamed result may wait on a slow reader (that is the point of flow control); without this, mysqld would
     * abort the query after its default 60 s write timeout.
     */
    static final String STREAM_SESSION_SETUP = "SET SESSION net_write_timeout = 3600";

    private final HikariDataSource query;
    private final HikariDataSource stream;
    private final HikariDataSource transaction;
    private final QueryServiceConfig config;

    ConnectionPools(QueryServiceConfig config, DbConnector app, String namePrefix) {
        this.config = config;
        this.query = pool(namePrefix + "-query", app, config.poolSize(), config.effectiveQueryPoolWait(), config,
                null);
        this.stream = pool(namePrefix + "-stream", app, config.streamPoolSize(), config.effectiveStreamPoolWait(),
                config, STREAM_SESSION_SETUP);
        this.transaction = pool(namePrefix + "-tx", app, config.transactionCap(), config.txPoolTimeout(), config,
                null);
    }

    /**
     * A connection from {@code pool}; the caller closes it (returning it) or {@link #discard}s it.
     *
     * @throws SQLException as HikariCP reports it: a {@link java.sql.SQLTransientConnectionException} when no
     *     connection became available in time (with the last connection failure as its cause, if mysqld could not
     *     be reached)
     */
    Connection borrow(Pool pool) throws SQLException {
        return source(pool).getConnection();
    }

    /**
     * Closes {@code connection} for good instead of returning it: for connections whose session state is
     * unknown or changed (a failed rollback, SET statements, a killed stream).
     */
    void discard(Pool pool, Connection connection) {
        source(pool).evictConnection(connection);
    }

    /** The mysqld connection id of {@code c}, for KILL. */
    static long threadIdOf(Connection c) throws SQLException {
        return c.unwrap(org.mariadb.jdbc.Connection.class).getThreadId();
    }

    /** How long {@code pool} waits for a connection. */
    Duration waitTimeout(Pool pool) {
        return switch (pool) {
            case QUERY -> config.effectiveQueryPoolWait();
            case STREAM -> config.effectiveStreamPoolWait();
            case TRANSACTION -> config.txPoolTimeout();
        };
    }

    /** True once the pools are closed (the query service is shutting down). */
    boolean isClosed() {
        return query.isClosed();
    }

    /** Each pool's figures now; a pool that has not opened a connection yet shows zeros. */
    java.util.List<PoolStats> stats() {
        java.util.List<PoolStats> out = new java.util.ArrayList<>();
        for (Pool p : Pool.values()) {
            HikariDataSource ds = source(p);
            var bean = ds.isClosed() ? null : ds.getHikariPoolMXBean();
            out.add(bean == null ? new PoolStats(p.label(), ds.getMaximumPoolSize(), 0, 0, 0)
                    : new PoolStats(p.label(), ds.getMaximumPoolSize(), bean.getActiveConnections(),
                            bean.getIdleConnections(), bean.getThreadsAwaitingConnection()));
        }
        return out;
    }

    @Override
    public void close() {
        query.close();
        stream.close();
        transaction.close();
    }

    private HikariDataSource source(Pool pool) {
        return switch (pool) {
            case QUERY -> query;
            case STREAM -> stream;
            case TRANSACTION -> transaction;
        };
    }

    private static HikariDataSource pool(String name, DbConnector app, int size, Duration wait,
            QueryServiceConfig config, String sessionSetup) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setDriverClassName(org.mariadb.jdbc.Driver.class.getName());
        hc.setJdbcUrl(app.jdbcUrl());
        Properties props = app.properties();
        // MySQL's own meaning of "rows affected" (changed rows), which Vitess reports too; the driver defaults to
        // matched rows.
        props.setProperty("useAffectedRows", "true");
        // LOAD DATA LOCAL would let a statement read files on the tablet's host.
        props.setProperty("allowLocalInfile", "false");
        hc.setDataSourceProperties(props);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(0);
        hc.setConnectionTimeout(wait.toMillis());
        hc.setValidationTimeout(Math.min(3000, wait.toMillis()));
        hc.setIdleTimeout(config.idleTimeout().toMillis());
        // Retire connections by idleness only (HikariCP's keepalive pings them meanwhile); a lifetime shorter than
        // the idle timeout would make HikariCP ignore the latter.
        hc.setMaxLifetime(0);
        hc.setAutoCommit(true);
        // Start even if mysqld is down; connections are made when it is back.
        hc.setInitializationFailTimeout(-1);
        if (sessionSetup != null) {
            hc.setConnectionInitSql(sessionSetup);
        }
        return new HikariDataSource(hc);
    }
}
