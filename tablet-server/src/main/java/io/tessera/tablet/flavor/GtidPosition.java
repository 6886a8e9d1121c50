package io.tessera.tablet.flavor;

/**
 * A replication position: the set of transactions a server has written or applied, named by their global
 * transaction identifiers.
 *
 * <p>There are exactly three kinds. A {@link MariadbGtidPosition} holds one {@code domain-server-sequence} GTID
 * per replication domain; a {@link MysqlGtidPosition} holds, per source server UUID, the intervals of transaction
 * numbers; {@link EmptyGtidPosition} is the position of a server that has seen no transaction, and belongs to
 * both flavors. The two non-empty kinds are never empty, so "no transaction" has one representation only.
 *
 * <p>{@link #toString()} prints the canonical GTID set text, without a flavor prefix: the form the server
 * itself prints and accepts in SQL. {@link Positions} adds and removes the {@code "<flavor>/"} prefix used on
 * RPCs. Two positions are {@link Object#equals equal} when their canonical texts are equal.
 *
 * <p>Positions of different non-empty kinds cannot be compared or combined: a shard runs one flavor, so
 * mixing them is a configuration error and the operations below reject it with
 * {@link IllegalArgumentException} rather than answer a question that has no meaning.
 */
public sealed interface GtidPosition permits EmptyGtidPosition, MariadbGtidPosition, MysqlGtidPosition {

    /** The position of a server that has seen no transaction. */
    GtidPosition EMPTY = new EmptyGtidPosition();

    /** Returns true if this position names no transaction at all. */
    boolean isEmpty();

    /**
     * Returns true if a server at this position has everything a server at {@code other} has. Every position
     * contains the empty position and itself.
     *
     * <p>For MariaDB this holds when every domain of {@code other} is present here with a sequence number at
     * least as high (MariaDB's own meaning, used by {@code MASTER_GTID_WAIT}); for MySQL it is set inclusion.
     *
     * @throws IllegalArgumentException if the two positions are of different flavors
     */
    boolean contains(GtidPosition other);

    /**
     * Returns the smallest position that contains both this one and {@code other}: for MariaDB, per domain the
     * GTID with the higher sequence number (this position's on a tie); for MySQL, the union of the intervals.
     *
     * @throws IllegalArgumentException if the two positions are of different flavors
     */
    GtidPosition union(GtidPosition other);

    /**
     * Compares two positions for choosing the most advanced server.
     *
     * <p>{@link PositionComparison#DIVERGED} means neither server has everything the other has: each applied
     * something the other lacks, and no one can simply catch up. A MariaDB pair that has the same sequence number
     * in a domain from different origin servers (for example {@code 0-100-7} and {@code 0-101-7}) is also
     * reported as diverged: under {@code gtid_strict_mode} a sequence number names one transaction per domain,
     * so the two are different transactions.
     *
     * @throws IllegalArgumentException if the two positions are of different flavors
     */
    default PositionComparison compareWith(GtidPosition other) {
        if (equals(other)) {
            return PositionComparison.EQUAL;
        }
        boolean thisHasOther = contains(other);
        boolean otherHasThis = other.contains(this);
        if (thisHasOther && !otherHasThis) {
            return PositionComparison.AHEAD;
        }
        if (otherHasThis && !thisHasOther) {
            return PositionComparison.BEHIND;
        }
        return PositionComparison.DIVERGED;
    }

    /** The canonical GTID set text without a flavor prefix; the empty position prints as the empty string. */
    @Override
    String toString();
}
