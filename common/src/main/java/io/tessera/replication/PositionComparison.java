package io.tessera.replication;

/** How one {@link GtidPosition} relates to another; see {@link GtidPosition#compareWith(GtidPosition)}. */
public enum PositionComparison {
    /** Both name exactly the same transactions. */
    EQUAL,
    /** This position has everything the other has, and more. */
    AHEAD,
    /** The other position has everything this one has, and more. */
    BEHIND,
    /** Each position has a transaction the other lacks: one server cannot catch up with the other. */
    DIVERGED
}
