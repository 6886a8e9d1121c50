package io.tessera.gate.mysql;

import io.tessera.gate.auth.AuthPlugin;
import io.tessera.gate.auth.AuthServer;
import io.tessera.gate.auth.Credential;
import io.tessera.gate.auth.Verification;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Runs the password-plugin conversation with a client after its handshake response or COM_CHANGE_USER:
 * <ul>
 *   <li>mysql_native_password: the scramble is checked as sent;
 *   <li>caching_sha2_password: checked directly when the stored password allows it (answered with "fast auth
 *       success"); otherwise, over TLS, the client is asked for full authentication and sends its password, and
 *       without TLS it is switched to mysql_native_password (the gate has no RSA key exchange);
 *   <li>mysql_clear_password: accepted over TLS only; without TLS, and for any plugin the gate does not know, the
 *       client is switched to mysql_native_password.
 * </ul>
 */
final class AuthExchange {
    /** How the client finally proved its password: the {@code method} label of the successes counter. */
    enum Method {
        NATIVE("mysql_native_password"),
        SHA2_FAST("caching_sha2_password_fast"),
        SHA2_FULL("caching_sha2_password_full"),
        CLEARTEXT("mysql_clear_password");

        final String label;

        Method(String label) {
            this.label = label;
        }
    }

    private final AuthServer auth;
    private final PacketChannel channel;
    private final ServerMetrics metrics;
    private final InetSocketAddress remote;

    AuthExchange(AuthServer auth, PacketChannel channel, ServerMetrics metrics, InetSocketAddress remote) {
        this.auth = auth;
        this.channel = channel;
        this.metrics = metrics;
        this.remote = remote;
    }

    /**
     * Authenticates {@code user}, whose client answered {@code salt} with {@code response} for {@code pluginName}
     * (null when it named none: protocol-41 clients without plugin support send a native scramble).
     *
     * @param secure whether the connection is encrypted
     * @param deadlineNanos the {@link System#nanoTime()} by which the client must have answered every request
     * @throws io.tessera.common.errors.TesseraException ACCESS_DENIED if the password is wrong
     * @throws HandshakeTimeoutException if the client is too slow
     */
    AuthenticatedUser authenticate(String user, String pluginName, byte[] response,
            byte[] salt, boolean secure, long deadlineNanos) {
        AuthPlugin plugin = pluginName == null ? AuthPlugin.MYSQL_NATIVE_PASSWORD
                : AuthPlugin.byWireName(pluginName).orElse(null);
        if (plugin == null || (plugin == AuthPlugin.MYSQL_CLEAR_PASSWORD && !secure)) {
            return switchToNative(user, deadlineNanos);
        }
        switch (plugin) {
            case MYSQL_NATIVE_PASSWORD -> {
                return accepted(auth.verify(user, remote, new Credential.NativeScramble(salt, response)),
                        Method.NATIVE);
            }
            case MYSQL_CLEAR_PASSWORD -> {
                return accepted(auth.verify(user, remote, new Credential.Cleartext(stripNul(response))),
                        Method.CLEARTEXT);
            }
            case CACHING_SHA2_PASSWORD -> {
                Credential.Sha2Scramble scramble = new Credential.Sha2Scramble(salt, response);
                Verification v = auth.verify(user, remote, scramble);
                if (v instanceof Verification.Accepted a) {
                    // As MySQL does, an empty password gets the OK directly: clients answer any further request
                    // of the plugin with another empty password.
                    if (scramble.passwordGiven()) {
                        channel.send(channel.packet().int1(Protocol.AUTH_MORE_DATA)
                                .int1(Protocol.SHA2_FAST_AUTH_SUCCESS));
                    }
                    metrics.authenticated(Method.SHA2_FAST.label);
                    return a.user();
                }
                if (!secure) {
                    return switchToNative(user, deadlineNanos);
                }
                channel.send(channel.packet().int1(Protocol.AUTH_MORE_DATA).int1(Protocol.SHA2_PERFORM_FULL_AUTH));
                channel.flush();
                byte[] password = stripNul(readAnswer(deadlineNanos));
                return accepted(auth.verify(user, remote, new Credential.Cleartext(password)), Method.SHA2_FULL);
            }
            default -> throw new IllegalStateException("unhandled plugin " + plugin);
        }
    }

    private AuthenticatedUser switchToNative(String user, long deadlineNanos)
            {
        byte[] salt = Salt.generate();
        channel.send(channel.packet().int1(Protocol.AUTH_SWITCH_HEADER)
                .nulString(AuthPlugin.MYSQL_NATIVE_PASSWORD.wireName()).bytes(salt).int1(0));
        channel.flush();
        byte[] response = readAnswer(deadlineNanos);
        return accepted(auth.verify(user, remote, new Credential.NativeScramble(salt, response)), Method.NATIVE);
    }

    private AuthenticatedUser accepted(Verification v, Method method) {
        if (v instanceof Verification.Accepted a) {
            metrics.authenticated(method.label);
            return a.user();
        }
        // Only caching_sha2 scrambles may be unverifiable, and those never reach here.
        throw new IllegalStateException("the auth server could not check a " + method.label + " answer");
    }

    private byte[] readAnswer(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        byte[] answer = left > 0 ? channel.read(left) : null;
        if (answer == null) {
            throw new HandshakeTimeoutException();
        }
        return answer;
    }

    private static byte[] stripNul(byte[] b) {
        return b.length > 0 && b[b.length - 1] == 0 ? Arrays.copyOf(b, b.length - 1) : b;
    }
}
