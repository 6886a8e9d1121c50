package io.tessera.tablet.health;

import java.time.Duration;
import java.util.Objects;

/** What a tablet knows about its replication lag: a measured value, or why it has none. */
public sealed interface LagReading {

    /**
     * A measured lag.
     *
     * @param lag how far behind the primary the tablet is; zero on a primary and never negative (a primary clock
     *     ahead of the replica's reads as zero, not as a negative lag)
     */
    record Measured(Duration lag) implements LagReading {
        public Measured {
            Objects.requireNonNull(lag, "lag");
            if (lag.isNegative()) {
                lag = Duration.ZERO;
            }
        }
    }

    /**
     * No lag can be given, for example because mysqld is down or the heartbeat table has not replicated yet.
     *
     * @param reason why, in words for an operator; this becomes the health error
     */
    record Unavailable(String reason) implements LagReading {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The lag of a tablet that is its shard's primary. */
    static LagReading none() {
        return new Measured(Duration.ZERO);
    }
}
