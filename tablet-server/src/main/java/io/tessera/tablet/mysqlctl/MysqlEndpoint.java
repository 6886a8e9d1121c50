package io.tessera.tablet.mysqlctl;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a mysqld listens: a TCP address, a unix socket, or both.
 *
 * @param host the TCP host others use to reach the server; empty when only a socket is known
 * @param port the TCP port; 0 when only a socket is known
 * @param unixSocket the unix socket, when the server is on this machine and the socket is known
 */
public record MysqlEndpoint(String host, int port, Optional<Path> unixSocket) {
    /**
     * The longest unix socket path the kernel accepts ({@code sun_path} is 108 bytes including the final NUL).
     */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    public MysqlEndpoint {
        Objects.requireNonNull(host, "host (use \"\" for none)");
        Objects.requireNonNull(unixSocket, "unixSocket");
        boolean hasTcp = !host.isBlank();
        if (hasTcp && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("MySQL port " + port + " for host " + host + " is not in 1..65535");
        }
        if (!hasTcp && port != 0) {
            throw new IllegalArgumentException("MySQL port " + port + " given without a host");
        }
        if (!hasTcp && unixSocket.isEmpty()) {
            throw new IllegalArgumentException("a MySQL endpoint needs a host and port, a unix socket, or both");
        }
        unixSocket.ifPresent(MysqlEndpoint::checkSocketPath);
    }

    /** A TCP endpoint. */
    public static MysqlEndpoint tcp(String host, int port) {
        return new MysqlEndpoint(host, port, Optional.empty());
    }

    /** A server on this machine reachable both over TCP and through its unix socket. */
    public static MysqlEndpoint tcpAndSocket(String host, int port, Path socket) {
        return new MysqlEndpoint(host, port, Optional.of(socket));
    }

    /** True when the endpoint has a TCP address. */
    public boolean hasTcp() {
        return !host.isBlank();
    }

    /** {@code host:port}, or the socket path when there is no TCP address; for messages. */
    public String describe() {
        if (hasTcp()) {
            return host + ":" + port;
        }
        return unixSocket.orElseThrow().toString();
    }

    /**
     * Checks that {@code socket} is usable as a unix socket path, so a bad path fails with a clear message
     * instead of a cryptic error from mysqld or the driver.
     */
    static void checkSocketPath(Path socket) {
        String text = socket.toString();
        int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException("unix socket path " + text + " is " + bytes
                    + " bytes long; the limit is " + MAX_SOCKET_PATH_BYTES + ": use a shorter data root");
        }
        // The path travels in a JDBC URL option, which the driver splits on these characters without decoding.
        for (char c : new char[] {'&', '?', '=', '#', ';'}) {
            if (text.indexOf(c) >= 0) {
                throw new IllegalArgumentException(
                        "unix socket path " + text + " contains '" + c + "'; use a path without & ? = # ;");
            }
        }
    }
}
