package io.tessera.gate.mysql;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The prepared-statement commands of one connection and its statement table: PREPARE asks the handler to describe
 * the SQL and hands out an id; EXECUTE decodes the parameters, passes the SQL back to the handler and answers in
 * the binary protocol. Cursors are not kept: an EXECUTE that asks for one gets the whole result, and FETCH is
 * refused.
 */
final class StatementCommands {
    /** MySQL's default {@code max_prepared_stmt_count}, applied per connection. */
    static final int MAX_STATEMENTS = 16382;

    private final Map<Integer, PreparedStatement> statements = new HashMap<>();
    private final ConnectionHandler handler;
    private final ResultWriter writer;
    private final int maxLongDataBytes;
    private int nextId = 1;

    StatementCommands(ConnectionHandler handler, ResultWriter writer, int maxLongDataBytes) {
        this.handler = handler;
        this.writer = writer;
        this.maxLongDataBytes = maxLongDataBytes;
    }

    void prepare(PayloadReader r) {
        String sql = r.restQuery();
        if (statements.size() >= MAX_STATEMENTS) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "this connection already has " + MAX_STATEMENTS
                    + " prepared statements; close some before preparing more");
        }
        PreparedMetadata metadata = handler.prepare(sql);
        List<Field> columns = metadata.columns();
        if (metadata.parameterCount() > 0xffff || columns.size() > 0xffff) {
            throw TesseraException.of(ErrorKind.WRONG_ARGUMENTS, "mysqld_stmt_prepare");
        }
        int id = nextId;
        nextId = nextId == Integer.MAX_VALUE ? 1 : nextId + 1;
        statements.put(id, new PreparedStatement(id, sql, metadata.parameterCount(), columns, maxLongDataBytes));
        writer.prepareOk(id, columns.size(), metadata.parameterCount());
        int status = StatusFlags.of(handler, false);
        if (metadata.parameterCount() > 0) {
            for (int i = 0; i < metadata.parameterCount(); i++) {
                writer.parameterDefinition();
            }
            writer.endOfColumns(status);
        }
        if (!columns.isEmpty()) {
            for (Field f : columns) {
                writer.columnDefinition(f, false);
            }
            writer.endOfColumns(status);
        }
    }

    void execute(PayloadReader r) {
        int id = (int) r.int4();
        r.int1(); // cursor flags: a cursor is never opened, the whole result is returned
        r.int4(); // iteration count, always 1
        PreparedStatement stmt = statement(id, "mysqld_stmt_execute");
        List<BindVariable> params;
        try {
            stmt.throwLongDataError();
            params = ExecuteParameters.read(r, stmt);
        } finally {
            stmt.resetLongData();
        }
        QueryResult result = handler.executePrepared(stmt.sql(), params);
        writer.binaryResult(result, StatusFlags.of(handler, false), stmt);
    }

    /** Writes the result of a COM_STMT_EXECUTE that {@link #start} started. */
    void writeResult(byte[] executePayload, QueryResult result, int status) {
        PayloadReader r = new PayloadReader(executePayload, 1);
        writer.binaryResult(result, status, statements.get((int) r.int4()));
    }

    /**
     * COM_STMT_EXECUTE started without blocking ({@link ConnectionHandler#start}); null when it must run the
     * blocking way, through {@link #execute}: an unknown statement, long data to send, parameters that do not
     * decode, or a statement the handler cannot start. Reading the parameters twice is harmless: the types they
     * bind are the same each time.
     */
    CompletableFuture<QueryResult> start(PayloadReader r) {
        int id = (int) r.int4();
        r.int1();
        r.int4();
        PreparedStatement stmt = statements.get(id);
        if (stmt == null || stmt.hasLongData()) {
            return null;
        }
        List<BindVariable> params;
        try {
            params = ExecuteParameters.read(r, stmt);
        } catch (RuntimeException e) {
            return null;
        }
        return handler.start(stmt.sql(), params);
    }

    /** COM_STMT_SEND_LONG_DATA, which has no response: problems surface at the next execute. */
    void sendLongData(PayloadReader r) {
        int id = (int) r.int4();
        int parameter = r.int2();
        byte[] chunk = r.rest();
        PreparedStatement stmt = statements.get(id);
        if (stmt != null) {
            stmt.appendLongData(parameter, chunk);
        }
    }

    /** COM_STMT_CLOSE, which has no response. */
    void close(PayloadReader r) {
        statements.remove((int) r.int4());
    }

    void reset(PayloadReader r) {
        statement((int) r.int4(), "mysqld_stmt_reset").resetLongData();
        writer.ok(StatusFlags.of(handler, false));
    }

    void fetch(PayloadReader r) {
        int id = (int) r.int4();
        r.int4();
        statement(id, "mysqld_stmt_fetch");
        throw TesseraException.of(ErrorKind.UNIMPLEMENTED, "cursors (COM_STMT_FETCH): the gate returns the whole "
                + "result from COM_STMT_EXECUTE");
    }

    /** Forgets every statement (COM_RESET_CONNECTION, COM_CHANGE_USER). */
    void clear() {
        statements.clear();
    }

    private PreparedStatement statement(int id, String command) {
        PreparedStatement stmt = statements.get(id);
        if (stmt == null) {
            throw TesseraException.of(ErrorKind.UNKNOWN_STMT_HANDLER, Integer.toUnsignedLong(id), command);
        }
        return stmt;
    }
}
