package io.tessera.tablet.flavor;

import io.tessera.replication.BinlogFilePosition;
import io.tessera.replication.GtidPosition;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL dialect of one server family for replication control, and the parsing of what it reports.
 *
 * <p>A flavor only produces statements and parses results; the caller runs them, in the order given, on a
 * connection with the privileges of Tessera's dba user. Methods that return a list return statements to run one
 * at a time. No method talks to a server, so a flavor is cheap, immutable and safe to share.
 *
 * <p>Two sequences need care because getting them wrong loses transactions:
 * <ul>
 *   <li><b>Promotion</b>: {@link #promoteToPrimary()}, then {@link #setPrimarySemiSync(boolean)} if replicas must
 *       acknowledge, then {@link #setReadOnly(boolean) setReadOnly(false)} last, so that no write is accepted
 *       before semi-sync protects it.
 *   <li><b>Demotion</b>: {@link #setReadOnly(boolean) setReadOnly(true)} first, read
 *       {@link #primaryPositionQuery()}, and once a new primary exists, {@link #stopReplication()} and
 *       {@link #setReplicationSource(ReplicationSource, ResumeFrom)} with {@link ResumeFrom#EXECUTED_POSITION}, so
 *       that the old primary never asks for transactions from a stale replica position.
 * </ul>
 */
public sealed interface Flavor permits MariadbFlavor, MysqlFlavor {

    /**
     * The flavor of a server from its {@code @@version} (or the handshake's version string).
     *
     * <p>{@code 10.11.19-MariaDB-0+deb12u1-log} and the handshake form {@code 5.5.5-10.11.19-MariaDB-...} are
     * MariaDB; anything else is MySQL ({@code 8.0.36}, {@code 5.7.44-log}, Percona's {@code 8.0.36-28}).
     *
     * @throws IllegalArgumentException if the text does not start with a version number, or names a release older
     *     than MariaDB 10.3.3 (the first with semi-sync built in) or MySQL 5.7.8 (the first with
     *     {@code super_read_only})
     */
    static Flavor detect(String version) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("expected a server version such as 8.0.36, 5.7.44-log or "
                    + "10.11.19-MariaDB-0+deb12u1-log, got '" + version + "'");
        }
        String text = version.strip();
        if (text.toLowerCase(Locale.ROOT).contains("mariadb")) {
            // MariaDB prefixes its handshake version with 5.5.5- so that old MySQL clients accept it.
            String numbers = text.startsWith("5.5.5-") ? text.substring("5.5.5-".length()) : text;
            return mariadb(ServerVersion.parse(numbers));
        }
        return mysql(ServerVersion.parse(text));
    }

    /**
     * The flavor of a MariaDB server of {@code version}.
     *
     * @throws IllegalArgumentException if the version is older than 10.3.3
     */
    static Flavor mariadb(ServerVersion version) {
        return new MariadbFlavor(version);
    }

    /**
     * The flavor of a MySQL server of {@code version}.
     *
     * @throws IllegalArgumentException if the version is older than 5.7.8
     */
    static Flavor mysql(ServerVersion version) {
        return new MysqlFlavor(version);
    }

    /** {@code "MariaDB"} or {@code "MySQL"}, for messages and status pages. */
    String name();

    /** The server release this flavor speaks to. */
    ServerVersion version();

    /**
     * Parses a GTID set as this server prints it (a variable or a status column), without a flavor prefix.
     *
     * @throws IllegalArgumentException if the text is not a GTID set of this flavor
     */
    GtidPosition parsePosition(String gtidSet);

    // ---- reading state -------------------------------------------------------------------------------------

    /**
     * A query returning one row and one column: everything this server has written to its binary log, which with
     * {@code log_slave_updates} includes everything it applied as a replica. Parse it with
     * {@link #parsePosition(String)}.
     */
    String primaryPositionQuery();

    /** A query returning the current binary log file and offset ({@code File}, {@code Position}). */
    String binlogStatusQuery();

    /**
     * Reads the result of {@link #binlogStatusQuery()}.
     *
     * @return the file position, or empty if the result has no row (binary logging is off)
     */
    Optional<BinlogFilePosition> parseBinlogStatus(List<Map<String, String>> rows);

    /** A query returning this server's {@code server_uuid}, on flavors that have one. */
    Optional<String> serverUuidQuery();

    /** A query returning the replication status; read its rows with {@link #parseReplicationStatus(List)}. */
    String replicationStatusQuery();

    /**
     * Reads the result of {@link #replicationStatusQuery()}, one map per row from column name to value (a
     * {@code null} value for SQL {@code NULL}).
     *
     * @return the status of the default replication connection, or empty if the server is not a replica
     * @throws IllegalArgumentException if a column this flavor needs is missing or malformed
     */
    Optional<ReplicationStatus> parseReplicationStatus(List<Map<String, String>> rows);

    /** A query returning {@code @@read_only} alone: MariaDB reads boolean variables as 0 inside aggregates. */
    default String readOnlyQuery() {
        return "SELECT @@GLOBAL.read_only";
    }

    // ---- replication control -------------------------------------------------------------------------------

    /** Starts both replication threads. */
    List<String> startReplication();

    /** Stops both replication threads; a no-op (with a note) when they are stopped or not configured. */
    List<String> stopReplication();

    /**
     * Starts the IO thread only. Fails on a server with no source configured, so use it only after
     * {@link #stopIoThread()}.
     */
    List<String> startIoThread();

    /**
     * Stops the IO thread only: nothing new arrives, while the SQL thread keeps applying the relay log. An
     * emergency reparent does this before waiting for relay logs to drain.
     */
    List<String> stopIoThread();

    /** Stops replication and forgets the source (host, port, credentials and relay logs). */
    List<String> resetReplicationParameters();

    /**
     * Turns a replica into a primary's starting state: stops replication, forgets the source, and starts a new
     * binary log file. The fresh file keeps replicas that connect next from scanning a long file to find their
     * GTID, which would stall the first semi-sync commits. Semi-sync and read-write are separate steps; see the
     * class comment for their order.
     */
    List<String> promoteToPrimary();

    /**
     * Erases all replication state, for a server that starts a new shard as its first primary: stops and forgets
     * replication, deletes the binary logs and clears the GTID history. Never use it on a server with data other
     * servers depend on.
     */
    List<String> resetReplication();

    /**
     * Makes {@code position} the replica's starting point, for a server restored from a backup taken at that
     * position. Replication must be stopped. This deletes the server's binary logs: its data is the backup's,
     * and binlog entries from before the restore would conflict with the position.
     *
     * @throws IllegalArgumentException if the position belongs to the other flavor
     */
    List<String> setReplicationPosition(GtidPosition position);

    /**
     * Points the replica at a source, replicating by GTID. Replication must be stopped; start it afterwards with
     * {@link #startReplication()}.
     *
     * @param resumeFrom which position the server resumes from; {@link ResumeFrom#EXECUTED_POSITION} for a server
     *     that was a primary (see {@link ResumeFrom})
     */
    List<String> setReplicationSource(ReplicationSource source, ResumeFrom resumeFrom);

    /**
     * A query returning one row and one column that blocks until the server has applied {@code position} or
     * {@code timeout} passes; read the result with {@link #parseWaitResult(String)}. The wait does not need
     * replication to be running.
     *
     * <p>On MariaDB the wait compares with the replica position ({@code gtid_slave_pos}) only, so on a server that
     * wrote the transactions itself, as primary, it times out even though the server has them. Check
     * {@link #primaryPositionQuery()} with {@link GtidPosition#contains} first, and wait only when that falls short.
     *
     * @throws IllegalArgumentException if the timeout is not positive, or the position belongs to the other flavor
     */
    String waitForPositionQuery(GtidPosition position, Duration timeout);

    /**
     * Reads the value returned by {@link #waitForPositionQuery}.
     *
     * @throws IllegalArgumentException if the value is neither the flavor's "reached" nor its "timed out" value
     *     (for example {@code NULL}, which MariaDB returns for a malformed argument)
     */
    WaitOutcome parseWaitResult(String value);

    // ---- semi-sync -----------------------------------------------------------------------------------------

    /** The names of this flavor's semi-sync variables and status counters, for reporting. */
    SemiSyncVariables semiSyncVariables();

    /**
     * The plugins semi-sync needs, which must be installed before any semi-sync statement runs (check with
     * {@link SemiSyncPlugin#statusQuery()}); empty on MariaDB, where semi-sync is built in.
     */
    List<SemiSyncPlugin> semiSyncPlugins();

    /**
     * Turns semi-sync on or off as a primary. On means lossless: commits wait, at {@code AFTER_SYNC}, for a
     * replica's acknowledgement, with a timeout so long that the primary never falls back to asynchronous
     * replication (see {@link SemiSyncVariables#NO_FALLBACK_TIMEOUT_MS}).
     */
    List<String> setPrimarySemiSync(boolean enabled);

    /**
     * Turns acknowledging on or off as a replica. The IO thread reads the setting when it connects, so the
     * statements restart it when {@code ioThreadRunning}; a stopped IO thread is left stopped and picks the
     * setting up when it starts.
     */
    List<String> setReplicaSemiSync(boolean enabled, boolean ioThreadRunning);

    // ---- read-only -----------------------------------------------------------------------------------------

    /**
     * Makes the server refuse or accept writes from users without the privilege to bypass read-only. On MySQL
     * this uses {@code super_read_only}, which also stops administrative users; MariaDB has no such variable, so
     * there users holding {@code READ_ONLY ADMIN} (which {@code GRANT ALL} includes) can still write.
     */
    List<String> setReadOnly(boolean readOnly);
}
