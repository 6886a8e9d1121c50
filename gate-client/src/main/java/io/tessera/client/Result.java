package io.tessera.client;

import io.tessera.proto.query.QueryResult;
import io.tessera.queryservice.CompactRows;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one statement: the columns and rows of a read, or the rows affected and generated id of a write.
 *
 * @param fields the result's columns, empty for statements that return no rows
 * @param rowsAffected rows the statement changed (an unsigned 64-bit count; see {@link Long#toUnsignedString})
 * @param insertId the AUTO_INCREMENT value the statement generated, 0 if none (unsigned, like rowsAffected)
 * @param rows the rows, in the order the gate returned them
 */
public record Result(List<Column> fields, long rowsAffected, long insertId, List<Row> rows) {
    public Result {
        fields = List.copyOf(fields);
        rows = List.copyOf(rows);
    }

    /** The result the gate sent, decoded. */
    static Result of(QueryResult result) {
        Columns columns = Columns.of(result.getFieldsList());
        List<Row> rows = new ArrayList<>(result.getRowsCount());
        for (io.tessera.proto.query.Row row : result.getRowsList()) {
            rows.add(new Row(columns, CompactRows.values(row)));
        }
        return new Result(columns.list(), result.getRowsAffected(), result.getInsertId(), rows);
    }
}
