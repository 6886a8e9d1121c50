package io.tessera.tablet.mysqlclient;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * The server's initial handshake (protocol version 10).
 *
 * @param serverVersion as announced ({@code 5.5.5-10.11...-MariaDB} for MariaDB)
 * @param connectionId the thread id of the new connection on mysqld
 * @param seed the auth plugin data (20 bytes for mysql_native_password)
 * @param capabilities the server's capability flags, MariaDB's extended ones in the upper 32 bits
 * @param collationId the server's default collation
 * @param statusFlags the server status
 * @param authPlugin the auth plugin the server proposes
 */
record Handshake(String serverVersion, long connectionId, byte[] seed, long capabilities, int collationId,
        int statusFlags, String authPlugin) {
    private static final int PROTOCOL_VERSION = 10;

    static Handshake decode(ByteBuf p) {
        int protocol = p.readUnsignedByte();
        if (protocol != PROTOCOL_VERSION) {
            throw new CorruptedFrameException("handshake protocol version " + protocol + ", only 10 is supported");
        }
        String version = Wire.readNulString(p);
        long connectionId = p.readUnsignedIntLE();
        byte[] seed1 = new byte[8];
        p.readBytes(seed1);
        p.skipBytes(1);
        long capabilities = p.readUnsignedShortLE();
        int collation = p.readUnsignedByte();
        int status = p.readUnsignedShortLE();
        capabilities |= (long) p.readUnsignedShortLE() << 16;
        int authDataLength = p.readUnsignedByte();
        // 6 reserved bytes, then 4 more that MariaDB uses for its extended capabilities (when CLIENT_MYSQL is clear).
        p.skipBytes(6);
        long extended = p.readUnsignedIntLE();
        if ((capabilities & Capabilities.CLIENT_MYSQL) == 0) {
            capabilities |= extended << 32;
        }
        byte[] seed = seed1;
        if ((capabilities & Capabilities.SECURE_CONNECTION) != 0) {
            int length = Math.max(13, authDataLength - 8);
            byte[] seed2 = new byte[length];
            p.readBytes(seed2);
            // The second part ends with a NUL that is not part of the seed.
            int used = seed2[length - 1] == 0 ? length - 1 : length;
            seed = new byte[8 + used];
            System.arraycopy(seed1, 0, seed, 0, 8);
            System.arraycopy(seed2, 0, seed, 8, used);
        }
        String plugin = (capabilities & Capabilities.PLUGIN_AUTH) != 0 && p.isReadable()
                ? Wire.readNulString(p) : NativePassword.PLUGIN;
        return new Handshake(version, connectionId, seed, capabilities, collation, status, plugin);
    }
}
