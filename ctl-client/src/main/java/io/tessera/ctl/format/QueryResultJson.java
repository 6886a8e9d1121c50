package io.tessera.ctl.format;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Row;
import io.tessera.queryservice.CompactRows;
import java.util.List;

/**
 * A query result as {@code ExecuteFetchAsDba --json} prints it, in one stable shape:
 *
 * <pre>
 * {
 *   "fields": [{"name": "id", "type": "INT64"}, ...],
 *   "rows": [["1", "a"], ["2", null]],
 *   "rows_affected": 2,
 *   "insert_id": 0
 * }
 * </pre>
 *
 * Values are strings (as MySQL sends them) or {@code null}.
 */
public final class QueryResultJson {
    private QueryResultJson() {}

    public static String render(QueryResult result) {
        StringBuilder out = new StringBuilder("{\n  \"fields\": [");
        List<Field> fields = result.getFieldsList();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            out.append(i == 0 ? "\n    " : ",\n    ")
                    .append("{\"name\": ").append(Json.quote(f.getName()))
                    .append(", \"type\": ").append(Json.quote(f.getType().name())).append('}');
        }
        out.append(fields.isEmpty() ? "],\n" : "\n  ],\n");
        out.append("  \"rows\": [");
        List<Row> rows = result.getRowsList();
        for (int i = 0; i < rows.size(); i++) {
            out.append(i == 0 ? "\n    [" : ",\n    [");
            List<String> values = CompactRows.strings(rows.get(i));
            for (int j = 0; j < values.size(); j++) {
                String v = values.get(j);
                out.append(j == 0 ? "" : ", ").append(v == null ? "null" : Json.quote(v));
            }
            out.append(']');
        }
        out.append(rows.isEmpty() ? "],\n" : "\n  ],\n");
        out.append("  \"rows_affected\": ").append(Long.toUnsignedString(result.getRowsAffected())).append(",\n");
        out.append("  \"insert_id\": ").append(Long.toUnsignedString(result.getInsertId())).append('\n');
        return out.append("}\n").toString();
    }
}
