package io.tessera.tablet.flavor;

import io.tessera.replication.BinlogFilePosition;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One row of a {@code SHOW ... STATUS} result, by column name. Names match case-insensitively, and each lookup
 * accepts several names so that one parser reads both MySQL's old ({@code Master_Host}) and new
 * ({@code Source_Host}) columns. A column that is missing and one whose value is SQL {@code NULL} (a null map
 * value) read the same.
 */
final class StatusRow {
    private final Map<String, String> columns = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    StatusRow(Map<String, String> columns) {
        this.columns.putAll(columns);
    }

    /** True if any of {@code names} is a column of this row, even with a NULL value. */
    boolean has(String... names) {
        for (String name : names) {
            if (columns.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    /** The value of the first of {@code names} that has a non-NULL value. */
    Optional<String> value(String... names) {
        return column(names).map(Map.Entry::getValue);
    }

    /** The first of {@code names} that has a non-NULL value, with that value. */
    private Optional<Map.Entry<String, String>> column(String... names) {
        for (String name : names) {
            String value = columns.get(name);
            if (value != null) {
                return Optional.of(Map.entry(name, value));
            }
        }
        return Optional.empty();
    }

    /** The value of the first of {@code names} that is present, or the empty string. */
    String text(String... names) {
        return value(names).orElse("");
    }

    /**
     * The first of {@code names} as a non-negative number; empty if missing, NULL or blank.
     *
     * @throws IllegalArgumentException if the value is not a non-negative decimal number
     */
    OptionalLong number(String... names) {
        Optional<Map.Entry<String, String>> column = column(names).filter(e -> !e.getValue().isBlank());
        if (column.isEmpty()) {
            return OptionalLong.empty();
        }
        String name = column.get().getKey();
        String digits = column.get().getValue().strip();
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("expected a non-negative number in column " + name + ", got '"
                    + digits + "'");
        }
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("number too large in column " + name + ": '" + digits + "'", e);
        }
    }

    /** Like {@link #number} with 0 for a missing value, capped to fit an {@code int}. */
    int intOrZero(String... names) {
        return (int) Math.min(Integer.MAX_VALUE, number(names).orElse(0));
    }

    /** Like {@link #number} with 0 for a missing value. */
    long longOrZero(String... names) {
        return number(names).orElse(0);
    }

    /** The file and offset in the two columns, when the file is named. */
    Optional<BinlogFilePosition> filePosition(String[] fileNames, String[] offsetNames) {
        String file = text(fileNames).strip();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BinlogFilePosition(file, longOrZero(offsetNames)));
    }
}
