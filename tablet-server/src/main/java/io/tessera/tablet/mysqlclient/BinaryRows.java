package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a binary-protocol row (the answer to COM_STMT_EXECUTE) into the text-protocol row mysqld would have sent for
 * the same values in answer to COM_QUERY, byte for byte, so everything downstream sees one kind of row whichever
 * way the statement ran. Strings, decimals, BIT, ENUM, SET, JSON and geometry travel as the same length-encoded
 * bytes in both protocols; whole numbers and dates travel as binary fields here, and are written the way mysqld
 * writes them as text (ZEROFILL padding, fractional seconds to the column's decimals). FLOAT and DOUBLE are not
 * supported: mysqld's shortest-digits rendering of them is not reproduced here, so a result with such a column
 * must be read as text ({@link #supported}).
 */
final class BinaryRows {
    static final int DECIMAL = 0;
    static final int TINY = 1;
    static final int SHORT = 2;
    static final int LONG = 3;
    static final int TIMESTAMP = 7;
    static final int LONGLONG = 8;
    static final int INT24 = 9;
    static final int DATE = 10;
    static final int TIME = 11;
    static final int DATETIME = 12;
    static final int YEAR = 13;
    static final int VARCHAR = 15;
    static final int BIT = 16;
    static final int JSON = 245;
    static final int NEWDECIMAL = 246;
    static final int ENUM = 247;
    static final int SET = 248;
    static final int GEOMETRY = 255;
    static final int TINY_BLOB = 249;
    static final int UNSIGNED_FLAG = 0x20;
    static final int ZEROFILL_FLAG = 0x40;
    /** The most fractional digits a temporal column has; mysqld says 39 ("not fixed") for some expressions. */
    private static final int MAX_FRACTION = 6;
    private static final int NULL_MARKER = 0xfb;

    private BinaryRows() {}

    /** True if values of {@code column} read from binary rows can be written exactly as mysqld writes them as text. */
    static boolean supported(ColumnDefinition column) {
        return switch (column.type()) {
            case TINY, SHORT, LONG, LONGLONG, INT24, YEAR -> true;
            case DATE -> true;
            case TIMESTAMP, DATETIME, TIME -> column.decimals() <= MAX_FRACTION;
            case DECIMAL, NEWDECIMAL, VARCHAR, BIT, JSON, ENUM, SET -> true;
            // The BLOB types, VAR_STRING, STRING and GEOMETRY; not FLOAT, DOUBLE or NULL.
            default -> column.type() >= TINY_BLOB && column.type() <= GEOMETRY;
        };
    }

    /** True if every column is {@link #supported}. */
    static boolean supported(List<ColumnDefinition> columns) {
        for (ColumnDefinition c : columns) {
            if (!supported(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The text-protocol payload for the binary row {@code p} (header 0x00, NULL bitmap, values), read to its end.
     *
     * @throws CorruptedFrameException if the row does not fit {@code columns}
     * @throws IllegalArgumentException if a column is not {@link #supported}
     */
    static byte[] toText(ByteBuf p, List<ColumnDefinition> columns) {
        int n = columns.size();
        if (p.readUnsignedByte() != 0x00) {
            throw new CorruptedFrameException("a binary row starts with 0x00");
        }
        int bitmapLength = (n + 7 + 2) / 8;
        if (p.readableBytes() < bitmapLength) {
            throw new CorruptedFrameException("binary row shorter than its NULL bitmap");
        }
        int bitmap = p.readerIndex();
        p.skipBytes(bitmapLength);
        Out out = new Out(p.readableBytes() + 8 * n);
        for (int i = 0; i < n; i++) {
            int bit = i + 2;
            if ((p.getByte(bitmap + bit / 8) & (1 << (bit % 8))) != 0) {
                out.put(NULL_MARKER);
                continue;
            }
            value(p, columns.get(i), out);
        }
        if (p.isReadable()) {
            throw new CorruptedFrameException(p.readableBytes() + " bytes left after a binary row of " + n
                    + " columns");
        }
        return out.bytes();
    }

    private static void value(ByteBuf p, ColumnDefinition column, Out out) {
        boolean unsigned = (column.flags() & UNSIGNED_FLAG) != 0;
        switch (column.type()) {
            case TINY -> integer(out, unsigned ? p.readUnsignedByte() : p.readByte(), column);
            case SHORT -> integer(out, unsigned ? p.readUnsignedShortLE() : p.readShortLE(), column);
            case YEAR -> out.text(pad(Integer.toString(p.readUnsignedShortLE()), (int) column.columnLength()));
            case LONG, INT24 -> integer(out, unsigned ? p.readUnsignedIntLE() : p.readIntLE(), column);
            case LONGLONG -> {
                long v = p.readLongLE();
                String s = unsigned ? Long.toUnsignedString(v) : Long.toString(v);
                out.text(zerofill(s, column));
            }
            case DATE -> out.text(date(p, false, 0));
            case TIMESTAMP, DATETIME -> out.text(date(p, true, column.decimals()));
            case TIME -> out.text(time(p, column.decimals()));
            default -> {
                if (!supported(column)) {
                    throw new IllegalArgumentException("column " + column.name() + " of type " + column.type()
                            + " cannot be read from a binary row as text");
                }
                out.copyLenenc(p);
            }
        }
    }

    private static void integer(Out out, long v, ColumnDefinition column) {
        out.text(zerofill(Long.toString(v), column));
    }

    private static String zerofill(String digits, ColumnDefinition column) {
        return (column.flags() & ZEROFILL_FLAG) != 0 ? pad(digits, (int) column.columnLength()) : digits;
    }

    private static String pad(String digits, int width) {
        if (digits.length() >= width) {
            return digits;
        }
        char[] zeros = new char[width - digits.length()];
        Arrays.fill(zeros, '0');
        return new String(zeros) + digits;
    }

    /** A DATE (no time part) or DATETIME/TIMESTAMP value: length 0, 4, 7 or 11, then its fields. */
    private static String date(ByteBuf p, boolean withTime, int decimals) {
        int length = p.readUnsignedByte();
        if (length != 0 && length != 4 && length != 7 && length != 11) {
            throw new CorruptedFrameException("temporal value of " + length + " bytes");
        }
        int year = length >= 4 ? p.readUnsignedShortLE() : 0;
        int month = length >= 4 ? p.readUnsignedByte() : 0;
        int day = length >= 4 ? p.readUnsignedByte() : 0;
        int hour = length >= 7 ? p.readUnsignedByte() : 0;
        int minute = length >= 7 ? p.readUnsignedByte() : 0;
        int second = length >= 7 ? p.readUnsignedByte() : 0;
        long micros = length == 11 ? p.readUnsignedIntLE() : 0;
        StringBuilder s = new StringBuilder(26);
        digits(s, year, 4).append('-');
        digits(s, month, 2).append('-');
        digits(s, day, 2);
        if (withTime) {
            s.append(' ');
            digits(s, hour, 2).append(':');
            digits(s, minute, 2).append(':');
            digits(s, second, 2);
            fraction(s, micros, decimals);
        }
        return s.toString();
    }

    /** A TIME value: length 0, 8 or 12; sign, days, hours, minutes, seconds, microseconds. */
    private static String time(ByteBuf p, int decimals) {
        int length = p.readUnsignedByte();
        if (length != 0 && length != 8 && length != 12) {
            throw new CorruptedFrameException("TIME value of " + length + " bytes");
        }
        boolean negative = length > 0 && p.readUnsignedByte() != 0;
        long days = length > 0 ? p.readUnsignedIntLE() : 0;
        int hour = length > 0 ? p.readUnsignedByte() : 0;
        int minute = length > 0 ? p.readUnsignedByte() : 0;
        int second = length > 0 ? p.readUnsignedByte() : 0;
        long micros = length == 12 ? p.readUnsignedIntLE() : 0;
        StringBuilder s = new StringBuilder(20);
        if (negative) {
            s.append('-');
        }
        long hours = days * 24 + hour;
        if (hours < 10) {
            s.append('0');
        }
        s.append(hours).append(':');
        digits(s, minute, 2).append(':');
        digits(s, second, 2);
        fraction(s, micros, decimals);
        return s.toString();
    }

    private static StringBuilder digits(StringBuilder s, long value, int width) {
        String d = Long.toString(value);
        for (int i = d.length(); i < width; i++) {
            s.append('0');
        }
        return s.append(d);
    }

    /** The first {@code decimals} of the six digits of {@code micros}, after a point; nothing for 0 decimals. */
    private static void fraction(StringBuilder s, long micros, int decimals) {
        if (decimals <= 0) {
            return;
        }
        String six = Long.toString(1_000_000 + micros).substring(1);
        s.append('.').append(six, 0, decimals);
    }

    /** A growing text-protocol row. */
    private static final class Out {
        private byte[] buf;
        private int size;

        Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        void put(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        /** An ASCII value as a length-encoded string (always shorter than 251 bytes). */
        void text(String ascii) {
            ensure(1 + ascii.length());
            buf[size++] = (byte) ascii.length();
            for (int i = 0; i < ascii.length(); i++) {
                buf[size++] = (byte) ascii.charAt(i);
            }
        }

        /** Copies a length-encoded string from {@code p} as it is. */
        void copyLenenc(ByteBuf p) {
            int start = p.readerIndex();
            long length = Wire.readLenenc(p);
            int prefix = p.readerIndex() - start;
            if (length < 0 || length > p.readableBytes()) {
                throw new CorruptedFrameException("value of " + length + " bytes in " + p.readableBytes());
            }
            ensure(prefix + (int) length);
            p.getBytes(start, buf, size, prefix);
            size += prefix;
            p.readBytes(buf, size, (int) length);
            size += (int) length;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        byte[] bytes() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }
}
