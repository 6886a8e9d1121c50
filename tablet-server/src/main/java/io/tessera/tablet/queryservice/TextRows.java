package io.tessera.tablet.queryservice;

import com.google.protobuf.UnsafeByteOperations;
import io.tessera.proto.query.Row;

/**
 * Turns a MySQL text-protocol row packet (one length-encoded string per column, 0xFB for NULL) into a compact
 * {@link Row}: the values copied once, back to back, into one byte array, and their lengths, -1 for NULL.
 */
final class TextRows {
    private static final int NULL_MARKER = 0xfb;

    private TextRows() {}

    /**
     * The row in {@code packet}.
     *
     * @throws IllegalStateException if the packet does not hold exactly {@code columns} values
     */
    static Row decode(byte[] packet, int columns) {
        Row.Builder row = Row.newBuilder();
        // First pass: lengths, and the total to allocate.
        long[] lengths = new long[columns];
        int[] offsets = new int[columns];
        int pos = 0;
        int total = 0;
        for (int i = 0; i < columns; i++) {
            if (pos >= packet.length) {
                throw malformed(packet, columns);
            }
            int first = packet[pos] & 0xff;
            if (first == NULL_MARKER) {
                lengths[i] = -1;
                pos++;
                continue;
            }
            long length;
            if (first < 0xfb) {
                length = first;
                pos += 1;
            } else if (first == 0xfc) {
                length = readLe(packet, pos + 1, 2);
                pos += 3;
            } else if (first == 0xfd) {
                length = readLe(packet, pos + 1, 3);
                pos += 4;
            } else if (first == 0xfe) {
                length = readLe(packet, pos + 1, 8);
                pos += 9;
            } else {
                throw malformed(packet, columns);
            }
            if (length < 0 || length > packet.length - pos) {
                throw malformed(packet, columns);
            }
            lengths[i] = length;
            offsets[i] = pos;
            pos += (int) length;
            total += (int) length;
        }
        if (pos != packet.length) {
            throw malformed(packet, columns);
        }
        byte[] values = new byte[total];
        int out = 0;
        for (int i = 0; i < columns; i++) {
            row.addLengths(lengths[i]);
            if (lengths[i] > 0) {
                System.arraycopy(packet, offsets[i], values, out, (int) lengths[i]);
                out += (int) lengths[i];
            }
        }
        // The array is never touched again, so the row may own it without a defensive copy.
        return row.setValues(UnsafeByteOperations.unsafeWrap(values)).build();
    }

    private static long readLe(byte[] b, int from, int bytes) {
        if (from + bytes > b.length) {
            return -1;
        }
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[from + i] & 0xff);
        }
        return v;
    }

    private static IllegalStateException malformed(byte[] packet, int columns) {
        return new IllegalStateException("row packet of " + packet.length + " bytes does not hold " + columns
                + " text-protocol values");
    }
}
