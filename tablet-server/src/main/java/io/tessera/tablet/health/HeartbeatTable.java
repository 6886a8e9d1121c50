package io.tessera.tablet.health;

import io.tessera.tablet.mysqlctl.DbNames;

/**
 * The sidecar table {@code _vt.heartbeat}: one row per shard, upserted by the shard's primary and read by its
 * replicas. The layout is Vitess's, so a Vitess tablet and a Tessera tablet read each other's heartbeats.
 *
 * <p>{@code ts} is nanoseconds since the epoch by the primary's clock. The replica subtracts it from its own clock,
 * so the lag keeps growing while replication is stopped or broken: the row simply stops changing.
 */
final class HeartbeatTable {
    static final String NAME = "heartbeat";
    static final String QUALIFIED = "`" + DbNames.SIDECAR + "`.`" + NAME + "`";

    static final String CREATE_DATABASE = "CREATE DATABASE IF NOT EXISTS `" + DbNames.SIDECAR + "`";

    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + QUALIFIED + " ("
            + "keyspaceShard VARBINARY(256) NOT NULL, "
            + "tabletUid INT UNSIGNED NOT NULL, "
            + "ts BIGINT UNSIGNED NOT NULL, "
            + "PRIMARY KEY (keyspaceShard)) ENGINE=InnoDB";

    /** One row and column: 1 when the table exists. */
    static final String EXISTS = "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
            + DbNames.SIDECAR + "' AND TABLE_NAME = '" + NAME + "'";

    /** Read alone: MariaDB reads boolean variables as 0 inside aggregate queries. */
    static final String READ_ONLY = "SELECT @@GLOBAL.read_only";

    /**
     * The upsert, with parameters ts, tabletUid, keyspaceShard. It writes nothing while the server is read-only:
     * a demoted primary whose writer has not been stopped yet must not add transactions after its final position
     * was read, and on MariaDB the dba user's writes are not stopped by {@code read_only} itself. The condition is
     * evaluated inside the statement, and {@code SET GLOBAL read_only=ON} waits for running statements, so no
     * write can slip in after read-only took effect.
     */
    static final String UPSERT = "INSERT INTO " + QUALIFIED + " (ts, tabletUid, keyspaceShard) "
            + "SELECT ?, ?, ? FROM DUAL WHERE @@GLOBAL.read_only = 0 "
            + "ON DUPLICATE KEY UPDATE ts = VALUES(ts), tabletUid = VALUES(tabletUid)";

    /** The shard's heartbeat: one row (ts) or none. */
    static final String READ = "SELECT ts FROM " + QUALIFIED + " WHERE keyspaceShard = ?";

    /** MySQL's and MariaDB's error number for a missing table. */
    static final int ER_NO_SUCH_TABLE = 1146;

    private HeartbeatTable() {}

    /** The row key: {@code <keyspace>:<shard>}, as Vitess writes it. */
    static String key(String keyspace, String shard) {
        return keyspace + ":" + shard;
    }
}
