package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;

/** Reading and writing the protocol's basic types (length-encoded integers and strings, NUL-terminated strings). */
final class Wire {
    /** The first byte of a length-encoded value that means NULL. */
    static final int NULL_VALUE = 0xfb;

    private Wire() {}

    /** A length-encoded integer; fails on the NULL marker and on 0xFF, which no integer starts with. */
    static long readLenenc(ByteBuf buf) {
        int first = buf.readUnsignedByte();
        if (first < 0xfb) {
            return first;
        }
        return switch (first) {
            case 0xfc -> buf.readUnsignedShortLE();
            case 0xfd -> buf.readUnsignedMediumLE();
            case 0xfe -> buf.readLongLE();
            default -> throw new CorruptedFrameException(
                    "0x" + Integer.toHexString(first) + " does not start a length-encoded integer");
        };
    }

    /** Writes {@code n} as a length-encoded integer. */
    static void writeLenenc(ByteBuf buf, long n) {
        if (n < 0xfb) {
            buf.writeByte((int) n);
        } else if (n < 0x10000) {
            buf.writeByte(0xfc).writeShortLE((int) n);
        } else if (n < 0x1000000) {
            buf.writeByte(0xfd).writeMediumLE((int) n);
        } else {
            buf.writeByte(0xfe).writeLongLE(n);
        }
    }

    /** A length-encoded string decoded as UTF-8. */
    static String readLenencString(ByteBuf buf) {
        long length = readLenenc(buf);
        if (length < 0 || length > buf.readableBytes()) {
            throw new CorruptedFrameException("string of " + length + " bytes in " + buf.readableBytes());
        }
        return buf.readCharSequence((int) length, StandardCharsets.UTF_8).toString();
    }

    /** A NUL-terminated string decoded as UTF-8 (the rest of the buffer when the NUL is missing). */
    static String readNulString(ByteBuf buf) {
        int nul = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        int end = nul < 0 ? buf.writerIndex() : nul;
        String s = buf.readCharSequence(end - buf.readerIndex(), StandardCharsets.UTF_8).toString();
        if (nul >= 0) {
            buf.skipBytes(1);
        }
        return s;
    }

    /** The rest of the buffer as a UTF-8 string. */
    static String readRestString(ByteBuf buf) {
        return buf.readCharSequence(buf.readableBytes(), StandardCharsets.UTF_8).toString();
    }

    /** Writes {@code s} as UTF-8 followed by a NUL. */
    static void writeNulString(ByteBuf buf, String s) {
        buf.writeCharSequence(s, StandardCharsets.UTF_8);
        buf.writeByte(0);
    }
}
