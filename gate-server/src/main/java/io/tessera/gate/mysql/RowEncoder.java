package io.tessera.gate.mysql;

import com.google.protobuf.ByteString;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.Row;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes rows in the text protocol (every value a length-encoded string, NULL as 0xfb) and in the binary protocol
 * (a NULL bitmap, then each value encoded by its column's MySQL type, parsed from the MySQL text form the tablet
 * sent). Rows arrive in compact form: values concatenated, with each length and -1 for NULL.
 */
final class RowEncoder {
    private RowEncoder() {}

    static void writeText(PacketBuilder p, Row row, int columns) {
        check(row, columns);
        ByteString values = row.getValues();
        int offset = 0;
        for (int i = 0; i < columns; i++) {
            long length = row.getLengths(i);
            if (length < 0) {
                p.int1(Protocol.NULL_VALUE);
                continue;
            }
            checkLength(values, offset, length, i);
            p.lenencInt(length).bytes(values, offset, (int) length);
            offset += (int) length;
        }
        checkEnd(values, offset);
    }

    /** @param codes the MySQL type code of each column, from {@link MysqlTypes#column} */
    static void writeBinary(PacketBuilder p, Row row, int[] codes) {
        int columns = codes.length;
        check(row, columns);
        p.int1(Protocol.OK_HEADER);
        // The NULL bitmap of a binary row starts at bit 2.
        int bitmapStart = p.length();
        p.zeros((columns + 7 + 2) / 8);
        ByteString values = row.getValues();
        int offset = 0;
        for (int i = 0; i < columns; i++) {
            long length = row.getLengths(i);
            if (length < 0) {
                int bit = i + 2;
                p.array()[bitmapStart + bit / 8] |= (byte) (1 << (bit % 8));
                continue;
            }
            checkLength(values, offset, length, i);
            int code = codes[i];
            if (MysqlTypes.isStringEncoded(code)) {
                p.lenencInt(length).bytes(values, offset, (int) length);
            } else {
                writeBinaryValue(p, code, values.substring(offset, offset + (int) length)
                        .toString(StandardCharsets.US_ASCII));
            }
            offset += (int) length;
        }
        checkEnd(values, offset);
    }

    static int[] typeCodes(List<Field> fields) {
        int[] codes = new int[fields.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = MysqlTypes.column(fields.get(i).getType()).code();
        }
        return codes;
    }

    private static void writeBinaryValue(PacketBuilder p, int code, String text) {
        try {
            switch (code) {
                case MysqlTypes.TINY -> p.int1((int) parseInteger(text));
                case MysqlTypes.SHORT, MysqlTypes.YEAR -> p.int2((int) parseInteger(text));
                case MysqlTypes.LONG, MysqlTypes.INT24 -> p.int4(parseInteger(text));
                case MysqlTypes.LONGLONG -> p.int8(parseInteger(text));
                case MysqlTypes.FLOAT -> p.int4(Float.floatToIntBits(Float.parseFloat(text)));
                case MysqlTypes.DOUBLE -> p.int8(Double.doubleToLongBits(Double.parseDouble(text)));
                case MysqlTypes.DATE -> TemporalText.writeDateTime(p, TemporalText.parseDateTime(text), true);
                case MysqlTypes.DATETIME, MysqlTypes.TIMESTAMP ->
                        TemporalText.writeDateTime(p, TemporalText.parseDateTime(text), false);
                case MysqlTypes.TIME -> TemporalText.writeTime(p, TemporalText.parseTime(text));
                default -> throw new IllegalStateException("type " + code + " is string-encoded");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("value '" + text + "' does not fit MySQL type " + code, e);
        }
    }

    /** A signed or unsigned integer; unsigned values above the signed range keep their two's-complement bits. */
    private static long parseInteger(String text) {
        return text.startsWith("-") ? Long.parseLong(text) : Long.parseUnsignedLong(text);
    }

    private static void check(Row row, int columns) {
        if (row.getLengthsCount() != columns) {
            throw new IllegalArgumentException("row has " + row.getLengthsCount() + " values for " + columns
                    + " columns");
        }
    }

    private static void checkLength(ByteString values, int offset, long length, int column) {
        if (length > values.size() - offset) {
            throw new IllegalArgumentException("value " + column + " of length " + length + " runs past the "
                    + values.size() + " bytes of the row");
        }
    }

    private static void checkEnd(ByteString values, int offset) {
        if (offset != values.size()) {
            throw new IllegalArgumentException("row has " + (values.size() - offset) + " bytes past its last value");
        }
    }
}
