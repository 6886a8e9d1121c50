package io.tessera.tablet.health;

import io.tessera.tablet.mysqlctl.DbConnector;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Heartbeat-based replication tracking (Vitess's {@code --heartbeat_enable} mode): as primary the tablet writes
 * its shard's heartbeat every {@link HealthConfig#heartbeatInterval()}; as anything else it reads the heartbeat
 * and reports how old it is as its replication lag.
 *
 * <p>The tablet's state manager drives it: {@link #makePrimary()} when the tablet becomes primary (after its mysqld
 * is writable), {@link #makeNonPrimary()} for every other type, and {@link #stop()} or {@link #close()} on
 * shutdown. Switching roles stops the old role's work before starting the new one. When {@link #makeNonPrimary()}
 * returns, the primary role's writer has finished its last write, so a demotion can read the final position next.
 *
 * <p>Both roles talk to mysqld as the dba user through their own connection, with binary logging on (the heartbeat
 * must replicate). They run on the given scheduler; a query that hangs is cut off after
 * {@link HealthConfig#mysqlTimeout()}.
 */
public final class ReplicationTracker implements ReplicationLagSource, AutoCloseable {
    /** What the tracker is doing. */
    public enum Role {
        /** Neither writing nor reading: not started, or stopped. */
        STOPPED,
        /** Writing heartbeats; the lag is zero. */
        PRIMARY,
        /** Reading heartbeats; the lag is their age. */
        REPLICA
    }

    private final HeartbeatWriter writer;
    private final HeartbeatReader reader;
    private Role role = Role.STOPPED; // guarded by this

    /**
     * A tracker for one tablet; it does nothing until {@link #makePrimary()} or {@link #makeNonPrimary()}.
     *
     * @param config the heartbeat interval and mysql timeout
     * @param dba connections to the tablet's mysqld as the dba user
     * @param keyspace the tablet's keyspace
     * @param shard the tablet's shard
     * @param tabletUid the tablet's uid, recorded with each heartbeat it writes
     * @param scheduler runs the periodic writes and reads; owned by the caller
     * @param clock the time written into heartbeats and subtracted from them
     */
    public ReplicationTracker(HealthConfig config, DbConnector dba, String keyspace, String shard, long tabletUid,
            ScheduledExecutorService scheduler, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(dba, "dba");
        String key = HeartbeatTable.key(Objects.requireNonNull(keyspace, "keyspace"),
                Objects.requireNonNull(shard, "shard"));
        this.writer = new HeartbeatWriter(new SqlSession(dba, config.mysqlTimeout()), key, tabletUid,
                config.heartbeatInterval(), scheduler, clock);
        this.reader = new HeartbeatReader(new SqlSession(dba, config.mysqlTimeout()), key,
                config.heartbeatInterval(), scheduler, clock);
    }

    /** Stops reading and starts writing heartbeats. */
    public synchronized void makePrimary() {
        reader.stop();
        writer.start();
        role = Role.PRIMARY;
    }

    /** Stops writing (waiting for a write in progress) and starts reading heartbeats. */
    public synchronized void makeNonPrimary() {
        writer.stop();
        reader.start();
        role = Role.REPLICA;
    }

    /** Stops writing and reading. The tracker can be started again. */
    public synchronized void stop() {
        writer.stop();
        reader.stop();
        role = Role.STOPPED;
    }

    public synchronized Role role() {
        return role;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Zero as primary; the heartbeat's age as replica; unavailable when stopped or when the heartbeat cannot
     * be read (mysqld down, no heartbeat replicated yet).
     */
    @Override
    public LagReading lag() {
        Role current;
        synchronized (this) {
            current = role;
        }
        return switch (current) {
            case PRIMARY -> LagReading.none();
            case REPLICA -> reader.lag();
            case STOPPED -> new LagReading.Unavailable("replication tracking is not running");
        };
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
