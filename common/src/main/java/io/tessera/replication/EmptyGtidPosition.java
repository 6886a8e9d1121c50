package io.tessera.replication;

/**
 * The position of a server that has seen no transaction: a fresh server, or one whose binary log and
 * replication state were reset. It belongs to both flavors, so it compares and combines with positions of
 * either kind. Use {@link GtidPosition#EMPTY} rather than creating instances; all instances are equal.
 */
public record EmptyGtidPosition() implements GtidPosition {

    @Override
    public boolean isEmpty() {
        return true;
    }

    @Override
    public boolean contains(GtidPosition other) {
        return other.isEmpty();
    }

    @Override
    public GtidPosition union(GtidPosition other) {
        return other;
    }

    @Override
    public String toString() {
        return "";
    }
}
