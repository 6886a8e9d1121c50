package io.tessera.gate.mysql;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the gate's MySQL listener.
 *
 * @param bindAddress the address to listen on ({@code 0.0.0.0} for all)
 * @param port the TCP port; 0 picks a free one (see {@link MysqlServer#port()})
 * @param serverVersion the version the greeting announces (clients read features from it)
 * @param maxConnections the most connections open at once; 0 means no limit. Connections over the limit get
 *     ERR 1040 as their first packet
 * @param idleTimeout how long an authenticated connection may wait between commands before it is closed with
 *     ERR 4031; {@link Duration#ZERO} means forever
 * @param maxPacketBytes the largest command a client may send (MySQL's {@code max_allowed_packet}); also bounds
 *     the long data of one prepared statement
 * @param handshakeTimeout how long a client has from connecting to being authenticated
 * @param sslCert PEM certificate chain for TLS, or null for no TLS
 * @param sslKey PEM private key (PKCS#8) for TLS, or null for no TLS
 * @param requireSecureTransport refuse clients that do not switch to TLS
 */
public record MysqlServerConfig(String bindAddress, int port, String serverVersion, int maxConnections,
        Duration idleTimeout, int maxPacketBytes, Duration handshakeTimeout, Path sslCert, Path sslKey,
        boolean requireSecureTransport) {
    /** The MySQL port of a gate, as in Vitess. */
    public static final int DEFAULT_PORT = 15306;
    /** MySQL's own upper bound for {@code max_allowed_packet}. */
    public static final int MAX_PACKET_BYTES_LIMIT = 1 << 30;

    /** Validates the settings; see the component descriptions for the allowed values. */
    public MysqlServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (bindAddress.isBlank()) {
            throw new IllegalArgumentException("bindAddress must not be blank (use 0.0.0.0 for all addresses)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (serverVersion.isBlank() || serverVersion.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("serverVersion must be non-blank text without NUL");
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must be >= 0 (0 = unlimited), got " + maxConnections);
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative (0 = none)");
        }
        if (maxPacketBytes < 1024 || maxPacketBytes > MAX_PACKET_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxPacketBytes must be 1024.." + MAX_PACKET_BYTES_LIMIT + ", got "
                    + maxPacketBytes);
        }
        if (!handshakeTimeout.isPositive()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive");
        }
        if ((sslCert == null) != (sslKey == null)) {
            throw new IllegalArgumentException("sslCert and sslKey go together: give both or neither");
        }
        if (requireSecureTransport && sslCert == null) {
            throw new IllegalArgumentException("requireSecureTransport needs TLS: set sslCert and sslKey");
        }
    }

    /**
     * Port 15306 on all addresses, version {@code 8.0.40-Tessera}, no connection limit, no idle timeout, 64 MiB
     * packets, a 10 s handshake timeout and no TLS.
     */
    public static MysqlServerConfig defaults() {
        return new MysqlServerConfig("0.0.0.0", DEFAULT_PORT, "8.0.40-Tessera", 0, Duration.ZERO, 64 << 20,
                Duration.ofSeconds(10), null, null, false);
    }

    /** Whether TLS is configured. */
    public boolean tlsEnabled() {
        return sslCert != null;
    }

    /** The same settings listening on {@code address} and {@code newPort}. */
    public MysqlServerConfig withBindAddress(String address, int newPort) {
        return new MysqlServerConfig(address, newPort, serverVersion, maxConnections, idleTimeout, maxPacketBytes,
                handshakeTimeout, sslCert, sslKey, requireSecureTransport);
    }

    /** The same settings with another connection limit (0 = none). */
    public MysqlServerConfig withMaxConnections(int max) {
        return new MysqlServerConfig(bindAddress, port, serverVersion, max, idleTimeout, maxPacketBytes,
                handshakeTimeout, sslCert, sslKey, requireSecureTransport);
    }

    /** The same settings with another idle timeout ({@link Duration#ZERO} = none). */
    public MysqlServerConfig withIdleTimeout(Duration timeout) {
        return new MysqlServerConfig(bindAddress, port, serverVersion, maxConnections, timeout, maxPacketBytes,
                handshakeTimeout, sslCert, sslKey, requireSecureTransport);
    }

    /** The same settings with another packet size limit. */
    public MysqlServerConfig withMaxPacketBytes(int max) {
        return new MysqlServerConfig(bindAddress, port, serverVersion, maxConnections, idleTimeout, max,
                handshakeTimeout, sslCert, sslKey, requireSecureTransport);
    }

    /** The same settings with another handshake timeout. */
    public MysqlServerConfig withHandshakeTimeout(Duration timeout) {
        return new MysqlServerConfig(bindAddress, port, serverVersion, maxConnections, idleTimeout, maxPacketBytes,
                timeout, sslCert, sslKey, requireSecureTransport);
    }

    /** The same settings with TLS from {@code cert} and {@code key}, optionally refusing plain connections. */
    public MysqlServerConfig withTls(Path cert, Path key, boolean requireSecure) {
        return new MysqlServerConfig(bindAddress, port, serverVersion, maxConnections, idleTimeout, maxPacketBytes,
                handshakeTimeout, cert, key, requireSecure);
    }
}
