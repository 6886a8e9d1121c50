package io.tessera.tablet.mysqlctl;

/**
 * The tablet's view of its one MySQL server, whether the tablet runs it ({@link ManagedMysqld}) or somebody else
 * does ({@link ExternalMysqld}).
 *
 * <p>Connections are made per role: {@link #dba()} for administration and replication control, {@link #app()}
 * for queries from the gate, and {@link #replicationParams()} for replicas of this server. Implementations are
 * thread-safe.
 */
public interface MysqlDaemon {
    /** True when the tablet runs this mysqld and may start and stop it. */
    boolean isManaged();

    /**
     * Starts the server and returns once it answers queries. Starting a running server does nothing.
     *
     * @throws MysqldException if the server cannot be started; for an external server always, since the tablet
     *     never starts a server it does not own
     */
    void start();

    /**
     * Stops the server cleanly. Stopping a stopped server does nothing.
     *
     * @throws MysqldException if the server cannot be stopped; for an external server always, since the tablet
     *     never stops a server it does not own
     */
    void shutdown();

    /**
     * The liveness probe: true if the server answers a trivial query as the dba user right now. Never throws;
     * a server that cannot be reached is simply not running.
     */
    boolean isRunning();

    /**
     * Checks the replication settings Tessera relies on: {@code log_bin=ON}, {@code binlog_format=ROW},
     * {@code binlog_row_image=FULL}, {@code log_slave_updates=ON} and GTID mode (MariaDB:
     * {@code gtid_strict_mode=ON}; MySQL: {@code gtid_mode=ON} and {@code enforce_gtid_consistency=ON}).
     *
     * @throws MysqldException with one message naming every setting to change and its current value, or if the
     *     server cannot be reached
     */
    void checkReplicationSettings();

    /** Where the server listens. */
    MysqlEndpoint endpoint();

    /** The server's {@code server_id}. */
    long serverId();

    /** Connections for administrative work and replication control. */
    DbConnector dba();

    /** Connections for queries from the gate; their default database is the keyspace database, if any. */
    DbConnector app();

    /** What a replica of this server puts in {@code CHANGE MASTER TO}. */
    ReplicationParams replicationParams();
}
