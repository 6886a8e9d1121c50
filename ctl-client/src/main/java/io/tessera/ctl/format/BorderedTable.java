package io.tessera.ctl.format;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Row;
import io.tessera.proto.query.Type;
import io.tessera.queryservice.CompactRows;
import java.util.ArrayList;
import java.util.List;

/**
 * A query result drawn as the mysql client draws it:
 *
 * <pre>
 * +----+------+
 * | id | name |
 * +----+------+
 * |  1 | a    |
 * |  2 | NULL |
 * +----+------+
 * </pre>
 *
 * Numeric columns are right-aligned, the others left-aligned; NULL prints as {@code NULL}. Widths are counted in
 * code points, so a multi-byte character is one column. A result without fields (a DML or DDL statement) prints
 * {@code Query OK, N rows affected}.
 */
public final class BorderedTable {
    private BorderedTable() {}

    public static String render(QueryResult result) {
        if (result.getFieldsCount() == 0) {
            long n = result.getRowsAffected();
            return "Query OK, " + Long.toUnsignedString(n) + (n == 1 ? " row" : " rows") + " affected\n";
        }
        List<Field> fields = result.getFieldsList();
        List<String> headers = fields.stream().map(Field::getName).toList();
        List<List<String>> rows = new ArrayList<>(result.getRowsCount());
        for (Row row : result.getRowsList()) {
            List<String> values = CompactRows.strings(row);
            List<String> cells = new ArrayList<>(fields.size());
            for (int i = 0; i < fields.size(); i++) {
                String v = i < values.size() ? values.get(i) : null;
                cells.add(v == null ? "NULL" : v);
            }
            rows.add(cells);
        }
        int[] widths = new int[fields.size()];
        boolean[] right = new boolean[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            widths[i] = width(headers.get(i));
            right[i] = isNumeric(fields.get(i).getType());
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], width(r.get(i)));
            }
        }
        StringBuilder out = new StringBuilder();
        String border = border(widths);
        out.append(border);
        line(out, headers, widths, new boolean[fields.size()]);
        out.append(border);
        for (List<String> r : rows) {
            line(out, r, widths, right);
        }
        if (!rows.isEmpty()) {
            out.append(border);
        }
        return out.toString();
    }

    /** Numeric MySQL types, which the mysql client right-aligns. */
    static boolean isNumeric(Type type) {
        return switch (type) {
            case INT8, UINT8, INT16, UINT16, INT24, UINT24, INT32, UINT32, INT64, UINT64, FLOAT32, FLOAT64, DECIMAL,
                    YEAR -> true;
            default -> false;
        };
    }

    static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    private static String border(int[] widths) {
        StringBuilder b = new StringBuilder("+");
        for (int w : widths) {
            b.append("-".repeat(w + 2)).append('+');
        }
        return b.append('\n').toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths, boolean[] right) {
        out.append('|');
        for (int i = 0; i < widths.length; i++) {
            String c = cells.get(i);
            String pad = " ".repeat(widths[i] - width(c));
            out.append(' ').append(right[i] ? pad + c : c + pad).append(" |");
        }
        out.append('\n');
    }
}
