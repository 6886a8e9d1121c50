package io.tessera.tablet.health;

import io.tessera.tablet.flavor.Flavor;
import io.tessera.tablet.flavor.ReplicationSource;
import io.tessera.tablet.flavor.ResumeFrom;
import io.tessera.tablet.mysqlctl.DbCredentials;
import io.tessera.tablet.mysqlctl.ManagedMysqld;
import io.tessera.tablet.mysqlctl.ManagedMysqldConfig;
import io.tessera.tablet.mysqlctl.ReplicationParams;
import io.tessera.testing.FreePorts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** A real MariaDB primary (writable) and replica (read-only) for tests; closing stops both. */
final class MariadbPair implements AutoCloseable {
    static final String PASSWORD = "pw";

    final ManagedMysqld primary;
    final ManagedMysqld replica;
    private final Flavor flavor;

    private MariadbPair(ManagedMysqld primary, ManagedMysqld replica, Flavor flavor) {
        this.primary = primary;
        this.replica = replica;
        this.flavor = flavor;
    }

    /** Starts both servers under {@code root} (which holds their shared template); replication is not set up. */
    static MariadbPair start(Path root, long primaryUid, long replicaUid) throws SQLException {
        ManagedMysqld primary = ManagedMysqld.startNew(config(root, primaryUid, false));
        try {
            ManagedMysqld replica = ManagedMysqld.startNew(config(root, replicaUid, true));
            try {
                return new MariadbPair(primary, replica, Flavor.detect(query(primary, "SELECT @@version")));
            } catch (SQLException | RuntimeException e) {
                replica.close();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            primary.close();
            throw e;
        }
    }

    static ManagedMysqldConfig config(Path root, long uid, boolean readOnly) {
        return ManagedMysqldConfig.builder(uid, root).port(FreePorts.next()).keyspace("commerce")
                .credentials(DbCredentials.withPassword(PASSWORD)).startReadOnly(readOnly).build();
    }

    /** Points the replica at the primary (first time) and starts replicating. */
    void startReplication() throws SQLException {
        ReplicationParams params = primary.replicationParams();
        ReplicationSource source = ReplicationSource.of(params.host(), params.port(), params.user(),
                params.password(), Duration.ofSeconds(1));
        run(replica, flavor.stopReplication());
        run(replica, flavor.setReplicationSource(source, ResumeFrom.REPLICA_POSITION));
        run(replica, flavor.startReplication());
    }

    void stopReplication() throws SQLException {
        run(replica, flavor.stopReplication());
    }

    static void run(ManagedMysqld mysqld, List<String> statements) throws SQLException {
        try (Connection c = mysqld.dba().connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static void run(ManagedMysqld mysqld, String statement) throws SQLException {
        run(mysqld, List.of(statement));
    }

    /** The first column of the first row, or null when there is no row. */
    static String query(ManagedMysqld mysqld, String sql) throws SQLException {
        try (Connection c = mysqld.dba().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public void close() {
        try {
            replica.close();
        } finally {
            primary.close();
        }
    }
}
