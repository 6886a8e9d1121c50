package io.tessera.tablet.health;

import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link HealthCheck} every {@link HealthConfig#healthCheckInterval()} and hands each report to the
 * {@link HealthStreamer}. Every periodic run pushes one message to the subscribers: the new state if it changed,
 * else the unchanged state again, so gates hear from the tablet at least once per interval (a silent stream is
 * how they notice a dead tablet).
 *
 * <p>{@link #checkNow()} runs an extra check at once; the tablet's state manager calls it after every change of
 * type or serving intent so that gates learn of it without waiting for the next interval. Checks never overlap, so
 * reports are published in the order they were made.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final HealthConfig config;
    private final HealthCheck check;
    private final HealthStreamer streamer;
    private final ScheduledExecutorService scheduler;
    private final Object checkLock = new Object();
    private volatile HealthReport lastReport; // null until the first check
    private ScheduledFuture<?> periodic; // guarded by this

    /**
     * @param config the health check interval
     * @param check what a check does
     * @param streamer where reports go
     * @param scheduler runs the checks; owned by the caller
     */
    public HealthMonitor(HealthConfig config, HealthCheck check, HealthStreamer streamer,
            ScheduledExecutorService scheduler) {
        this.config = Objects.requireNonNull(config, "config");
        this.check = Objects.requireNonNull(check, "check");
        this.streamer = Objects.requireNonNull(streamer, "streamer");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Starts the periodic checks, the first one at once. Starting twice does nothing. */
    public synchronized void start() {
        if (periodic == null) {
            long interval = config.healthCheckInterval().toNanos();
            periodic = scheduler.scheduleAtFixedRate(() -> runCheck(true), 0, interval, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops the periodic checks; a check in progress finishes. */
    public synchronized void stop() {
        if (periodic != null) {
            periodic.cancel(false);
            periodic = null;
        }
    }

    /** Schedules a check to run at once, in addition to the periodic ones. */
    public Future<?> checkNow() {
        return scheduler.submit(() -> runCheck(false));
    }

    /** The report of the latest check, or null before the first one finished. */
    public HealthReport lastReport() {
        return lastReport;
    }

    @Override
    public void close() {
        stop();
    }

    private void runCheck(boolean periodicPush) {
        // Never let an exception escape: it would cancel the periodic task for good.
        synchronized (checkLock) {
            try {
                HealthReport report = check.run();
                HealthReport previous = lastReport;
                lastReport = report;
                if (previous == null || previous.status() != report.status()
                        || previous.serving() != report.serving()) {
                    log.info("health: {}, serving={}{}", report.status(), report.serving(),
                            report.healthError().map(e -> ", error: " + e).orElse(""));
                }
                boolean pushed = streamer.publish(report);
                if (periodicPush && !pushed) {
                    streamer.broadcastLatest();
                }
            } catch (RuntimeException e) {
                log.error("health check failed", e);
            }
        }
    }
}
