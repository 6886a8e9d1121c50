package io.tessera.topo.local;

/**
 * A lease of a local topology store: files bound to it are deleted when it expires.
 *
 * @param id the lease's identifier, unique for the life of the store (ids are never reused)
 * @param ttlMillis how far each renewal pushes the deadline
 * @param deadlineMillis wall-clock time (epoch milliseconds) after which the lease has expired; stored as a
 *     wall-clock time so a lease keeps its deadline across a restart of the store
 */
public record LeaseRecord(long id, long ttlMillis, long deadlineMillis) {
    public LeaseRecord {
        if (id <= 0) {
            throw new IllegalArgumentException("a lease id is positive, got " + id);
        }
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("a lease ttl is positive, got " + ttlMillis);
        }
    }

    /** Returns this lease renewed at {@code nowMillis}: its deadline moves to one ttl from then. */
    LeaseRecord renewedAt(long nowMillis) {
        return new LeaseRecord(id, ttlMillis, nowMillis + ttlMillis);
    }

    /** Whether the lease has expired at {@code nowMillis}. */
    boolean expiredAt(long nowMillis) {
        return deadlineMillis <= nowMillis;
    }
}
