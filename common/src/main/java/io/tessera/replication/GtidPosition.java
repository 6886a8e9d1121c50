package io.tessera.replication;

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
     * contains the empty position and itself, and two positions that contain each other are equal.
     *
     * <p>For MySQL this is set inclusion. For MariaDB it holds when every domain of {@code other} is present here
     * with a higher sequence number, or with the same GTID. The same sequence number from a different origin
     * server (for example {@code 0-101-7} against {@code 0-100-7}) does not count: under {@code gtid_strict_mode} a
     * sequence number names one transaction per domain, so those are two different transactions. (MariaDB's own
     * {@code MASTER_GTID_WAIT} compares sequence numbers only; this is stricter on purpose.)
     *
     * @throws IllegalArgumentException if the two positions are of different flavors
     */
    boolean contains(GtidPosition other);

    /**
     * Returns the smallest position that contains both this one and {@code other}: for MySQL, the union of the
     * intervals; for MariaDB, per domain the GTID with the higher sequence number. A MariaDB domain where both have
     * the same sequence number from different servers cannot be represented (the positions diverged); this
     * position's GTID is kept, and the result then does not contain {@code other}.
     *
     * @throws IllegalArgumentException if the two positions are of different flavors
     */
    GtidPosition union(GtidPosition other);

    /**
     * Compares two positions for choosing the most advanced server. {@link PositionComparison#DIVERGED} means
     * neither contains the other: each server applied something the other lacks, so neither can simply catch up.
     *
     * @throws IllegalArgumentException if the two positions are of different flavors
     */
    default PositionComparison compareWith(GtidPosition other) {
        if (equals(other)) {
            return PositionComparison.EQUAL;
        }
        boolean thisHasOther = contains(other);
        boolean otherHasThis = other.contains(this);
        // Positions that contain each other are equal, so at most one of these holds here.
        if (thisHasOther) {
            return PositionComparison.AHEAD;
        }
        return otherHasThis ? PositionComparison.BEHIND : PositionComparison.DIVERGED;
    }

    /** The canonical GTID set text without a flavor prefix; the empty position prints as the empty string. */
    @Override
    String toString();
}
