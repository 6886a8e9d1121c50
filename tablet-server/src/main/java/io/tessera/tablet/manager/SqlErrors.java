package io.tessera.tablet.manager;

import io.tessera.proto.vtrpc.Code;
import io.tessera.tabletmanager.TabletManagerException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/** Turns MySQL failures into {@link TabletManagerException}s that keep the errno and SQLSTATE. */
final class SqlErrors {
    private SqlErrors() {}

    /**
     * @param what what the manager was doing, in words ("stopping replication"); starts the message
     */
    static TabletManagerException of(String what, SQLException e) {
        return new TabletManagerException(classify(e), what + ": " + e.getMessage(), e.getErrorCode(),
                e.getSQLState(), e);
    }

    /** The failure class of a MySQL error, by error number (never by message). */
    static Code classify(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLNonTransientConnectionException || e instanceof SQLTransientConnectionException
                || state.startsWith("08")) {
            return Code.UNAVAILABLE;
        }
        if (e instanceof SQLTimeoutException) {
            return Code.DEADLINE_EXCEEDED;
        }
        return switch (e.getErrorCode()) {
            // ER_OPTION_PREVENTS_STATEMENT (--read-only), ER_READ_ONLY_MODE
            case 1290, 1836 -> Code.READ_ONLY;
            // access denied to a database, a user, a table, a column; missing privilege
            case 1044, 1045, 1142, 1143, 1227 -> Code.PERMISSION_DENIED;
            // syntax error, empty query, unknown column, wrong value
            case 1064, 1065, 1054, 1149, 1231, 1232 -> Code.INVALID_ARGUMENT;
            // unknown database, unknown table
            case 1049, 1051, 1146 -> Code.NOT_FOUND;
            // duplicate key, database exists, table exists
            case 1062, 1007, 1050 -> Code.ALREADY_EXISTS;
            // lock wait timeout, deadlock
            case 1205, 1213 -> Code.ABORTED;
            // query interrupted (KILL QUERY, max_statement_time)
            case 1317, 1969, 3024 -> Code.DEADLINE_EXCEEDED;
            // server shutting down, connection lost
            case 1053, 2006, 2013 -> Code.UNAVAILABLE;
            default -> Code.UNKNOWN;
        };
    }
}
