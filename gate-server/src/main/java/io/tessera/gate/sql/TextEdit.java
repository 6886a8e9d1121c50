package io.tessera.gate.sql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A replacement of the characters {@code [start, end)} of a statement by {@code replacement} ({@code start == end}
 * inserts). Edits are computed against the original text and applied together.
 */
public record TextEdit(int start, int end, String replacement) {
    public TextEdit {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad edit range [" + start + ", " + end + ")");
        }
    }

    /**
     * {@code sql} with {@code edits} applied, in order of position (an insertion at the end of a replaced range
     * comes after the replacement). An edit that overlaps an earlier one is dropped.
     */
    public static String apply(String sql, List<TextEdit> edits) {
        if (edits.isEmpty()) {
            return sql;
        }
        List<TextEdit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(TextEdit::start).thenComparingInt(e -> e.end() == e.start() ? 1 : 0));
        StringBuilder out = new StringBuilder(sql.length() + 16 * sorted.size());
        int copied = 0;
        for (TextEdit e : sorted) {
            if (e.start() < copied) {
                continue;
            }
            out.append(sql, copied, e.start()).append(e.replacement());
            copied = e.end();
        }
        return out.append(sql, copied, sql.length()).toString();
    }
}
