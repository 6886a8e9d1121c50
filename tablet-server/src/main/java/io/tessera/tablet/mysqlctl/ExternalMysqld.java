package io.tessera.tablet.mysqlctl;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;

/**
 * A mysqld somebody else runs. The tablet connects to it with the configured users but never starts or stops
 * it. Use {@link #connect(ExternalMysqldConfig)} at tablet start: it refuses a server whose replication settings
 * Tessera cannot work with.
 */
public final class ExternalMysqld implements MysqlDaemon {
    private final ExternalMysqldConfig config;

    /** A daemon for {@code config}; no connection is made until a method needs one. */
    public ExternalMysqld(ExternalMysqldConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Attaches to the server and checks its replication settings.
     *
     * @throws MysqldException if the server cannot be reached as the dba user or is not configured for
     *     replication; the message names every setting to change
     */
    public static ExternalMysqld connect(ExternalMysqldConfig config) {
        ExternalMysqld mysqld = new ExternalMysqld(config);
        mysqld.checkReplicationSettings();
        return mysqld;
    }

    public ExternalMysqldConfig config() {
        return config;
    }

    @Override
    public boolean isManaged() {
        return false;
    }

    /** Always refused: the tablet does not own this server. */
    @Override
    public void start() {
        throw new MysqldException("mysqld at " + config.endpoint().describe()
                + " is external (--db_host/--db_port/--db_socket): Tessera never starts it;"
                + " start it with whatever manages it");
    }

    /** Always refused: the tablet does not own this server. */
    @Override
    public void shutdown() {
        throw new MysqldException("mysqld at " + config.endpoint().describe()
                + " is external (--db_host/--db_port/--db_socket): Tessera never stops it;"
                + " stop it with whatever manages it");
    }

    @Override
    public boolean isRunning() {
        return Liveness.answers(dba());
    }

    @Override
    public void checkReplicationSettings() {
        try (Connection c = dba().connect()) {
            ReplicationSettingsCheck.Outcome outcome = ReplicationSettingsCheck.inspect(c, config.serverId());
            if (!outcome.problems().isEmpty()) {
                throw new MysqldException(ReplicationSettingsCheck.message(config.endpoint().describe(), outcome));
            }
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    @Override
    public MysqlEndpoint endpoint() {
        return config.endpoint();
    }

    /** {@code --mycnf_server_id} if given, else the server's own {@code @@server_id}. */
    @Override
    public long serverId() {
        if (config.serverId().isPresent()) {
            return config.serverId().getAsLong();
        }
        try (Connection c = dba().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw unreachable(e);
        }
    }

    @Override
    public DbConnector dba() {
        return new DbConnector(config.endpoint(), config.credentials().dba(), Optional.empty(),
                config.connectTimeout());
    }

    @Override
    public DbConnector app() {
        return new DbConnector(config.endpoint(), config.credentials().app(), config.dbName(),
                config.connectTimeout());
    }

    /**
     * The server's TCP address with the repl user.
     *
     * @throws MysqldException if only a unix socket was configured, which replicas on other machines cannot use
     */
    @Override
    public ReplicationParams replicationParams() {
        MysqlEndpoint endpoint = config.endpoint();
        if (!endpoint.hasTcp()) {
            throw new MysqldException("mysqld at " + endpoint.describe()
                    + " has no TCP address for replicas; set --db_host and --db_port");
        }
        DbUser repl = config.credentials().repl();
        return new ReplicationParams(endpoint.host(), endpoint.port(), repl.user(), repl.password());
    }

    @Override
    public String toString() {
        return "ExternalMysqld[" + config.endpoint().describe() + "]";
    }

    private MysqldException unreachable(SQLException e) {
        return new MysqldException("cannot use external mysqld at " + config.endpoint().describe() + " as "
                + config.credentials().dba().user() + " (--db_dba_user): " + e.getMessage(), e);
    }
}
