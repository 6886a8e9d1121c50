package io.tessera.replication;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A MariaDB replication position: one GTID per replication domain, for example {@code 0-100-7,1-200-3}. This
 * is the text of {@code @@gtid_binlog_pos}, {@code @@gtid_slave_pos} and {@code MASTER_GTID_WAIT}'s argument.
 *
 * <p>Instances are immutable and never empty (the empty position is {@link GtidPosition#EMPTY}). The canonical
 * text lists the GTIDs by ascending domain, separated by commas without spaces, as MariaDB prints them.
 */
public final class MariadbGtidPosition implements GtidPosition {
    private final SortedMap<Long, MariadbGtid> byDomain;

    private MariadbGtidPosition(TreeMap<Long, MariadbGtid> byDomain) {
        this.byDomain = Collections.unmodifiableSortedMap(byDomain);
    }

    /**
     * Parses a MariaDB GTID list such as {@code 0-100-7,1-200-3}. Blank text is the empty position. Whitespace
     * around each GTID is ignored.
     *
     * @throws IllegalArgumentException if an element is not {@code domain-server-sequence}, or if a domain
     *     appears twice (a position holds one GTID per domain, so two would leave the position ambiguous)
     */
    public static GtidPosition parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("expected a MariaDB GTID position like 0-100-7,1-200-3, got null");
        }
        if (text.isBlank()) {
            return GtidPosition.EMPTY;
        }
        TreeMap<Long, MariadbGtid> byDomain = new TreeMap<>();
        for (String element : text.split(",", -1)) {
            if (element.isBlank()) {
                throw new IllegalArgumentException(
                        "expected a MariaDB GTID position like 0-100-7,1-200-3, got an empty element in '" + text + "'");
            }
            MariadbGtid gtid = MariadbGtid.parse(element);
            MariadbGtid previous = byDomain.put(gtid.domain(), gtid);
            if (previous != null) {
                throw new IllegalArgumentException("expected a MariaDB GTID position with one GTID per domain, got "
                        + previous + " and " + gtid + " for domain " + gtid.domain() + " in '" + text + "'");
            }
        }
        return new MariadbGtidPosition(byDomain);
    }

    /**
     * The position made of {@code gtids}; no gtids gives the empty position.
     *
     * @throws IllegalArgumentException if two GTIDs share a domain
     */
    public static GtidPosition of(Collection<MariadbGtid> gtids) {
        if (gtids.isEmpty()) {
            return GtidPosition.EMPTY;
        }
        TreeMap<Long, MariadbGtid> byDomain = new TreeMap<>();
        for (MariadbGtid gtid : gtids) {
            MariadbGtid previous = byDomain.put(gtid.domain(), gtid);
            if (previous != null) {
                throw new IllegalArgumentException("a MariaDB GTID position has one GTID per domain, got " + previous
                        + " and " + gtid);
            }
        }
        return new MariadbGtidPosition(byDomain);
    }

    /** The GTIDs, one per domain, by ascending domain. */
    public List<MariadbGtid> gtids() {
        return List.copyOf(byDomain.values());
    }

    /** The GTID of {@code domain}, if this position has one. */
    public Optional<MariadbGtid> gtid(long domain) {
        return Optional.ofNullable(byDomain.get(domain));
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public boolean contains(GtidPosition other) {
        return switch (other) {
            case EmptyGtidPosition empty -> true;
            case MariadbGtidPosition mariadb -> mariadb.byDomain.values().stream().allMatch(theirs -> {
                MariadbGtid ours = byDomain.get(theirs.domain());
                return ours != null && (ours.isAfter(theirs) || ours.equals(theirs));
            });
            case MysqlGtidPosition mysql -> throw mixedFlavors(other);
        };
    }

    @Override
    public GtidPosition union(GtidPosition other) {
        return switch (other) {
            case EmptyGtidPosition empty -> this;
            case MariadbGtidPosition mariadb -> {
                TreeMap<Long, MariadbGtid> merged = new TreeMap<>(byDomain);
                for (MariadbGtid theirs : mariadb.byDomain.values()) {
                    merged.merge(theirs.domain(), theirs, (ours, candidate) -> candidate.isAfter(ours) ? candidate : ours);
                }
                yield new MariadbGtidPosition(merged);
            }
            case MysqlGtidPosition mysql -> throw mixedFlavors(other);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariadbGtidPosition that && byDomain.equals(that.byDomain);
    }

    @Override
    public int hashCode() {
        return byDomain.hashCode();
    }

    @Override
    public String toString() {
        return byDomain.values().stream().map(MariadbGtid::toString).collect(Collectors.joining(","));
    }

    private IllegalArgumentException mixedFlavors(GtidPosition other) {
        return new IllegalArgumentException("cannot combine the MariaDB position " + this
                + " with the MySQL position " + other + ": a shard runs one flavor");
    }
}
