package io.tessera.tablet.flavor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the vertical ({@code \G}) output of the mysql/mariadb client into rows of column name to value, the shape
 * the flavors parse. {@code NULL} becomes a null value; a line without a {@code Name:} prefix continues the
 * previous value (MySQL prints long GTID sets over several lines). This lets tests keep server output exactly as
 * the client printed it.
 */
final class VerticalResult {
    private static final Pattern ROW_HEADER = Pattern.compile("^\\*+ \\d+\\. row \\*+$");
    private static final Pattern COLUMN = Pattern.compile("^\\s*([A-Za-z_]+):(?: (.*))?$");

    private VerticalResult() {}

    static List<Map<String, String>> parse(String text) {
        List<Map<String, String>> rows = new ArrayList<>();
        Map<String, String> row = null;
        String lastColumn = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (ROW_HEADER.matcher(line.strip()).matches()) {
                row = new HashMap<>();
                rows.add(row);
                continue;
            }
            if (row == null) {
                throw new IllegalArgumentException("vertical output starts with a row header, got '" + line + "'");
            }
            Matcher m = COLUMN.matcher(line);
            if (m.matches()) {
                String value = m.group(2) == null ? "" : m.group(2);
                lastColumn = m.group(1);
                row.put(lastColumn, value.equals("NULL") ? null : value);
            } else {
                row.put(lastColumn, row.get(lastColumn) + "\n" + line.strip());
            }
        }
        return rows;
    }

    /** The single row of {@code text}, for tests that change a column or two. */
    static Map<String, String> row(String text) {
        List<Map<String, String>> rows = parse(text);
        if (rows.size() != 1) {
            throw new IllegalArgumentException("expected one row, got " + rows.size());
        }
        return rows.getFirst();
    }
}
