package io.tessera.tablet.manager;

import io.tessera.tablet.mysqlctl.DbNames;
import io.tessera.tabletmanager.TabletManagerException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The reparent journal, {@code _vt.reparent_journal}: one row per reparent, written on the new primary and read
 * on replicas to know they replicate from it.
 *
 * <p>Every server creates the table itself, with binary logging off, before it first needs it. Creating it
 * through replication would not do: a replica that starts from the primary's current position never sees a
 * {@code CREATE TABLE} logged before it, and then fails on the first journal row. Creating it unlogged gives no
 * server a GTID of its own, which replicas would see as an errant transaction.
 */
final class ReparentJournal {
    static final String TABLE = DbNames.SIDECAR + ".reparent_journal";

    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + "time_created_ns BIGINT UNSIGNED NOT NULL, "
            + "action_name VARBINARY(250) NOT NULL, "
            + "primary_alias VARBINARY(32) NOT NULL, "
            + "replication_position VARBINARY(64000) DEFAULT NULL, "
            + "PRIMARY KEY (time_created_ns)) ENGINE=InnoDB";

    private final MysqlAdmin mysql;
    private final Duration pollInterval;

    ReparentJournal(MysqlAdmin mysql, Duration pollInterval) {
        this.mysql = mysql;
        this.pollInterval = pollInterval;
    }

    /** Creates the sidecar database and the table if missing, without logging either. */
    void ensureTable() {
        mysql.withDba("creating " + TABLE, c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET SESSION sql_log_bin = 0");
                s.execute("CREATE DATABASE IF NOT EXISTS " + DbNames.SIDECAR);
                s.execute(CREATE);
            }
            return null;
        });
    }

    /**
     * Writes a row, logged so that it replicates. On a semi-sync primary this returns once a replica has
     * acknowledged the row, which proves the new primary can commit.
     */
    void insert(long timeCreatedNs, String actionName, String primaryAlias, String position) {
        ensureTable();
        mysql.withDba("writing the reparent journal row " + timeCreatedNs, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE
                    + " (time_created_ns, action_name, primary_alias, replication_position) VALUES (?, ?, ?, ?)")) {
                s.setLong(1, timeCreatedNs);
                s.setString(2, actionName);
                s.setString(3, primaryAlias);
                s.setString(4, position);
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Waits until the row written for {@code timeCreatedNs} has replicated here.
     *
     * @throws TabletManagerException {@code DEADLINE_EXCEEDED} if it does not arrive within {@code timeout}; the
     *     message carries the replication errors, which usually say why
     */
    void waitForRow(long timeCreatedNs, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (hasRow(timeCreatedNs)) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw TabletManagerException.deadlineExceeded("the reparent journal row " + timeCreatedNs
                        + " did not replicate here within " + timeout.toMillis() + " ms; "
                        + mysql.describeReplication());
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TabletManagerException(io.tessera.proto.vtrpc.Code.CANCELED,
                        "interrupted while waiting for the reparent journal row " + timeCreatedNs);
            }
        }
    }

    /** The number of rows; 0 when the table does not exist yet. */
    int count() {
        return mysql.withDba("counting reparent journal rows", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
                rs.next();
                return rs.getInt(1);
            } catch (SQLException e) {
                if (e.getErrorCode() == 1146) {
                    return 0;
                }
                throw e;
            }
        });
    }

    private boolean hasRow(long timeCreatedNs) {
        return mysql.withDba("reading the reparent journal", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM " + TABLE + " WHERE time_created_ns = ?")) {
                s.setLong(1, timeCreatedNs);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
