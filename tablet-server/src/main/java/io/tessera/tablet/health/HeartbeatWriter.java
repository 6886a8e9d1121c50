package io.tessera.tablet.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a primary: upserts the shard's row of {@code _vt.heartbeat} every heartbeat interval, with binary logging on
 * so that the row replicates and replicas can measure their lag from it.
 *
 * <p>The table is created on first need, and only while the server is writable, so that a writer started a moment
 * before a promotion finished never creates a transaction on a read-only server. Once {@link #stop()} returns no
 * further write happens, which lets a demotion read the primary's final position right after stopping it.
 */
final class HeartbeatWriter {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatWriter.class);

    /** What one write attempt did. */
    enum Outcome {
        /** The row now holds this tablet's timestamp. */
        WRITTEN,
        /** Nothing was written because the server is read-only. */
        SKIPPED_READ_ONLY
    }

    private final SqlSession session;
    private final String key;
    private final long tabletUid;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    private final Object writeLock = new Object();
    private boolean running; // guarded by writeLock
    private boolean tableReady; // guarded by writeLock
    private String lastProblem; // guarded by writeLock; for logging transitions only
    private ScheduledFuture<?> task; // guarded by this

    HeartbeatWriter(SqlSession session, String key, long tabletUid, Duration interval,
            ScheduledExecutorService scheduler, Clock clock) {
        this.session = Objects.requireNonNull(session, "session");
        this.key = Objects.requireNonNull(key, "key");
        this.tabletUid = tabletUid;
        this.interval = Objects.requireNonNull(interval, "interval");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts writing every interval, the first write at once. Starting a running writer does nothing. */
    synchronized void start() {
        if (task != null) {
            return;
        }
        synchronized (writeLock) {
            running = true;
        }
        task = scheduler.scheduleAtFixedRate(this::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        log.info("writing heartbeats for {} every {}", key, interval);
    }

    /**
     * Stops writing and closes the connection. Waits for a write in progress, so that none happens after this
     * returns. Stopping a stopped writer does nothing more than close the connection.
     */
    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
            log.info("stopped writing heartbeats for {}", key);
        }
        synchronized (writeLock) {
            running = false;
            tableReady = false;
            lastProblem = null;
            session.close();
        }
    }

    /**
     * Writes the heartbeat once, creating the table if it is missing and the server is writable.
     *
     * @throws SQLException if mysqld cannot be reached or refuses the statements
     */
    Outcome writeOnce() throws SQLException {
        synchronized (writeLock) {
            return session.call(this::write);
        }
    }

    private void tick() {
        // Never let an exception escape: it would cancel the periodic task for good.
        synchronized (writeLock) {
            if (!running) {
                return;
            }
            String problem;
            try {
                Outcome outcome = session.call(this::write);
                problem = outcome == Outcome.SKIPPED_READ_ONLY
                        ? "the server is read-only, so no heartbeat is written" : null;
            } catch (SQLException | RuntimeException e) {
                problem = "cannot write the heartbeat to " + session.describe() + ": " + e.getMessage();
            }
            if (!Objects.equals(problem, lastProblem)) {
                if (problem != null) {
                    log.warn("heartbeat for {}: {}", key, problem);
                } else {
                    log.info("heartbeat for {} is being written again", key);
                }
                lastProblem = problem;
            }
        }
    }

    private Outcome write(Connection c) throws SQLException {
        if (!tableReady) {
            if (readOnly(c)) {
                return Outcome.SKIPPED_READ_ONLY;
            }
            ensureTable(c);
            tableReady = true;
        }
        try (PreparedStatement upsert = c.prepareStatement(HeartbeatTable.UPSERT)) {
            upsert.setLong(1, nanosSinceEpoch(clock.instant()));
            upsert.setLong(2, tabletUid);
            upsert.setString(3, key);
            return upsert.executeUpdate() == 0 ? Outcome.SKIPPED_READ_ONLY : Outcome.WRITTEN;
        } catch (SQLException e) {
            if (e.getErrorCode() == HeartbeatTable.ER_NO_SUCH_TABLE) {
                // Someone dropped it; create it again on the next write.
                tableReady = false;
            }
            throw e;
        }
    }

    private static boolean readOnly(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(HeartbeatTable.READ_ONLY)) {
            return rs.next() && rs.getLong(1) != 0;
        }
    }

    /**
     * Creates the table only when it is missing: {@code CREATE ... IF NOT EXISTS} is written to the binary log even
     * when the table exists, and each start of the writer would otherwise add a transaction.
     */
    private static void ensureTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(HeartbeatTable.EXISTS)) {
                if (rs.next() && rs.getLong(1) > 0) {
                    return;
                }
            }
            s.execute(HeartbeatTable.CREATE_DATABASE);
            s.execute(HeartbeatTable.CREATE_TABLE);
            log.info("created {}", HeartbeatTable.QUALIFIED);
        }
    }

    static long nanosSinceEpoch(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
