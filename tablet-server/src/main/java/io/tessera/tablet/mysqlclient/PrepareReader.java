package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the response to COM_STMT_PREPARE: an ERR, or an OK carrying the statement id and its column and parameter
 * counts, then a definition per parameter and per column (each group followed by an EOF unless DEPRECATE_EOF).
 */
final class PrepareReader implements ResponseReader<ServerStatement> {
    private enum State { FIRST, PARAMETERS, PARAMETERS_EOF, COLUMNS, COLUMNS_EOF, DONE }

    private final boolean deprecateEof;
    private final String sql;
    private State state = State.FIRST;
    private long id;
    private int parameters;
    private int parametersLeft;
    private int columnsLeft;
    private final List<ColumnDefinition> columns = new ArrayList<>();
    private ServerStatement result;
    private MysqlServerException error;

    PrepareReader(boolean deprecateEof, String sql) {
        this.deprecateEof = deprecateEof;
        this.sql = sql;
    }

    @Override
    public ServerStatement result() {
        return result;
    }

    @Override
    public RuntimeException failure() {
        return error;
    }

    @Override
    public Progress read(ByteBuf p) {
        if (!p.isReadable()) {
            throw new CorruptedFrameException("empty packet in a prepare response (" + state + ")");
        }
        switch (state) {
            case FIRST -> {
                int header = p.readUnsignedByte();
                if (header == ServerPackets.ERR) {
                    p.readerIndex(p.readerIndex() - 1);
                    error = ServerPackets.err(p);
                    return Progress.DONE;
                }
                if (header != ServerPackets.OK || p.readableBytes() < 9) {
                    throw new CorruptedFrameException("unexpected packet 0x" + Integer.toHexString(header)
                            + " in answer to a prepare");
                }
                id = p.readUnsignedIntLE();
                columnsLeft = p.readUnsignedShortLE();
                parameters = p.readUnsignedShortLE();
                parametersLeft = parameters;
                return afterParameters(parametersLeft > 0 ? State.PARAMETERS : null);
            }
            case PARAMETERS -> {
                // The parameters' definitions say little (mysqld types them all alike); only their count matters.
                if (--parametersLeft == 0) {
                    return afterParameters(deprecateEof ? null : State.PARAMETERS_EOF);
                }
                return Progress.MORE;
            }
            case PARAMETERS_EOF -> {
                requireEof(p);
                return afterParameters(null);
            }
            case COLUMNS -> {
                columns.add(ServerPackets.column(p));
                if (--columnsLeft == 0) {
                    if (!deprecateEof) {
                        state = State.COLUMNS_EOF;
                        return Progress.MORE;
                    }
                    return done();
                }
                return Progress.MORE;
            }
            case COLUMNS_EOF -> {
                requireEof(p);
                return done();
            }
            default -> throw new CorruptedFrameException("a packet after the end of a prepare response");
        }
    }

    /** Moves to {@code next}, or, when the parameters are over (null), to the columns or the end. */
    private Progress afterParameters(State next) {
        if (next != null) {
            state = next;
            return Progress.MORE;
        }
        if (columnsLeft > 0) {
            state = State.COLUMNS;
            return Progress.MORE;
        }
        return done();
    }

    private Progress done() {
        state = State.DONE;
        result = new ServerStatement(id, sql, parameters, columns);
        return Progress.DONE;
    }

    private static void requireEof(ByteBuf p) {
        if (!ServerPackets.isEof(p)) {
            throw new CorruptedFrameException("expected an EOF packet after the definitions in a prepare response");
        }
    }
}
