package io.tessera.common.errors;

import io.tessera.proto.vtrpc.Code;

/**
 * The code Tessera decides on for an error that MySQL returned. Only the errno (and, for connection failures, the
 * SQLSTATE class) is looked at; the errno and SQLSTATE themselves are always passed on unchanged.
 */
public final class MysqlErrors {
    /** ER_DUP_ENTRY: duplicate key. */
    public static final int ER_DUP_ENTRY = 1062;
    /** ER_OPTION_PREVENTS_STATEMENT: {@code --read-only} and similar. */
    public static final int ER_OPTION_PREVENTS_STATEMENT = 1290;
    /** ER_QUERY_INTERRUPTED: the statement was killed. */
    public static final int ER_QUERY_INTERRUPTED = 1317;
    /** ER_STATEMENT_TIMEOUT (MariaDB): {@code max_statement_time} exceeded. */
    public static final int ER_STATEMENT_TIMEOUT = 1969;
    /** ER_QUERY_TIMEOUT (MySQL): {@code max_execution_time} exceeded. */
    public static final int ER_QUERY_TIMEOUT = 3024;
    /** ER_CONNECTION_KILLED. */
    public static final int ER_CONNECTION_KILLED = 1927;

    private MysqlErrors() {}

    /**
     * The code for MySQL error {@code errno} with {@code sqlState}. Unknown errors are {@link Code#UNKNOWN}: the
     * statement failed and retrying it unchanged will most likely fail again.
     */
    public static Code codeFor(int errno, String sqlState) {
        switch (errno) {
            case ER_DUP_ENTRY, 1022, 1586, 1859, 1050, 1007 -> {
                return Code.ALREADY_EXISTS;
            }
            case 1146, 1049, 1051, 1091, 1305 -> { // no such table, database, column to drop, routine
                return Code.NOT_FOUND;
            }
            case 1064, 1149, 1054, 1052, 1136 -> { // syntax, unknown or ambiguous column, value count
                return Code.INVALID_ARGUMENT;
            }
            case 1044, 1045, 1142, 1143, 1227, 1370 -> {
                return Code.PERMISSION_DENIED;
            }
            case 1213 -> { // deadlock: the transaction was rolled back; retrying it is the cure
                return Code.ABORTED;
            }
            case 1205 -> { // lock wait timeout
                return Code.DEADLINE_EXCEEDED;
            }
            case ER_QUERY_INTERRUPTED, ER_CONNECTION_KILLED -> {
                return Code.CANCELED;
            }
            case ER_STATEMENT_TIMEOUT, ER_QUERY_TIMEOUT -> {
                return Code.DEADLINE_EXCEEDED;
            }
            case ER_OPTION_PREVENTS_STATEMENT -> {
                // On a server with read_only (a replica, or a primary being demoted) this is the write refusal.
                return Code.READ_ONLY;
            }
            case 1040, 1203, 1226, 1135, 1041 -> { // too many connections, out of resources
                return Code.RESOURCE_EXHAUSTED;
            }
            case 2002, 2003, 2006, 2013, 1053, 1152, 1184 -> { // gone away, lost connection, shutdown
                return Code.UNAVAILABLE;
            }
            default -> {
                if (sqlState != null && sqlState.startsWith("08")) {
                    return Code.UNAVAILABLE;
                }
                return Code.UNKNOWN;
            }
        }
    }
}
