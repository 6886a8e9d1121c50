package io.tessera.gate.executor;

import java.util.concurrent.TimeUnit;

/** When a statement must be finished: a point in {@link System#nanoTime()} time, or none. */
final class Deadline {
    private static final Deadline NONE = new Deadline(0, 0);

    private final long timeoutMillis;
    private final long deadlineNanos;

    private Deadline(long timeoutMillis, long deadlineNanos) {
        this.timeoutMillis = timeoutMillis;
        this.deadlineNanos = deadlineNanos;
    }

    /** No deadline. */
    static Deadline none() {
        return NONE;
    }

    /** A deadline {@code millis} from now; none for 0. */
    static Deadline after(long millis) {
        if (millis <= 0) {
            return NONE;
        }
        return new Deadline(millis, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    boolean isSet() {
        return timeoutMillis > 0;
    }

    /** The timeout this deadline was made from, in milliseconds (0 for none). */
    long timeoutMillis() {
        return timeoutMillis;
    }

    /** Nanoseconds left; zero or less once passed. Only meaningful when {@link #isSet()}. */
    long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    /** Whole milliseconds left, at least 1, for telling a tablet how long it has. */
    long remainingMillisAtLeastOne() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos()));
    }
}
