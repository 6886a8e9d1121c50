package io.tessera.tablet.mysqlclient;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The first result of a statement run on a {@link NativeConnection}: either an OK (no columns, no rows, the affected
 * rows and last insert id set) or a result set (columns and rows; affected rows and last insert id 0).
 *
 * @param columns the column definitions of a result set, in order; empty for an OK
 * @param rows each row's text-protocol payload exactly as MySQL sent it (one length-encoded string per column,
 *     0xFB for NULL: what {@code DriverResults.currentRowPacket} returns for a JDBC result), as its own byte[]
 * @param affectedRows the OK packet's affected rows (with CLIENT_FOUND_ROWS, as Connector/J sets it: rows matched)
 * @param lastInsertId the OK packet's last insert id
 * @param warnings the number of warnings the statement raised (from the OK or the end of the result set)
 * @param statusFlags the server status flags that ended the result ({@code SERVER_STATUS_*})
 */
public record NativeResult(List<ColumnDefinition> columns, List<byte[]> rows, long affectedRows,
        long lastInsertId, int warnings, int statusFlags) {
    public NativeResult {
        columns = List.copyOf(columns);
        // Rows are not copied: a result may hold many, and the list is built for this record only.
        rows = Collections.unmodifiableList(Objects.requireNonNull(rows, "rows"));
    }

    /** True when the statement returned a result set (even an empty one), false for an OK. */
    public boolean hasResultSet() {
        return !columns.isEmpty();
    }
}
