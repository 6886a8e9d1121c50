package io.tessera.gate.mysql;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.Field;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * One statement prepared on a connection: its SQL (passed back to the handler on every execute), its placeholders
 * and columns, the parameter types bound by the last execute that sent them, and the long data received for its
 * parameters since the last execute or reset.
 */
final class PreparedStatement {
    private final int id;
    private final String sql;
    private final int parameterCount;
    private final List<Field> columns;
    private final int maxLongDataBytes;
    /** The column definitions the client last received for this statement (MARIADB_CLIENT_CACHE_METADATA). */
    private List<Field> sentColumns;
    private int[] boundTypes;
    private ByteArrayOutputStream[] longData;
    private long longDataBytes;
    private TesseraException longDataError;

    PreparedStatement(int id, String sql, int parameterCount, List<Field> columns, int maxLongDataBytes) {
        this.id = id;
        this.sql = sql;
        this.parameterCount = parameterCount;
        this.columns = List.copyOf(columns);
        this.sentColumns = this.columns;
        this.maxLongDataBytes = maxLongDataBytes;
    }

    int id() {
        return id;
    }

    String sql() {
        return sql;
    }

    int parameterCount() {
        return parameterCount;
    }

    List<Field> columns() {
        return columns;
    }

    /**
     * Whether the client already has exactly these definitions for this statement: the very objects it was last
     * sent (at the prepare or by an execute). Identity, because the definitions are immutable and the executor
     * hands out the same objects for results that look alike; equal definitions in other objects are sent again,
     * which is always allowed.
     */
    boolean clientHasColumns(List<Field> fields) {
        return FieldIdentity.sameObjects(fields, sentColumns);
    }

    /** Notes the definitions just sent to the client with a result of this statement. */
    void columnsSent(List<Field> fields) {
        sentColumns = List.copyOf(fields);
    }

    /** Each parameter's type code with the unsigned flag in the high byte, or null before the first bind. */
    int[] boundTypes() {
        return boundTypes;
    }

    void bindTypes(int[] types) {
        this.boundTypes = types.clone();
    }

    /**
     * Appends a COM_STMT_SEND_LONG_DATA chunk. That command has no response, so a problem is remembered and
     * reported by the next execute.
     */
    void appendLongData(int parameter, byte[] chunk) {
        if (parameter < 0 || parameter >= parameterCount) {
            longDataError = TesseraException.of(ErrorKind.WRONG_ARGUMENTS, "mysqld_stmt_send_long_data");
            return;
        }
        longDataBytes += chunk.length;
        if (longDataBytes > maxLongDataBytes) {
            longDataError = TesseraException.of(ErrorKind.PACKET_TOO_LARGE, maxLongDataBytes);
            longData = null;
            return;
        }
        if (longData == null) {
            longData = new ByteArrayOutputStream[parameterCount];
        }
        if (longData[parameter] == null) {
            longData[parameter] = new ByteArrayOutputStream();
        }
        longData[parameter].writeBytes(chunk);
    }

    /** The long data sent for {@code parameter}, or null if none was. */
    byte[] longData(int parameter) {
        return longData == null || longData[parameter] == null ? null : longData[parameter].toByteArray();
    }

    /** Whether long data (or an error it caused) waits for the next execute. */
    boolean hasLongData() {
        return longData != null || longDataError != null || longDataBytes > 0;
    }

    /** Throws the error a long-data chunk caused, once. */
    void throwLongDataError() {
        TesseraException e = longDataError;
        if (e != null) {
            resetLongData();
            throw e;
        }
    }

    /** Forgets long data: after each execute and on COM_STMT_RESET. */
    void resetLongData() {
        longData = null;
        longDataBytes = 0;
        longDataError = null;
    }
}
