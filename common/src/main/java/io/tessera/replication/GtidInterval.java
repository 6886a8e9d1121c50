package io.tessera.replication;

/**
 * An inclusive range of MySQL transaction numbers from one source server, printed {@code first-last}, or just
 * {@code first} when it holds one transaction.
 *
 * @param first the lowest transaction number, at least 1
 * @param last the highest transaction number, at least {@code first}
 */
public record GtidInterval(long first, long last) {
    public GtidInterval {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException(
                    "a GTID interval runs from a first number of at least 1 to a last number not below it, got "
                            + first + "-" + last);
        }
    }

    /** Returns true if every transaction number of {@code other} is in this interval. */
    boolean covers(GtidInterval other) {
        return first <= other.first && other.last <= last;
    }

    @Override
    public String toString() {
        return first == last ? Long.toString(first) : first + "-" + last;
    }
}
