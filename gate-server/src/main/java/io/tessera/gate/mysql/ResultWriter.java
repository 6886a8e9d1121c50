package io.tessera.gate.mysql;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Row;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes server responses on one connection: OK, ERR and EOF packets, column definitions, and whole results in the
 * text or binary protocol. When the client set CLIENT_DEPRECATE_EOF, the EOF after column definitions is left out
 * and results end with an OK packet that starts with 0xfe. When the client agreed on MariaDB's
 * MARIADB_CLIENT_CACHE_METADATA, every column count is followed by a "metadata follows" byte, and a prepared
 * statement's result leaves out the column definitions the client already has for that statement.
 */
final class ResultWriter {
    private final PacketChannel out;
    private final boolean deprecateEof;
    private final boolean sessionTrack;
    private final boolean cacheMetadata;
    private final EncodedColumns encodedColumns = new EncodedColumns();

    /**
     * @param deprecateEof whether the client agreed on CLIENT_DEPRECATE_EOF
     * @param sessionTrack whether the client agreed on CLIENT_SESSION_TRACK, which changes the OK packet's tail
     * @param cacheMetadata whether the client agreed on MARIADB_CLIENT_CACHE_METADATA
     */
    ResultWriter(PacketChannel out, boolean deprecateEof, boolean sessionTrack, boolean cacheMetadata) {
        this.out = out;
        this.deprecateEof = deprecateEof;
        this.sessionTrack = sessionTrack;
        this.cacheMetadata = cacheMetadata;
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
        columns(result.getFieldsList(), status, true);
        int columns = result.getFieldsCount();
        for (Row row : result.getRowsList()) {
            PacketBuilder p = out.packet();
            RowEncoder.writeText(p, row, columns);
            out.send(p);
        }
        endOfRows(status, result.getWarningsCount());
    }

    /**
     * A COM_STMT_EXECUTE result: an OK packet when it has no fields, else a binary-protocol result set.
     *
     * @param statement the statement executed, which knows the column definitions the client last received for
     *     it; null if it is gone, and the definitions are then sent
     */
    void binaryResult(QueryResult result, int status, PreparedStatement statement) {
        if (result.getFieldsCount() == 0) {
            okFor(result, status);
            return;
        }
        List<Field> fields = result.getFieldsList();
        boolean clientHasThem = cacheMetadata && statement != null && statement.clientHasColumns(fields);
        columns(fields, status, !clientHasThem);
        if (cacheMetadata && statement != null && !clientHasThem) {
            statement.columnsSent(fields);
        }
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

    /** The column count, the definitions unless {@code send} is false, and the EOF that follows them. */
    private void columns(List<Field> fields, int status, boolean send) {
        PacketBuilder count = out.packet().lenencInt(fields.size());
        if (cacheMetadata) {
            count.int1(send ? 1 : 0);
        }
        out.send(count);
        if (send) {
            definitions(fields);
        }
        endOfColumns(status);
    }

    /** The column definitions, from the encoding kept for these very objects when there is one. */
    private void definitions(List<Field> fields) {
        byte[][] kept = encodedColumns.get(fields);
        if (kept != null) {
            for (byte[] payload : kept) {
                out.send(payload, payload.length);
            }
        } else if (encodedColumns.seenBefore(fields)) {
            byte[][] payloads = new byte[fields.size()][];
            for (int i = 0; i < payloads.length; i++) {
                PacketBuilder p = columnDefinitionPacket(fields.get(i), false);
                payloads[i] = p.toByteArray();
                out.send(p);
            }
            encodedColumns.keep(fields, payloads);
        } else {
            for (Field f : fields) {
                out.send(columnDefinitionPacket(f, false));
            }
        }
    }

    /**
     * A protocol-41 column definition.
     *
     * @param forFieldList COM_FIELD_LIST answers carry a trailing default value (NULL here)
     */
    void columnDefinition(Field f, boolean forFieldList) {
        out.send(columnDefinitionPacket(f, forFieldList));
    }

    private PacketBuilder columnDefinitionPacket(Field f, boolean forFieldList) {
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
        return p;
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
