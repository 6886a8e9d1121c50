package io.tessera.tablet.mysqlctl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-start setup of a managed mysqld: the role users and the tablet's databases. Every statement can run again
 * with the same result, so a setup interrupted by a crash is simply re-run.
 *
 * <p>Runs with {@code sql_log_bin=0}: every tablet creates the same users and databases locally, and logging them
 * would give each server its own GTIDs, which replicas would then see as errant transactions.
 */
final class ServerInit {
    private static final Logger log = LoggerFactory.getLogger(ServerInit.class);

    /**
     * The app user's privileges: what queries from the gate need, and nothing that bypasses {@code read_only}
     * (no ALL, SUPER or READ_ONLY ADMIN) or administers the server.
     */
    static final List<String> APP_PRIVILEGES = List.of("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP",
            "ALTER", "INDEX", "CREATE TEMPORARY TABLES", "LOCK TABLES", "EXECUTE", "SHOW VIEW", "CREATE VIEW",
            "TRIGGER", "REFERENCES", "CREATE ROUTINE", "ALTER ROUTINE", "EVENT", "PROCESS", "SHOW DATABASES",
            "RELOAD");

    /** What a replica's IO thread needs, plus reading binlog positions. */
    static final List<String> REPL_PRIVILEGES = List.of("REPLICATION SLAVE", "REPLICATION SLAVE ADMIN",
            "BINLOG MONITOR");

    /** Users that exist only for local connections: through the unix socket. */
    static final String LOCAL_HOST = "localhost";
    /** Replicas connect over the network from anywhere the bind address allows. */
    static final String ANY_HOST = "%";

    private ServerInit() {}

    /**
     * Creates (or re-creates) the users with exactly their intended privileges, and the sidecar and keyspace
     * databases.
     *
     * @param admin a connector for the all-powerful local account that {@code mariadb-install-db} created
     */
    static void run(DbConnector admin, DbCredentials credentials, Optional<String> dbName) throws SQLException {
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_log_bin = 0");
            createUser(c, credentials.dba(), LOCAL_HOST, "ALL PRIVILEGES", true);
            createUser(c, credentials.app(), LOCAL_HOST, String.join(", ", APP_PRIVILEGES), false);
            createUser(c, credentials.repl(), ANY_HOST, String.join(", ", REPL_PRIVILEGES), false);
            s.execute("CREATE DATABASE IF NOT EXISTS " + DbNames.quote(DbNames.SIDECAR));
            if (dbName.isPresent()) {
                s.execute("CREATE DATABASE IF NOT EXISTS " + DbNames.quote(dbName.get()));
            }
        }
        log.info("created users {}, {}, {} and databases {}{}", credentials.dba().user(), credentials.app().user(),
                credentials.repl().user(), DbNames.SIDECAR, dbName.map(n -> ", " + n).orElse(""));
    }

    /**
     * {@code CREATE OR REPLACE USER} drops whatever grants a half-finished earlier run left, so the user ends with
     * exactly {@code privileges}. User, host and password go in as bound literals so the driver escapes them.
     */
    private static void createUser(Connection c, DbUser user, String host, String privileges, boolean grantOption)
            throws SQLException {
        try (PreparedStatement create = c.prepareStatement("CREATE OR REPLACE USER ?@? IDENTIFIED BY ?")) {
            create.setString(1, user.user());
            create.setString(2, host);
            create.setString(3, user.password());
            create.execute();
        }
        String grant = "GRANT " + privileges + " ON *.* TO ?@?" + (grantOption ? " WITH GRANT OPTION" : "");
        try (PreparedStatement g = c.prepareStatement(grant)) {
            g.setString(1, user.user());
            g.setString(2, host);
            g.execute();
        }
    }
}
