package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the response to one COM_QUERY, packet by packet: an OK, an ERR, or a result set (column count, column
 * definitions, an EOF unless DEPRECATE_EOF, rows, then an EOF or OK that ends it). While the status says more
 * results follow (a CALL, say), it goes on reading and drops them, so the connection is idle when it is done. Only
 * the first result is kept.
 */
final class ResultReader {
    /** What {@link #read} made of a packet. */
    enum Progress {
        /** More packets belong to this response. */
        MORE,
        /** The response is complete: {@link #result()} or {@link #error()} holds the outcome. */
        DONE
    }

    private enum State { FIRST, COLUMNS, COLUMNS_EOF, ROWS }

    private final boolean deprecateEof;
    private State state = State.FIRST;
    private boolean keeping = true;
    private long columnsLeft;
    private List<ColumnDefinition> columns;
    private List<byte[]> rows;
    private NativeResult result;
    private MysqlServerException error;

    ResultReader(boolean deprecateEof) {
        this.deprecateEof = deprecateEof;
    }

    /** The first result; set once {@link #read} returned DONE without an error. */
    NativeResult result() {
        return result;
    }

    /** The ERR packet that ended the response, if one did. */
    MysqlServerException error() {
        return error;
    }

    /**
     * Takes the next packet of the response; the caller keeps ownership of {@code p}.
     *
     * @throws CorruptedFrameException if the packet does not fit the protocol at this point
     */
    Progress read(ByteBuf p) {
        if (!p.isReadable()) {
            throw new CorruptedFrameException("empty packet in a result (" + state + ")");
        }
        int header = p.getUnsignedByte(p.readerIndex());
        return switch (state) {
            case FIRST -> first(p, header);
            case COLUMNS -> column(p);
            case COLUMNS_EOF -> columnsEof(p);
            case ROWS -> row(p, header);
        };
    }

    private Progress first(ByteBuf p, int header) {
        if (header == ServerPackets.ERR) {
            error = ServerPackets.err(p);
            return Progress.DONE;
        }
        if (header == ServerPackets.OK) {
            ServerPackets.Ok ok = ServerPackets.ok(p);
            keep(List.of(), List.of(), ok.affectedRows(), ok.lastInsertId(), ok);
            return next(ok.statusFlags());
        }
        if (header == Wire.NULL_VALUE) {
            // LOCAL INFILE request: the client never offers CLIENT_LOCAL_FILES, so a server that asks is broken.
            throw new CorruptedFrameException("mysqld asked for a local file, which this client never offers");
        }
        columnsLeft = Wire.readLenenc(p);
        if (columnsLeft <= 0) {
            throw new CorruptedFrameException("result set with " + columnsLeft + " columns");
        }
        if (keeping) {
            columns = new ArrayList<>((int) Math.min(columnsLeft, 4096));
            rows = new ArrayList<>();
        }
        state = State.COLUMNS;
        return Progress.MORE;
    }

    private Progress column(ByteBuf p) {
        if (keeping) {
            columns.add(ServerPackets.column(p));
        }
        if (--columnsLeft == 0) {
            state = deprecateEof ? State.ROWS : State.COLUMNS_EOF;
        }
        return Progress.MORE;
    }

    private Progress columnsEof(ByteBuf p) {
        if (!ServerPackets.isEof(p)) {
            throw new CorruptedFrameException("expected an EOF packet after the column definitions");
        }
        state = State.ROWS;
        return Progress.MORE;
    }

    private Progress row(ByteBuf p, int header) {
        if (header == ServerPackets.ERR) {
            // The statement failed while sending rows (KILL QUERY, a runtime error): the ERR ends the response.
            error = ServerPackets.err(p);
            return Progress.DONE;
        }
        if (ServerPackets.isEndOfRows(p)) {
            ServerPackets.Ok end = deprecateEof ? ServerPackets.ok(p) : ServerPackets.eof(p);
            keep(columns, rows, 0, 0, end);
            return next(end.statusFlags());
        }
        if (keeping) {
            byte[] row = new byte[p.readableBytes()];
            p.readBytes(row);
            rows.add(row);
        }
        return Progress.MORE;
    }

    private void keep(List<ColumnDefinition> cols, List<byte[]> rs, long affected, long insertId,
            ServerPackets.Ok end) {
        if (keeping) {
            result = new NativeResult(cols, rs, affected, insertId, end.warnings(), end.statusFlags());
            keeping = false;
            columns = null;
            rows = null;
        }
    }

    private Progress next(int statusFlags) {
        if ((statusFlags & Capabilities.SERVER_MORE_RESULTS_EXISTS) != 0) {
            state = State.FIRST;
            return Progress.MORE;
        }
        return Progress.DONE;
    }
}
