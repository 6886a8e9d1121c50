package io.tessera.tablet.manager;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the tablet manager.
 *
 * @param defaultWaitTimeout how long a wait (for a position, for a reparent journal row) may take when the caller
 *     gave no deadline
 * @param actionLockTimeout how long a state-changing call waits for the one before it to finish
 * @param connectRetry how long a replica waits between attempts to connect to its primary
 *     ({@code MASTER_CONNECT_RETRY}); at least one second
 * @param journalPollInterval how often a replica looks for the reparent journal row it waits for
 * @param defaultMaxRows the row limit of {@code ExecuteFetchAs*} when the request says 0
 */
public record TabletManagerConfig(Duration defaultWaitTimeout, Duration actionLockTimeout, Duration connectRetry,
        Duration journalPollInterval, long defaultMaxRows) {

    /** 30 s waits, as long for the action lock, 1 s connect retry, 50 ms journal polls, 10,000 rows. */
    public static final TabletManagerConfig DEFAULTS = new TabletManagerConfig(Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMillis(50), 10_000);

    public TabletManagerConfig {
        positive("defaultWaitTimeout", defaultWaitTimeout);
        positive("actionLockTimeout", actionLockTimeout);
        positive("journalPollInterval", journalPollInterval);
        if (Objects.requireNonNull(connectRetry, "connectRetry").compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("connectRetry is at least one second, got " + connectRetry);
        }
        if (defaultMaxRows < 1) {
            throw new IllegalArgumentException("defaultMaxRows must be positive, got " + defaultMaxRows);
        }
    }

    private static void positive(String name, Duration d) {
        if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
