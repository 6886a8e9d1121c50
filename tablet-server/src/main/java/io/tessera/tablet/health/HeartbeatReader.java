package io.tessera.tablet.health;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * On a replica: reads the shard's heartbeat every heartbeat interval and derives the replication lag from it.
 *
 * <p>The lag is computed when asked, as the replica's clock now minus the last heartbeat read, so it keeps growing
 * between reads while the row stands still (replication stopped or broken). A failed read replaces the last
 * heartbeat by its error until a read succeeds again.
 */
final class HeartbeatReader {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatReader.class);

    /** The result of the latest read: the heartbeat's timestamp, or why there is none. */
    private sealed interface Observation {
        record Heartbeat(Instant writtenAt) implements Observation {}

        record Failure(String reason) implements Observation {}
    }

    private final SqlSession session;
    private final String key;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    private final Object readLock = new Object();
    private boolean running; // guarded by readLock
    private volatile Observation latest; // written under readLock; null until the first read after start
    private ScheduledFuture<?> task; // guarded by this

    HeartbeatReader(SqlSession session, String key, Duration interval, ScheduledExecutorService scheduler,
            Clock clock) {
        this.session = Objects.requireNonNull(session, "session");
        this.key = Objects.requireNonNull(key, "key");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts reading every interval, the first read at once. Starting a running reader does nothing. */
    synchronized void start() {
        if (task != null) {
            return;
        }
        synchronized (readLock) {
            running = true;
            latest = null;
        }
        task = scheduler.scheduleAtFixedRate(this::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        log.info("reading heartbeats of {} every {}", key, interval);
    }

    /**
     * Stops reading, forgets the last heartbeat and closes the connection. Waits for a read in progress, so that no
     * read reopens the connection afterwards. Stopping a stopped reader does nothing.
     */
    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
            log.info("stopped reading heartbeats of {}", key);
        }
        synchronized (readLock) {
            running = false;
            latest = null;
            session.close();
        }
    }

    /**
     * The lag as of now. Before the first periodic read has finished this reads once itself, so a health check
     * right after start does not report a lag as unknown.
     */
    LagReading lag() {
        Observation observation = latest;
        if (observation == null) {
            observation = readIfRunning();
            if (observation == null) {
                return new LagReading.Unavailable("the heartbeat reader is not running");
            }
        }
        return switch (observation) {
            case Observation.Heartbeat h -> new LagReading.Measured(Duration.between(h.writtenAt(), clock.instant()));
            case Observation.Failure f -> new LagReading.Unavailable(f.reason());
        };
    }

    private void tick() {
        Observation previous = latest;
        Observation next = readIfRunning();
        if (next == null) {
            return;
        }
        if (next instanceof Observation.Failure f
                && !(previous instanceof Observation.Failure p && p.reason().equals(f.reason()))) {
            log.warn("heartbeat of {}: {}", key, f.reason());
        } else if (next instanceof Observation.Heartbeat && previous instanceof Observation.Failure) {
            log.info("heartbeat of {} is readable again", key);
        }
    }

    /** Reads the heartbeat once and records the result, unless stopped (then null); never throws. */
    private Observation readIfRunning() {
        synchronized (readLock) {
            if (!running) {
                return null;
            }
            Observation observation = readOnce();
            latest = observation;
            return observation;
        }
    }

    private Observation readOnce() {
        Observation observation;
        try {
            observation = session.call(c -> {
                try (PreparedStatement read = c.prepareStatement(HeartbeatTable.READ)) {
                    read.setString(1, key);
                    try (ResultSet rs = read.executeQuery()) {
                        if (!rs.next()) {
                            return new Observation.Failure("no heartbeat for " + key + " in "
                                    + HeartbeatTable.QUALIFIED + " yet: its primary has not written one, or"
                                    + " replication has not delivered it (is replication set up?)");
                        }
                        return new Observation.Heartbeat(fromNanos(rs.getLong(1)));
                    }
                }
            });
        } catch (SQLException e) {
            observation = new Observation.Failure(e.getErrorCode() == HeartbeatTable.ER_NO_SUCH_TABLE
                    ? "no heartbeat table " + HeartbeatTable.QUALIFIED + " on this server yet: its primary has"
                            + " not written one, or replication has not delivered it (is replication set up?)"
                    : "cannot read the heartbeat from " + session.describe() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            observation = new Observation.Failure("cannot read the heartbeat from " + session.describe() + ": " + e);
        }
        return observation;
    }

    private static Instant fromNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
