package io.tessera.gate.mysql;

/**
 * A COM_CHANGE_USER request (after the command byte).
 *
 * @param authPlugin the plugin {@code authResponse} is for; null when the client names none
 */
record ChangeUserRequest(String user, byte[] authResponse, String database, String authPlugin) {
    static ChangeUserRequest parse(PayloadReader r, int capabilities) {
        String user = r.nulString();
        byte[] auth = (capabilities & Protocol.CLIENT_SECURE_CONNECTION) != 0 ? r.bytes(r.int1()) : r.nulBytes();
        String database = r.hasMore() ? r.nulOrEndString() : "";
        if (r.remaining() >= 2) {
            r.int2(); // collation
        }
        String plugin = null;
        if ((capabilities & Protocol.CLIENT_PLUGIN_AUTH) != 0 && r.hasMore()) {
            plugin = r.nulOrEndString();
        }
        return new ChangeUserRequest(user, auth, database, plugin);
    }
}
