package io.tessera.tablet.daemon;

import io.tessera.tablet.mysqlctl.DbCredentials;
import io.tessera.tablet.mysqlctl.DbCredentialsConfig;
import io.tessera.tablet.mysqlctl.ExternalMysqld;
import io.tessera.tablet.mysqlctl.ExternalMysqldConfig;
import io.tessera.tablet.mysqlctl.ManagedMysqld;
import io.tessera.tablet.mysqlctl.ManagedMysqldConfig;
import io.tessera.tablet.mysqlctl.MysqlDaemon;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The tablet's mysqld flags, with Vitess's names. Without {@code --db_host}/{@code --db_socket} the tablet runs its
 * own mysqld under {@code --data-root} (managed mode); with them it attaches to a server it never starts or stops
 * (external mode).
 */
public final class MysqlFlags {

    @Option(names = "--data-root", paramLabel = "DIR",
            description = "Where managed tablets keep their mysqld (vt_<uid>/ below it; default: $VTDATAROOT, "
                    + "else ~/.tessera/data).")
    Path dataRoot;

    @Option(names = "--mysql-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the managed mysqld (default: 17000 + uid).")
    int mysqlPort;

    @Option(names = "--mysqld-path", paramLabel = "FILE",
            description = "The mysqld/mariadbd binary of managed mode (default: mariadbd or mysqld on PATH or in /usr/sbin).")
    Path mysqldPath;

    @Option(names = "--db-host", paramLabel = "HOST",
            description = "External mode: host of a mysqld Tessera does not run.")
    String dbHost;

    @Option(names = "--db-port", paramLabel = "PORT", defaultValue = "3306",
            description = "External mode: port of that mysqld (default: ${DEFAULT-VALUE}).")
    int dbPort;

    @Option(names = "--db-socket", paramLabel = "FILE", description = "External mode: unix socket of that mysqld.")
    Path dbSocket;

    @Option(names = "--mycnf-server-id", paramLabel = "ID",
            description = "External mode: the server_id the mysqld must have.")
    Long serverId;

    @Option(names = "--db-dba-user", defaultValue = DbCredentials.DEFAULT_DBA_USER, paramLabel = "USER",
            description = "Administrative user (default: ${DEFAULT-VALUE}).")
    String dbaUser;

    @Option(names = "--db-dba-password", defaultValue = "", paramLabel = "PASSWORD", description = "Its password.")
    String dbaPassword;

    @Option(names = "--db-app-user", defaultValue = DbCredentials.DEFAULT_APP_USER, paramLabel = "USER",
            description = "User for application queries (default: ${DEFAULT-VALUE}).")
    String appUser;

    @Option(names = "--db-app-password", defaultValue = "", paramLabel = "PASSWORD", description = "Its password.")
    String appPassword;

    @Option(names = "--db-repl-user", defaultValue = DbCredentials.DEFAULT_REPL_USER, paramLabel = "USER",
            description = "User replicas connect with (default: ${DEFAULT-VALUE}).")
    String replUser;

    @Option(names = "--db-repl-password", defaultValue = "", paramLabel = "PASSWORD", description = "Its password.")
    String replPassword;

    @Option(names = "--db-credentials-file", paramLabel = "FILE",
            description = "JSON {\"user\": [\"password\"]}; its passwords replace the flags' for the users it lists.")
    Path credentialsFile;

    /** True when the flags describe a mysqld Tessera does not run. */
    boolean external() {
        return dbHost != null || dbSocket != null;
    }

    DbCredentials credentials() {
        return new DbCredentialsConfig(dbaUser, dbaPassword, appUser, appPassword, replUser, replPassword,
                Optional.ofNullable(credentialsFile)).resolve();
    }

    /**
     * Starts (managed) or attaches to (external) the tablet's mysqld, and checks its replication settings.
     *
     * @param uid the tablet uid (server_id and default port of a managed mysqld)
     * @param dbName the keyspace database
     * @param primary whether the topology names this tablet its shard's primary; a managed mysqld that is not
     *     starts in the replica role (see {@link ManagedMysqldConfig.Builder#startAsReplica})
     * @throws io.tessera.tablet.mysqlctl.MysqldException if it cannot be started or reached, or a setting is wrong
     */
    MysqlDaemon open(long uid, String dbName, boolean primary) {
        DbCredentials credentials = credentials();
        MysqlDaemon daemon;
        if (external()) {
            ExternalMysqldConfig config = ExternalMysqldConfig.of(dbHost == null ? "" : dbHost,
                    dbHost == null ? 0 : dbPort, Optional.ofNullable(dbSocket), credentials).withDbName(dbName);
            daemon = ExternalMysqld.connect(serverId == null ? config : config.withServerId(serverId));
        } else {
            ManagedMysqldConfig.Builder config = ManagedMysqldConfig.builder(uid, dataRoot())
                    .dbName(dbName).credentials(credentials).startAsReplica(!primary);
            if (mysqlPort != 0) {
                config.port(mysqlPort);
            }
            if (mysqldPath != null) {
                config.mysqldPath(mysqldPath);
            }
            daemon = ManagedMysqld.startNew(config.build());
            // External servers are checked when attached; a managed one runs the my.cnf Tessera wrote, and this
            // catches an extra my.cnf line that undid a required setting.
            daemon.checkReplicationSettings();
        }
        return daemon;
    }

    Path dataRoot() {
        if (dataRoot != null) {
            return dataRoot;
        }
        String env = System.getenv("VTDATAROOT");
        return env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".tessera", "data");
    }
}
