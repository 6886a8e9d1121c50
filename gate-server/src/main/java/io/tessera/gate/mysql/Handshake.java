package io.tessera.gate.mysql;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.auth.AuthPlugin;
import java.util.Arrays;

/**
 * The connection phase: sends the v10 greeting, reads the handshake response (after an SSL request and the TLS
 * upgrade, when the client asks for one) and authenticates the client through an {@link AuthExchange}. It ends
 * before the final OK, which the session sends once the handler above accepted the connection.
 */
final class Handshake {
    /** The outcome of a successful handshake. */
    record Login(AuthenticatedUser user, String database, int capabilities, int extendedCapabilities, boolean secure,
            byte[] salt) {
        /** Whether results carry the "metadata follows" byte and prepared statements may skip definitions. */
        boolean cacheMetadata() {
            return (extendedCapabilities & Protocol.MARIADB_CLIENT_CACHE_METADATA) != 0;
        }
    }

    private final PacketChannel channel;
    private final AuthExchange exchange;
    private final MysqlServerConfig config;
    private final AuthPlugin handshakePlugin;
    private final long connectionId;

    Handshake(PacketChannel channel, AuthExchange exchange, MysqlServerConfig config, AuthPlugin handshakePlugin,
            long connectionId) {
        this.channel = channel;
        this.exchange = exchange;
        this.config = config;
        this.handshakePlugin = handshakePlugin;
        this.connectionId = connectionId;
    }

    int serverCapabilities() {
        return Protocol.SERVER_CAPABILITIES | (config.tlsEnabled() ? Protocol.CLIENT_SSL : 0);
    }

    /**
     * Runs the handshake.
     *
     * @param deadlineNanos the {@link System#nanoTime()} by which the client must be authenticated
     * @throws HandshakeTimeoutException if it is not
     * @throws TesseraException ACCESS_DENIED for bad credentials, BAD_REQUEST for a plain connection when TLS is
     *     required
     * @throws MalformedPacketException for a broken response
     */
    Login run(long deadlineNanos) {
        byte[] salt = Salt.generate();
        sendGreeting(salt);
        byte[] payload = read(deadlineNanos);
        boolean secure = false;
        if (TlsRequestDetector.isSslRequest(payload)) {
            if (!config.tlsEnabled()) {
                throw new MalformedPacketException("SSL request, but the server did not offer TLS");
            }
            // The TlsRequestDetector has already put TLS in place; the real response comes encrypted.
            secure = true;
            payload = read(deadlineNanos);
        }
        HandshakeResponse response = HandshakeResponse.parse(payload);
        if (!secure && config.requireSecureTransport()) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "connections without TLS are refused "
                    + "(require secure transport is on); connect with TLS");
        }
        int capabilities = response.capabilities() & serverCapabilities();
        String plugin = (response.capabilities() & Protocol.CLIENT_PLUGIN_AUTH) != 0 ? response.authPlugin() : null;
        AuthenticatedUser user = exchange.authenticate(response.user(), plugin, response.authResponse(), salt,
                secure, deadlineNanos);
        int extended = response.extendedCapabilities() & Protocol.SERVER_EXTENDED_CAPABILITIES;
        return new Login(user, response.database(), capabilities, extended, secure, salt);
    }

    private void sendGreeting(byte[] salt) {
        int capabilities = serverCapabilities();
        channel.resetSequence();
        channel.send(channel.packet()
                .int1(10)
                .nulString(config.serverVersion())
                .int4(connectionId)
                .bytes(salt, 0, 8)
                .int1(0)
                .int2(capabilities & 0xffff)
                .int1(Protocol.COLLATION_UTF8MB4_GENERAL_CI)
                .int2(Protocol.SERVER_STATUS_AUTOCOMMIT)
                .int2(capabilities >>> 16)
                .int1(Salt.LENGTH + 1)
                .zeros(6)
                .int4(Protocol.SERVER_EXTENDED_CAPABILITIES)
                .bytes(Arrays.copyOfRange(salt, 8, Salt.LENGTH))
                .int1(0)
                .nulString(handshakePlugin.wireName()));
        channel.flush();
    }

    private byte[] read(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        byte[] payload = left > 0 ? channel.read(left) : null;
        if (payload == null) {
            throw new HandshakeTimeoutException();
        }
        return payload;
    }
}
