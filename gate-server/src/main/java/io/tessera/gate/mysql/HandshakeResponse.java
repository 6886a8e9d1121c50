package io.tessera.gate.mysql;

/**
 * The client's protocol-41 handshake response.
 *
 * @param capabilities the client's capability flags
 * @param user the user name
 * @param authResponse the plugin's answer to the greeting's salt
 * @param database the database to start in, empty for none
 * @param authPlugin the plugin {@code authResponse} is for; null when the client does not name one
 * @param extendedCapabilities MariaDB's extended capabilities the client asks for (0 from a client that sets
 *     CLIENT_LONG_PASSWORD, which is how MySQL clients and MariaDB clients that do not use them say so)
 */
record HandshakeResponse(int capabilities, String user, byte[] authResponse, String database, String authPlugin,
        int extendedCapabilities) {
    /**
     * Parses a handshake response.
     *
     * @throws MalformedPacketException if it is truncated or not protocol 4.1
     */
    static HandshakeResponse parse(byte[] payload) {
        PayloadReader r = new PayloadReader(payload);
        int capabilities = (int) r.int4();
        if ((capabilities & Protocol.CLIENT_PROTOCOL_41) == 0) {
            throw new MalformedPacketException("the client does not speak protocol 4.1");
        }
        r.int4(); // max packet size: the gate keeps its own limit
        r.int1(); // collation: results are utf8mb4 whatever the client asks
        r.skip(19);
        int extended = (int) r.int4();
        if ((capabilities & Protocol.CLIENT_LONG_PASSWORD) != 0) {
            extended = 0;
        }
        String user = r.nulString();
        byte[] auth;
        if ((capabilities & Protocol.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            auth = r.lenencBytes();
        } else if ((capabilities & Protocol.CLIENT_SECURE_CONNECTION) != 0) {
            auth = r.bytes(r.int1());
        } else {
            auth = r.nulBytes();
        }
        String database = "";
        if ((capabilities & Protocol.CLIENT_CONNECT_WITH_DB) != 0 && r.hasMore()) {
            database = r.nulOrEndString();
        }
        String plugin = null;
        if ((capabilities & Protocol.CLIENT_PLUGIN_AUTH) != 0 && r.hasMore()) {
            plugin = r.nulOrEndString();
        }
        if ((capabilities & Protocol.CLIENT_CONNECT_ATTRS) != 0 && r.hasMore()) {
            // Attributes are not used, but a length that runs past the packet is still a broken packet.
            long length = r.lenencInt();
            if (length > r.remaining()) {
                throw new MalformedPacketException("connection attributes run past the end of the packet");
            }
        }
        return new HandshakeResponse(capabilities, user, auth, database, plugin, extended);
    }
}
