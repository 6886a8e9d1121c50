package io.tessera.tablet.queryservice;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Transaction ids, unique across restarts of the tablet as in Vitess: the first id is the start time in
 * nanoseconds since the epoch, and each Begin takes the next number. A restarted tablet starts from a later time,
 * so an id a gate still holds from before the restart can never name a new transaction (unless the tablet handed
 * out more than a billion ids a second).
 */
final class TransactionIds {
    private final AtomicLong last;

    TransactionIds(Clock clock) {
        Instant now = clock.instant();
        this.last = new AtomicLong(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L) + now.getNano());
    }

    long next() {
        return last.incrementAndGet();
    }
}
