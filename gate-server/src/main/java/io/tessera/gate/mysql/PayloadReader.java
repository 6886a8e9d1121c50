package io.tessera.gate.mysql;

import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one packet payload (little-endian integers, length-encoded and NUL-terminated strings).
 * Reading past the end throws {@link MalformedPacketException}.
 */
final class PayloadReader {
    private final byte[] payload;
    private int position;

    PayloadReader(byte[] payload) {
        this(payload, 0);
    }

    PayloadReader(byte[] payload, int position) {
        this.payload = payload;
        this.position = position;
    }

    int remaining() {
        return payload.length - position;
    }

    boolean hasMore() {
        return position < payload.length;
    }

    private void need(int n, String what) {
        if (n < 0 || remaining() < n) {
            throw new MalformedPacketException("packet too short: " + what + " needs " + n + " bytes, "
                    + remaining() + " left");
        }
    }

    int int1() {
        need(1, "an int<1>");
        return payload[position++] & 0xff;
    }

    int int2() {
        need(2, "an int<2>");
        int v = (payload[position] & 0xff) | (payload[position + 1] & 0xff) << 8;
        position += 2;
        return v;
    }

    int int3() {
        need(3, "an int<3>");
        int v = (payload[position] & 0xff) | (payload[position + 1] & 0xff) << 8
                | (payload[position + 2] & 0xff) << 16;
        position += 3;
        return v;
    }

    long int4() {
        need(4, "an int<4>");
        long v = (payload[position] & 0xffL) | (payload[position + 1] & 0xffL) << 8
                | (payload[position + 2] & 0xffL) << 16 | (payload[position + 3] & 0xffL) << 24;
        position += 4;
        return v;
    }

    long int8() {
        need(8, "an int<8>");
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (payload[position + i] & 0xffL);
        }
        position += 8;
        return v;
    }

    /** A length-encoded integer; the NULL marker and 0xff are not valid here. */
    long lenencInt() {
        int first = int1();
        return switch (first) {
            case 0xfc -> int2();
            case 0xfd -> int3();
            case 0xfe -> int8();
            case 0xfb, 0xff -> throw new MalformedPacketException("invalid length-encoded integer prefix 0x"
                    + Integer.toHexString(first));
            default -> first;
        };
    }

    byte[] bytes(int n) {
        need(n, "a field");
        byte[] out = new byte[n];
        System.arraycopy(payload, position, out, 0, n);
        position += n;
        return out;
    }

    void skip(int n) {
        need(n, "skipped bytes");
        position += n;
    }

    byte[] lenencBytes() {
        long n = lenencInt();
        if (n > remaining()) {
            throw new MalformedPacketException("length-encoded string of " + n + " bytes but only " + remaining()
                    + " left");
        }
        return bytes((int) n);
    }

    /** The bytes up to the next NUL (which is consumed); a missing NUL is malformed. */
    byte[] nulBytes() {
        for (int i = position; i < payload.length; i++) {
            if (payload[i] == 0) {
                byte[] out = bytes(i - position);
                position++;
                return out;
            }
        }
        throw new MalformedPacketException("string is not NUL-terminated");
    }

    String nulString() {
        return new String(nulBytes(), StandardCharsets.UTF_8);
    }

    /** The bytes up to the next NUL, or to the end of the payload when there is no NUL. */
    String nulOrEndString() {
        int end = position;
        while (end < payload.length && payload[end] != 0) {
            end++;
        }
        String s = new String(payload, position, end - position, StandardCharsets.UTF_8);
        position = Math.min(end + 1, payload.length);
        return s;
    }

    byte[] rest() {
        return bytes(remaining());
    }

    /** The rest of the payload as statement text; binary literals survive (see {@link QueryText}). */
    String restQuery() {
        String s = QueryText.decode(payload, position, remaining());
        position = payload.length;
        return s;
    }

    String restString() {
        String s = new String(payload, position, remaining(), StandardCharsets.UTF_8);
        position = payload.length;
        return s;
    }
}
