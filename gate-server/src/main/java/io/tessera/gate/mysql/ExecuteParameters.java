package io.tessera.gate.mysql;

import com.google.protobuf.ByteString;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the parameters of a COM_STMT_EXECUTE into {@link BindVariable}s holding MySQL text forms: integers in
 * decimal (unsigned ones correctly), floats in the shortest text that reads back to the same value, decimals as
 * sent, dates and times as MySQL prints them, strings and blobs as their bytes (VARCHAR and VARBINARY), NULL as
 * {@link Type#NULL_TYPE}.
 */
final class ExecuteParameters {
    private static final int UNSIGNED_FLAG = 0x80;

    private ExecuteParameters() {}

    /**
     * Reads the parameter part of an execute payload (after statement id, flags and iteration count).
     *
     * @throws MalformedPacketException if the payload is shorter than its own contents say
     * @throws TesseraException WRONG_ARGUMENTS for types never bound, unknown type codes or bad value lengths
     */
    static List<BindVariable> read(PayloadReader r, PreparedStatement stmt) {
        int count = stmt.parameterCount();
        if (count == 0) {
            return List.of();
        }
        byte[] nullBitmap = r.bytes((count + 7) / 8);
        int newParamsBound = r.int1();
        if (newParamsBound == 1) {
            int[] types = new int[count];
            for (int i = 0; i < count; i++) {
                types[i] = r.int2();
            }
            stmt.bindTypes(types);
        } else if (stmt.boundTypes() == null) {
            throw wrongArguments();
        }
        int[] types = stmt.boundTypes();
        List<BindVariable> params = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int code = types[i] & 0xff;
            boolean unsigned = (types[i] & (UNSIGNED_FLAG << 8)) != 0;
            byte[] longData = stmt.longData(i);
            if (longData != null) {
                params.add(bind(isText(code) ? Type.VARCHAR : Type.VARBINARY, longData));
            } else if ((nullBitmap[i / 8] & (1 << (i % 8))) != 0 || code == MysqlTypes.NULL) {
                params.add(BindVariable.newBuilder().setType(Type.NULL_TYPE).build());
            } else {
                params.add(value(r, code, unsigned));
            }
        }
        return params;
    }

    private static BindVariable value(PayloadReader r, int code, boolean unsigned) {
        try {
            return switch (code) {
                case MysqlTypes.TINY -> integer(unsigned ? Type.UINT8 : Type.INT8,
                        unsigned ? r.int1() : (byte) r.int1());
                case MysqlTypes.SHORT -> integer(unsigned ? Type.UINT16 : Type.INT16,
                        unsigned ? r.int2() : (short) r.int2());
                case MysqlTypes.YEAR -> integer(Type.YEAR, r.int2());
                case MysqlTypes.LONG, MysqlTypes.INT24 -> integer(unsigned ? Type.UINT32 : Type.INT32,
                        unsigned ? r.int4() : (int) r.int4());
                case MysqlTypes.LONGLONG -> {
                    long v = r.int8();
                    yield unsigned ? text(Type.UINT64, Long.toUnsignedString(v)) : text(Type.INT64, Long.toString(v));
                }
                case MysqlTypes.FLOAT -> text(Type.FLOAT32, Float.toString(Float.intBitsToFloat((int) r.int4())));
                case MysqlTypes.DOUBLE -> text(Type.FLOAT64, Double.toString(Double.longBitsToDouble(r.int8())));
                case MysqlTypes.DATE -> text(Type.DATE, TemporalText.readDateTime(r, r.int1(), false));
                case MysqlTypes.DATETIME -> text(Type.DATETIME, TemporalText.readDateTime(r, r.int1(), true));
                case MysqlTypes.TIMESTAMP -> text(Type.TIMESTAMP, TemporalText.readDateTime(r, r.int1(), true));
                case MysqlTypes.TIME -> text(Type.TIME, TemporalText.readTime(r, r.int1()));
                case MysqlTypes.DECIMAL, MysqlTypes.NEWDECIMAL -> bind(Type.DECIMAL, r.lenencBytes());
                default -> {
                    if (isText(code)) {
                        yield bind(Type.VARCHAR, r.lenencBytes());
                    }
                    if (isBinary(code)) {
                        yield bind(Type.VARBINARY, r.lenencBytes());
                    }
                    throw wrongArguments();
                }
            };
        } catch (IllegalArgumentException e) {
            throw TesseraException.withCause(ErrorKind.WRONG_ARGUMENTS, e, "mysqld_stmt_execute");
        }
    }

    private static boolean isText(int code) {
        return switch (code) {
            case MysqlTypes.VARCHAR, MysqlTypes.VAR_STRING, MysqlTypes.STRING, MysqlTypes.ENUM, MysqlTypes.SET,
                    MysqlTypes.JSON -> true;
            default -> false;
        };
    }

    private static boolean isBinary(int code) {
        return switch (code) {
            case MysqlTypes.TINY_BLOB, MysqlTypes.MEDIUM_BLOB, MysqlTypes.LONG_BLOB, MysqlTypes.BLOB,
                    MysqlTypes.GEOMETRY, MysqlTypes.BIT -> true;
            default -> false;
        };
    }

    private static BindVariable integer(Type type, long value) {
        return text(type, Long.toString(value));
    }

    private static BindVariable text(Type type, String value) {
        return bind(type, value.getBytes(StandardCharsets.US_ASCII));
    }

    private static BindVariable bind(Type type, byte[] value) {
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFrom(value)).build();
    }

    private static TesseraException wrongArguments() {
        return TesseraException.of(ErrorKind.WRONG_ARGUMENTS, "mysqld_stmt_execute");
    }
}
