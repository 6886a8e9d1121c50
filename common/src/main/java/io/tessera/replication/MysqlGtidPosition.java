package io.tessera.replication;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A MySQL GTID set: for each source server UUID, the transaction numbers applied, as intervals. For example
 * {@code 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9,4f22ab58-71ca-11e1-9e33-c80aa9429562:1-3}. This is the
 * text of {@code @@gtid_executed}, {@code Executed_Gtid_Set} and {@code WAIT_FOR_EXECUTED_GTID_SET}'s argument.
 *
 * <p>Instances are immutable, never empty (the empty set is {@link GtidPosition#EMPTY}) and normalised:
 * overlapping and adjacent intervals are merged, so equal sets have equal text. The canonical text lists UUIDs
 * in ascending lower-case order and each UUID's intervals in ascending order, without spaces.
 */
public final class MysqlGtidPosition implements GtidPosition {
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String EXAMPLE = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7";

    private final SortedMap<String, List<GtidInterval>> byUuid;

    private MysqlGtidPosition(TreeMap<String, List<GtidInterval>> byUuid) {
        this.byUuid = Collections.unmodifiableSortedMap(byUuid);
    }

    /**
     * Parses a MySQL GTID set. Blank text is the empty set. Whitespace around each {@code uuid:intervals}
     * element is ignored, so the multi-line text of {@code SHOW REPLICA STATUS} parses as is; a UUID listed
     * twice contributes the union of its intervals.
     *
     * @throws IllegalArgumentException if an element is not a UUID followed by one or more {@code :first-last}
     *     or {@code :number} intervals; tagged GTIDs ({@code uuid:tag:1-5}, MySQL 8.4) are not supported
     */
    public static GtidPosition parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("expected a MySQL GTID set like " + EXAMPLE + ", got null");
        }
        if (text.isBlank()) {
            return GtidPosition.EMPTY;
        }
        TreeMap<String, List<GtidInterval>> byUuid = new TreeMap<>();
        for (String element : text.split(",", -1)) {
            String trimmed = element.strip();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException(
                        "expected a MySQL GTID set like " + EXAMPLE + ", got an empty element in '" + text + "'");
            }
            String[] parts = trimmed.split(":", -1);
            if (!UUID.matcher(parts[0]).matches()) {
                throw new IllegalArgumentException("expected a MySQL GTID set like " + EXAMPLE
                        + " (a server UUID first), got '" + parts[0] + "' in '" + text + "'");
            }
            if (parts.length < 2) {
                throw new IllegalArgumentException("expected a MySQL GTID set like " + EXAMPLE
                        + " (at least one interval after the UUID), got '" + trimmed + "'");
            }
            List<GtidInterval> intervals = byUuid.computeIfAbsent(parts[0].toLowerCase(Locale.ROOT), k -> new ArrayList<>());
            for (int i = 1; i < parts.length; i++) {
                intervals.add(parseInterval(parts[i], text));
            }
        }
        byUuid.replaceAll((uuid, intervals) -> normalise(intervals));
        return new MysqlGtidPosition(byUuid);
    }

    /** The source server UUIDs, in ascending order. */
    public Set<String> uuids() {
        return byUuid.keySet();
    }

    /** The intervals of {@code uuid} in ascending order; empty if this set has no transaction from it. */
    public List<GtidInterval> intervals(String uuid) {
        return byUuid.getOrDefault(uuid.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public boolean contains(GtidPosition other) {
        return switch (other) {
            case EmptyGtidPosition empty -> true;
            case MysqlGtidPosition mysql -> mysql.byUuid.entrySet().stream()
                    .allMatch(e -> covers(byUuid.getOrDefault(e.getKey(), List.of()), e.getValue()));
            case MariadbGtidPosition mariadb -> throw mixedFlavors(other);
        };
    }

    @Override
    public GtidPosition union(GtidPosition other) {
        return switch (other) {
            case EmptyGtidPosition empty -> this;
            case MysqlGtidPosition mysql -> {
                TreeMap<String, List<GtidInterval>> merged = new TreeMap<>(byUuid);
                mysql.byUuid.forEach((uuid, theirs) -> merged.merge(uuid, theirs, (a, b) -> {
                    List<GtidInterval> both = new ArrayList<>(a);
                    both.addAll(b);
                    return normalise(both);
                }));
                yield new MysqlGtidPosition(merged);
            }
            case MariadbGtidPosition mariadb -> throw mixedFlavors(other);
        };
    }

    /**
     * Returns the transactions of this set that {@code other} lacks. Applied to a replica's set and its
     * primary's, the result names errant transactions: ones the replica has that never came from the primary.
     *
     * @throws IllegalArgumentException if {@code other} is a MariaDB position
     */
    public GtidPosition subtract(GtidPosition other) {
        return switch (other) {
            case EmptyGtidPosition empty -> this;
            case MysqlGtidPosition mysql -> {
                TreeMap<String, List<GtidInterval>> rest = new TreeMap<>();
                byUuid.forEach((uuid, ours) -> {
                    List<GtidInterval> left = subtract(ours, mysql.byUuid.getOrDefault(uuid, List.of()));
                    if (!left.isEmpty()) {
                        rest.put(uuid, left);
                    }
                });
                yield rest.isEmpty() ? GtidPosition.EMPTY : new MysqlGtidPosition(rest);
            }
            case MariadbGtidPosition mariadb -> throw mixedFlavors(other);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MysqlGtidPosition that && byUuid.equals(that.byUuid);
    }

    @Override
    public int hashCode() {
        return byUuid.hashCode();
    }

    @Override
    public String toString() {
        return byUuid.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue().stream().map(GtidInterval::toString)
                        .collect(Collectors.joining(":")))
                .collect(Collectors.joining(","));
    }

    private static GtidInterval parseInterval(String text, String whole) {
        int dash = text.indexOf('-');
        String first = dash < 0 ? text : text.substring(0, dash);
        String last = dash < 0 ? text : text.substring(dash + 1);
        if (!first.isEmpty() && !Character.isDigit(first.charAt(0))) {
            throw new IllegalArgumentException("expected a MySQL GTID set like " + EXAMPLE
                    + "; tagged GTIDs such as uuid:" + text + ":1-5 are not supported, got '" + whole + "'");
        }
        long from = transactionNumber(first, whole);
        long to = transactionNumber(last, whole);
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("expected a MySQL GTID interval first-last with 1 <= first <= last, got '"
                    + text + "' in '" + whole + "'");
        }
        return new GtidInterval(from, to);
    }

    private static long transactionNumber(String digits, String whole) {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("expected a MySQL GTID set like " + EXAMPLE
                    + " (intervals of decimal transaction numbers), got '" + whole + "'");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected MySQL transaction numbers below 2^63, got '" + digits
                    + "' in '" + whole + "'", e);
        }
    }

    /** Sorts intervals and merges those that overlap or touch, so that each set has one representation. */
    private static List<GtidInterval> normalise(List<GtidInterval> intervals) {
        List<GtidInterval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparingLong(GtidInterval::first));
        List<GtidInterval> merged = new ArrayList<>();
        GtidInterval current = sorted.getFirst();
        for (GtidInterval next : sorted.subList(1, sorted.size())) {
            // first - 1 cannot overflow (first >= 1), unlike last + 1 at Long.MAX_VALUE.
            if (next.first() - 1 <= current.last()) {
                current = new GtidInterval(current.first(), Math.max(current.last(), next.last()));
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return List.copyOf(merged);
    }

    /** True if every interval of {@code theirs} lies inside one of {@code ours}; both are normalised. */
    private static boolean covers(List<GtidInterval> ours, List<GtidInterval> theirs) {
        int i = 0;
        for (GtidInterval wanted : theirs) {
            while (i < ours.size() && ours.get(i).last() < wanted.first()) {
                i++;
            }
            // Normalised intervals are disjoint and never touch, so only one of ours can hold all of wanted.
            if (i == ours.size() || !ours.get(i).covers(wanted)) {
                return false;
            }
        }
        return true;
    }

    /** The parts of {@code ours} outside every interval of {@code theirs}; both are normalised. */
    private static List<GtidInterval> subtract(List<GtidInterval> ours, List<GtidInterval> theirs) {
        List<GtidInterval> left = new ArrayList<>();
        for (GtidInterval interval : ours) {
            long from = interval.first();
            boolean usedUp = false;
            for (GtidInterval removed : theirs) {
                if (removed.last() < from || removed.first() > interval.last()) {
                    continue;
                }
                if (removed.first() > from) {
                    left.add(new GtidInterval(from, removed.first() - 1));
                }
                if (removed.last() >= interval.last()) {
                    usedUp = true;
                    break;
                }
                from = removed.last() + 1;
            }
            if (!usedUp) {
                left.add(new GtidInterval(from, interval.last()));
            }
        }
        return List.copyOf(left);
    }

    private IllegalArgumentException mixedFlavors(GtidPosition other) {
        return new IllegalArgumentException("cannot combine the MySQL position " + this
                + " with the MariaDB position " + other + ": a shard runs one flavor");
    }
}
