package io.tessera.gate.buffer;

import java.time.Duration;
import java.util.Objects;

/**
 * Failover buffering: whether and how long PRIMARY requests wait while a shard changes primary. Each field is named
 * after the Vitess flag that sets it; {@link #defaults()} gives Vitess's defaults (buffering off).
 *
 * @param enabled whether requests are buffered at all ({@code --enable_buffer})
 * @param window the longest one request waits ({@code --buffer_window})
 * @param size how many requests may wait at once, across all shards; one more fails at once with BUFFER_FULL
 *     ({@code --buffer_size})
 * @param maxFailoverDuration a failover that lasts longer than this ends, and its waiting requests fail
 *     ({@code --buffer_max_failover_duration})
 * @param minTimeBetweenFailovers a new failover of the same shard starting sooner than this after the previous one
 *     ended is not buffered: its requests fail through ({@code --buffer_min_time_between_failovers})
 */
public record BufferConfig(
        boolean enabled,
        Duration window,
        int size,
        Duration maxFailoverDuration,
        Duration minTimeBetweenFailovers) {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final int DEFAULT_SIZE = 1000;
    public static final Duration DEFAULT_MAX_FAILOVER_DURATION = Duration.ofSeconds(20);
    public static final Duration DEFAULT_MIN_TIME_BETWEEN_FAILOVERS = Duration.ofMinutes(1);

    public BufferConfig {
        requirePositive("buffer window (--buffer_window)", window);
        requirePositive("maximum failover duration (--buffer_max_failover_duration)", maxFailoverDuration);
        Objects.requireNonNull(minTimeBetweenFailovers, "minTimeBetweenFailovers");
        if (minTimeBetweenFailovers.isNegative()) {
            throw new IllegalArgumentException("the minimum time between failovers "
                    + "(--buffer_min_time_between_failovers) cannot be negative, got " + minTimeBetweenFailovers);
        }
        if (size < 1) {
            throw new IllegalArgumentException("the buffer size (--buffer_size) must be at least 1, got " + size);
        }
    }

    /** Vitess's defaults: off; 10 s window, 1000 requests, 20 s per failover, 1 min between failovers. */
    public static BufferConfig defaults() {
        return new BufferConfig(false, DEFAULT_WINDOW, DEFAULT_SIZE, DEFAULT_MAX_FAILOVER_DURATION,
                DEFAULT_MIN_TIME_BETWEEN_FAILOVERS);
    }

    public BufferConfig withEnabled(boolean on) {
        return new BufferConfig(on, window, size, maxFailoverDuration, minTimeBetweenFailovers);
    }

    public BufferConfig withWindow(Duration value) {
        return new BufferConfig(enabled, value, size, maxFailoverDuration, minTimeBetweenFailovers);
    }

    public BufferConfig withSize(int value) {
        return new BufferConfig(enabled, window, value, maxFailoverDuration, minTimeBetweenFailovers);
    }

    public BufferConfig withMaxFailoverDuration(Duration value) {
        return new BufferConfig(enabled, window, size, value, minTimeBetweenFailovers);
    }

    public BufferConfig withMinTimeBetweenFailovers(Duration value) {
        return new BufferConfig(enabled, window, size, maxFailoverDuration, value);
    }

    private static void requirePositive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive, got " + value);
        }
    }
}
