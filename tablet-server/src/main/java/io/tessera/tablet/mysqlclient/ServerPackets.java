package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Decoding of the generic response packets: OK, EOF, ERR, and column definitions. */
final class ServerPackets {
    static final int OK = 0x00;
    static final int EOF = 0xfe;
    static final int ERR = 0xff;
    /** An old-style EOF packet is shorter than this; so is no row or OK that starts with 0xFE. */
    private static final int MAX_EOF_LENGTH = 9;

    private ServerPackets() {}

    /** An OK packet (header 0x00, or 0xFE when it ends a result set under DEPRECATE_EOF). */
    record Ok(long affectedRows, long lastInsertId, int statusFlags, int warnings) {}

    static Ok ok(ByteBuf p) {
        p.skipBytes(1);
        long affected = Wire.readLenenc(p);
        long insertId = Wire.readLenenc(p);
        int status = p.readUnsignedShortLE();
        int warnings = p.readUnsignedShortLE();
        return new Ok(affected, insertId, status, warnings);
    }

    /** An old-style EOF packet, as an OK with no affected rows. */
    static Ok eof(ByteBuf p) {
        p.skipBytes(1);
        int warnings = p.readUnsignedShortLE();
        int status = p.readUnsignedShortLE();
        return new Ok(0, 0, status, warnings);
    }

    /** True if {@code p} is an old-style EOF packet (rather than a row or OK that happens to start with 0xFE). */
    static boolean isEof(ByteBuf p) {
        return p.getUnsignedByte(p.readerIndex()) == EOF && p.readableBytes() < MAX_EOF_LENGTH;
    }

    /**
     * True if {@code p} ends a result set: an EOF, or under DEPRECATE_EOF an OK with header 0xFE. A row starting
     * with 0xFE holds a value of at least 2^24 bytes, so it spans more than one packet, which an OK never does.
     */
    static boolean isEndOfRows(ByteBuf p) {
        return p.getUnsignedByte(p.readerIndex()) == EOF && p.readableBytes() < PacketDecoder.MAX_PAYLOAD;
    }

    static MysqlServerException err(ByteBuf p) {
        p.skipBytes(1);
        int errno = p.readUnsignedShortLE();
        String state = "HY000";
        if (p.isReadable() && p.getByte(p.readerIndex()) == '#') {
            p.skipBytes(1);
            state = p.readCharSequence(5, StandardCharsets.US_ASCII).toString();
        }
        return new MysqlServerException(errno, state, Wire.readRestString(p));
    }

    static ColumnDefinition column(ByteBuf p) {
        String catalog = Wire.readLenencString(p);
        String schema = Wire.readLenencString(p);
        String table = Wire.readLenencString(p);
        String orgTable = Wire.readLenencString(p);
        String name = Wire.readLenencString(p);
        String orgName = Wire.readLenencString(p);
        Wire.readLenenc(p); // length of the fixed-size fields, always 0x0c
        int collation = p.readUnsignedShortLE();
        long length = p.readUnsignedIntLE();
        int type = p.readUnsignedByte();
        int flags = p.readUnsignedShortLE();
        int decimals = p.readUnsignedByte();
        return new ColumnDefinition(catalog, schema, table, orgTable, name, orgName, collation, length, type, flags,
                decimals);
    }
}
