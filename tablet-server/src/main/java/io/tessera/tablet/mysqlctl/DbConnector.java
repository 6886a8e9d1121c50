package io.tessera.tablet.mysqlctl;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Opens JDBC connections to one mysqld as one user: the connection factory of a tablet role. It connects through
 * the unix socket when the endpoint has one (local, and the only way for users that exist for localhost only),
 * else over TCP.
 *
 * <p>For a connection pool, give the pool both {@link #jdbcUrl()} and {@link #properties()} (HikariCP:
 * {@code setJdbcUrl} and {@code setDataSourceProperties}); the URL carries no password.
 *
 * @param endpoint the server
 * @param user the account and its password
 * @param database the default database of new connections, if any
 * @param connectTimeout how long opening a connection may take
 */
public record DbConnector(MysqlEndpoint endpoint, DbUser user, Optional<String> database, Duration connectTimeout) {
    /** The default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final org.mariadb.jdbc.Driver DRIVER = new org.mariadb.jdbc.Driver();

    public DbConnector {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        database.ifPresent(DbNames::check);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
        }
    }

    /** A connector with no default database and the default connect timeout. */
    public DbConnector(MysqlEndpoint endpoint, DbUser user) {
        this(endpoint, user, Optional.empty(), DEFAULT_CONNECT_TIMEOUT);
    }

    /** The same connector with {@code name} as the default database. */
    public DbConnector withDatabase(String name) {
        return new DbConnector(endpoint, user, Optional.of(name), connectTimeout);
    }

    /** The same connector with no default database. */
    public DbConnector withoutDatabase() {
        return new DbConnector(endpoint, user, Optional.empty(), connectTimeout);
    }

    /** The same connector with another connect timeout. */
    public DbConnector withConnectTimeout(Duration timeout) {
        return new DbConnector(endpoint, user, database, timeout);
    }

    /**
     * The MariaDB Connector/J URL, without user or password. When the endpoint has a unix socket the URL names
     * {@link UnixSocketFactory} and the socket path; the host and port in it are then not used.
     */
    public String jdbcUrl() {
        StringBuilder url = new StringBuilder("jdbc:mariadb://");
        if (endpoint.unixSocket().isPresent()) {
            url.append("localhost");
        } else {
            String host = endpoint.host();
            url.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(endpoint.port());
        }
        url.append('/').append(database.orElse(""));
        url.append("?connectTimeout=").append(Math.max(1, connectTimeout.toMillis()));
        endpoint.unixSocket().ifPresent(socket -> url.append("&socketFactory=").append(UnixSocketFactory.class.getName())
                .append('&').append(UnixSocketFactory.SOCKET_PATH_OPTION).append('=').append(socket));
        return url.toString();
    }

    /** The driver properties that go with {@link #jdbcUrl()}: user and password. */
    public Properties properties() {
        Properties props = new Properties();
        props.setProperty("user", user.user());
        props.setProperty("password", user.password());
        return props;
    }

    /**
     * Opens a new connection; the caller closes it.
     *
     * @throws SQLException if the server cannot be reached or refuses the user
     */
    public Connection connect() throws SQLException {
        Connection connection = DRIVER.connect(jdbcUrl(), properties());
        if (connection == null) {
            throw new SQLException("the MariaDB driver did not accept URL " + jdbcUrl());
        }
        return connection;
    }

    /** {@code user@endpoint}, for messages. */
    public String describe() {
        return user.user() + "@" + endpoint.describe();
    }
}
