package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the response to one COM_QUERY (or, in binary mode, COM_STMT_EXECUTE), packet by packet: an OK, an ERR, or
 * a result set (column count, column definitions, an EOF unless DEPRECATE_EOF, rows, then an EOF or OK that ends
 * it). While the status says more results follow (a CALL, say), it goes on reading and drops them, so the connection
 * is idle when it is done. Only the first result is kept. In binary mode the rows are binary-protocol rows, kept as
 * the text-protocol rows mysqld would have sent ({@link BinaryRows}); when a column cannot be rendered so, the rows
 * are read and dropped and {@link #unconvertible()} says so.
 */
final class ResultReader implements ResponseReader<NativeResult> {
    private enum State { FIRST, COLUMNS, COLUMNS_EOF, ROWS }

    private final boolean deprecateEof;
    private final boolean binary;
    private final boolean cacheMetadata;
    private final List<ColumnDefinition> knownColumns;
    private final Consumer<List<ColumnDefinition>> onDefinitions;
    private boolean unconvertible;
    private State state = State.FIRST;
    private boolean keeping = true;
    private long columnsLeft;
    private List<ColumnDefinition> columns;
    private List<byte[]> rows;
    private NativeResult result;
    private MysqlServerException error;

    ResultReader(boolean deprecateEof) {
        this(deprecateEof, false, false, null, null);
    }

    /**
     * @param binary whether rows come in the binary protocol (the answer to COM_STMT_EXECUTE)
     * @param cacheMetadata whether the session has MARIADB_CLIENT_CACHE_METADATA: every column count is followed by
     *     a "metadata follows" byte
     * @param knownColumns the definitions mysqld last sent for the statement executed, which a result without
     *     definitions has; null for COM_QUERY, where mysqld always sends them
     * @param onDefinitions told of the definitions of the first result when mysqld sent them (on the loop, before
     *     the rows; whether or not the statement then succeeds); null if nobody needs to know
     */
    ResultReader(boolean deprecateEof, boolean binary, boolean cacheMetadata, List<ColumnDefinition> knownColumns,
            Consumer<List<ColumnDefinition>> onDefinitions) {
        this.deprecateEof = deprecateEof;
        this.binary = binary;
        this.cacheMetadata = cacheMetadata;
        this.knownColumns = knownColumns;
        this.onDefinitions = onDefinitions;
    }

    /** True when, in binary mode, the result had a column {@link BinaryRows} cannot render as text. */
    boolean unconvertible() {
        return unconvertible;
    }

    /** The first result; set once {@link #read} returned DONE without an error. */
    @Override
    public NativeResult result() {
        return result;
    }

    /** The ERR packet that ended the response, if one did. */
    @Override
    public RuntimeException failure() {
        if (error != null) {
            return error;
        }
        return unconvertible ? new BinaryResultException("the result of a prepared statement has a column whose "
                + "values cannot be rendered as text from the binary protocol") : null;
    }

    @Override
    public Progress read(ByteBuf p) {
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
        boolean definitionsFollow = !cacheMetadata || metadataFollows(p);
        if (keeping) {
            rows = new ArrayList<>();
        }
        if (definitionsFollow) {
            if (keeping) {
                columns = new ArrayList<>((int) Math.min(columnsLeft, 4096));
            }
            state = State.COLUMNS;
            return Progress.MORE;
        }
        if (keeping) {
            if (knownColumns == null || knownColumns.size() != columnsLeft) {
                throw new CorruptedFrameException("mysqld left out the definitions of " + columnsLeft
                        + " columns, but " + (knownColumns == null ? "none were" : knownColumns.size() + " were")
                        + " sent before for this statement");
            }
            columns = knownColumns;
        }
        columnsLeft = 0;
        endOfColumns();
        return Progress.MORE;
    }

    /** The "metadata follows" byte after a column count (MARIADB_CLIENT_CACHE_METADATA). */
    private static boolean metadataFollows(ByteBuf p) {
        if (!p.isReadable()) {
            throw new CorruptedFrameException("column count without the metadata-follows byte");
        }
        return p.readUnsignedByte() != 0;
    }

    private Progress column(ByteBuf p) {
        if (keeping) {
            columns.add(ServerPackets.column(p));
        }
        if (--columnsLeft == 0) {
            if (keeping) {
                // Immutable from here: the result keeps this very list, and so may the connection.
                columns = List.copyOf(columns);
                if (onDefinitions != null) {
                    onDefinitions.accept(columns);
                }
            }
            endOfColumns();
        }
        return Progress.MORE;
    }

    private void endOfColumns() {
        state = deprecateEof ? State.ROWS : State.COLUMNS_EOF;
        if (binary && keeping && !BinaryRows.supported(columns)) {
            unconvertible = true;
        }
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
        if (keeping && !unconvertible) {
            if (binary) {
                rows.add(BinaryRows.toText(p, columns));
            } else {
                byte[] row = new byte[p.readableBytes()];
                p.readBytes(row);
                rows.add(row);
            }
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
