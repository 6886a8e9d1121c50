package io.tessera.gate.auth;

import java.net.InetSocketAddress;

/**
 * Who may connect to the gate's MySQL port and with which password. The protocol layer runs the plugin exchange
 * with the client and hands each proof it receives to {@link #verify}; implementations only know users and
 * passwords, never packets.
 */
public sealed interface AuthServer extends AutoCloseable permits StaticAuthServer, NoneAuthServer {
    /** The plugin the server greeting names, which clients answer with unless they prefer their own. */
    default AuthPlugin handshakePlugin() {
        return AuthPlugin.MYSQL_NATIVE_PASSWORD;
    }

    /**
     * Checks {@code credential} for {@code user} connecting from {@code remote}.
     *
     * @return {@link Verification.Accepted} with the authenticated user, or {@link Verification.Unverifiable} when
     *     this form of proof cannot be checked against what is stored (only for caching_sha2 scrambles)
     * @throws io.tessera.common.errors.TesseraException {@link io.tessera.common.errors.ErrorKind#ACCESS_DENIED}
     *     for an unknown user, a wrong password or a client address the user may not connect from; the failure is
     *     counted in {@code tessera_gate_auth_failures_total{reason}}
     */
    Verification verify(String user, InetSocketAddress remote, Credential credential);

    /** Stops background work such as file reloading. The default does nothing. */
    @Override
    default void close() {}
}
