package io.tessera.gate.mysql;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one packet payload: little-endian integers, length-encoded integers and strings. One builder per
 * connection is reused for every packet it sends, so writing a row allocates nothing once the buffer has grown.
 */
final class PacketBuilder {
    private byte[] buffer = new byte[256];
    private int length;

    PacketBuilder reset() {
        length = 0;
        // Give back memory a huge packet needed once, rather than keeping it for the life of the connection.
        if (buffer.length > 1 << 20) {
            buffer = new byte[256];
        }
        return this;
    }

    byte[] array() {
        return buffer;
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    private void ensure(int extra) {
        int needed = length + extra;
        if (needed < 0) {
            throw new IllegalStateException("packet larger than 2 GiB");
        }
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8,
                    buffer.length * 2L)));
        }
    }

    PacketBuilder int1(int v) {
        ensure(1);
        buffer[length++] = (byte) v;
        return this;
    }

    PacketBuilder int2(int v) {
        ensure(2);
        buffer[length++] = (byte) v;
        buffer[length++] = (byte) (v >>> 8);
        return this;
    }

    PacketBuilder int3(int v) {
        ensure(3);
        buffer[length++] = (byte) v;
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) (v >>> 16);
        return this;
    }

    PacketBuilder int4(long v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buffer[length++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    PacketBuilder int8(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buffer[length++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** A length-encoded integer; {@code v} is read as unsigned. */
    PacketBuilder lenencInt(long v) {
        if (v >= 0 && v < 251) {
            return int1((int) v);
        }
        if (v >= 0 && v < 1 << 16) {
            return int1(0xfc).int2((int) v);
        }
        if (v >= 0 && v < 1 << 24) {
            return int1(0xfd).int3((int) v);
        }
        return int1(0xfe).int8(v);
    }

    PacketBuilder bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    PacketBuilder bytes(byte[] b, int offset, int n) {
        ensure(n);
        System.arraycopy(b, offset, buffer, length, n);
        length += n;
        return this;
    }

    PacketBuilder bytes(ByteString b, int offset, int n) {
        ensure(n);
        b.substring(offset, offset + n).copyTo(buffer, length);
        length += n;
        return this;
    }

    PacketBuilder zeros(int n) {
        ensure(n);
        Arrays.fill(buffer, length, length + n, (byte) 0);
        length += n;
        return this;
    }

    PacketBuilder lenencBytes(byte[] b) {
        return lenencInt(b.length).bytes(b);
    }

    PacketBuilder lenencString(String s) {
        return lenencBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A string followed by a NUL. */
    PacketBuilder nulString(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8)).int1(0);
    }

    /** A string that runs to the end of the payload. */
    PacketBuilder string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
