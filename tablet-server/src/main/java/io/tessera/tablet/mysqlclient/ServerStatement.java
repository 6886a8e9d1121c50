package io.tessera.tablet.mysqlclient;

import java.util.List;

/**
 * A statement prepared on one connection's mysqld session (COM_STMT_PREPARE): its id there, how many {@code ?}
 * it takes, and the columns its result has as mysqld described them when it prepared it (an execute sends them
 * again, and those are the ones a result carries).
 *
 * @param id the statement id mysqld gave it, valid on its connection only
 * @param sql the text it was prepared from
 * @param parameters the number of {@code ?} parameters
 * @param columns the result's columns, empty for a statement without a result set
 */
public record ServerStatement(long id, String sql, int parameters, List<ColumnDefinition> columns) {
    public ServerStatement {
        columns = List.copyOf(columns);
    }

    /**
     * True if values of {@code column} read from a binary-protocol result are rendered exactly as mysqld renders
     * them as text (see {@link NativeConnection#execute}).
     */
    public static boolean readableAsText(ColumnDefinition column) {
        return BinaryRows.supported(column);
    }
}
