package io.tessera.tablet.mysqlctl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a tablet reaches a mysqld it does not run (RDS, Cloud SQL, a server a DBA manages).
 *
 * @param endpoint the server: {@code --db_host} and {@code --db_port}, and/or {@code --db_socket}
 * @param credentials the role users, which must already exist on the server
 * @param serverId {@code --mycnf_server_id}: when given, the server's {@code server_id} must equal it
 * @param dbName the keyspace database ({@code vt_<keyspace>} or {@code --init_db_name_override}), the app
 *     connections' default database
 * @param connectTimeout how long opening a connection may take
 */
public record ExternalMysqldConfig(MysqlEndpoint endpoint, DbCredentials credentials, OptionalLong serverId,
        Optional<String> dbName, Duration connectTimeout) {

    public ExternalMysqldConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(dbName, "dbName");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (serverId.isPresent() && (serverId.getAsLong() < 1 || serverId.getAsLong() > 4_294_967_295L)) {
            throw new IllegalArgumentException(
                    "--mycnf_server_id " + serverId.getAsLong() + " is not in 1..4294967295");
        }
        dbName.ifPresent(DbNames::check);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
        }
    }

    /**
     * A config from the Vitess-style flags.
     *
     * @param host {@code --db_host}; empty when only a socket is used
     * @param port {@code --db_port}; 0 when only a socket is used
     * @param socket {@code --db_socket}, if given
     */
    public static ExternalMysqldConfig of(String host, int port, Optional<Path> socket, DbCredentials credentials) {
        return new ExternalMysqldConfig(new MysqlEndpoint(host, port, socket), credentials, OptionalLong.empty(),
                Optional.empty(), DbConnector.DEFAULT_CONNECT_TIMEOUT);
    }

    /** The same config with {@code --mycnf_server_id}. */
    public ExternalMysqldConfig withServerId(long id) {
        return new ExternalMysqldConfig(endpoint, credentials, OptionalLong.of(id), dbName, connectTimeout);
    }

    /** The same config with the keyspace database. */
    public ExternalMysqldConfig withDbName(String name) {
        return new ExternalMysqldConfig(endpoint, credentials, serverId, Optional.of(name), connectTimeout);
    }
}
