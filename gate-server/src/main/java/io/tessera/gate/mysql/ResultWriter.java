package io.tessera.gate.mysql;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Row;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes server responses on one connection: OK, ERR and EOF packets, column definitions, and whole results in the
 * text or binary protocol. When the client set CLIENT_DEPRECATE_EOF, the EOF after column definitions is left out
 * and results end with an OK packet that starts with 0xfe.
 */
final class ResultWriter {
    private final PacketChannel out;
    private final boolean deprecateEof;
    private final boolean sessionTrack;

    /**
     * @param deprecateEof whether the client agreed on CLIENT_DEPRECATE_EOF
     * @param sessionTrack whether the client agreed on CLIENT_SESSION_TRACK, which changes the OK packet's tail
     */
    ResultWriter(PacketChannel out, boolean deprecateEof, boolean sessionTrack) {
        this.out = out;
        this.deprecateEof = deprecateEof;
        this.sessionTrack = sessionTrack;
    }

    /**
     * An OK packet. The info text is length-encoded, as MySQL and MariaDB servers write it whatever the capabilities
     * (and as clients read it). Session-state changes follow it only under CLIENT_SESSION_TRACK, flagged with
     * SERVER_SESSION_STATE_CHANGED.
     */
    void ok(long affectedRows, long lastInsertId, int status, int warnings, String info, String stateChanges) {
        boolean changes = sessionTrack && !stateChanges.isEmpty();
        PacketBuilder p = out.packet().int1(Protocol.OK_HEADER).lenencInt(affectedRows).lenencInt(lastInsertId)
                .int2(changes ? status | Protocol.SERVER_SESSION_STATE_CHANGED : status)
                .int2(Math.min(warnings, 0xffff));
        if (!info.isEmpty() || changes) {
            p.lenencString(info);
        }
        if (changes) {
            p.lenencString(stateChanges);
        }
        out.send(p);
    }

    void ok(int status) {
        ok(0, 0, status, 0, "", "");
    }

    void error(MysqlError e) {
        out.send(out.packet().int1(Protocol.ERR_HEADER).int2(e.errno()).int1('#').string(e.sqlState())
                .string(e.message()));
    }

    /** The end of rows (or of a field list): EOF, or an OK with the 0xfe header under CLIENT_DEPRECATE_EOF. */
    void endOfRows(int status, int warnings) {
        if (deprecateEof) {
            out.send(out.packet().int1(Protocol.EOF_HEADER).lenencInt(0).lenencInt(0).int2(status)
                    .int2(Math.min(warnings, 0xffff)));
        } else {
            eof(status, warnings);
        }
    }

    /** The EOF after column definitions, which CLIENT_DEPRECATE_EOF leaves out. */
    void endOfColumns(int status) {
        if (!deprecateEof) {
            eof(status, 0);
        }
    }

    private void eof(int status, int warnings) {
        out.send(out.packet().int1(Protocol.EOF_HEADER).int2(Math.min(warnings, 0xffff)).int2(status));
    }

    /**
     * One statement's result in the text protocol: an OK packet when it has no fields, else a result set.
     *
     * @param status the status flags, including SERVER_MORE_RESULTS_EXISTS when another result follows
     */
    void textResult(QueryResult result, int status) {
        if (result.getFieldsCount() == 0) {
            okFor(result, status);
            return;
        }
        columns(result.getFieldsList(), status);
        int columns = result.getFieldsCount();
        for (Row row : result.getRowsList()) {
            PacketBuilder p = out.packet();
            RowEncoder.writeText(p, row, columns);
            out.send(p);
        }
        endOfRows(status, result.getWarningsCount());
    }

    /** A COM_STMT_EXECUTE result: an OK packet when it has no fields, else a binary-protocol result set. */
    void binaryResult(QueryResult result, int status) {
        if (result.getFieldsCount() == 0) {
            okFor(result, status);
            return;
        }
        columns(result.getFieldsList(), status);
        int[] codes = RowEncoder.typeCodes(result.getFieldsList());
        for (Row row : result.getRowsList()) {
            PacketBuilder p = out.packet();
            RowEncoder.writeBinary(p, row, codes);
            out.send(p);
        }
        endOfRows(status, result.getWarningsCount());
    }

    private void okFor(QueryResult result, int status) {
        ok(result.getRowsAffected(), result.getInsertId(), status, result.getWarningsCount(), result.getInfo(),
                result.getSessionStateChanges());
    }

    private void columns(List<Field> fields, int status) {
        out.send(out.packet().lenencInt(fields.size()));
        for (Field f : fields) {
            columnDefinition(f, false);
        }
        endOfColumns(status);
    }

    /**
     * A protocol-41 column definition.
     *
     * @param forFieldList COM_FIELD_LIST answers carry a trailing default value (NULL here)
     */
    void columnDefinition(Field f, boolean forFieldList) {
        MysqlTypes.Column type = MysqlTypes.column(f.getType());
        int charset = f.getCharset() != 0 ? f.getCharset()
                : type.binary() ? Protocol.COLLATION_BINARY : Protocol.COLLATION_UTF8MB4_GENERAL_CI;
        PacketBuilder p = out.packet()
                .lenencString("def")
                .lenencString(f.getDatabase())
                .lenencString(f.getTable())
                .lenencString(f.getOrgTable())
                .lenencString(f.getName())
                .lenencString(f.getOrgName())
                .lenencInt(0x0c)
                .int2(charset)
                .int4(f.getColumnLength())
                .int1(type.code())
                .int2((f.getFlags() | type.flags()) & 0xffff)
                .int1(f.getDecimals())
                .int2(0);
        if (forFieldList) {
            p.int1(Protocol.NULL_VALUE);
        }
        out.send(p);
    }

    /** The definition MySQL gives a placeholder whose type it does not know: a binary VAR_STRING named "?". */
    void parameterDefinition() {
        out.send(out.packet()
                .lenencString("def").lenencString("").lenencString("").lenencString("").lenencString("?")
                .lenencString("")
                .lenencInt(0x0c)
                .int2(Protocol.COLLATION_BINARY)
                .int4(0)
                .int1(MysqlTypes.VAR_STRING)
                .int2(io.tessera.proto.query.MySqlFlag.BINARY_FLAG_VALUE)
                .int1(0)
                .int2(0));
    }

    /** The first packet of a COM_STMT_PREPARE answer. */
    void prepareOk(int statementId, int columns, int parameters) {
        out.send(out.packet().int1(Protocol.OK_HEADER).int4(statementId).int2(columns).int2(parameters).int1(0)
                .int2(0));
    }

    /** A raw text packet (the COM_STATISTICS answer). */
    void text(String s) {
        out.send(out.packet().bytes(s.getBytes(StandardCharsets.UTF_8)));
    }
}
