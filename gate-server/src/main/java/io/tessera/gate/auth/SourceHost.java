package io.tessera.gate.auth;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;

/**
 * The client address an auth entry is limited to: {@code localhost} (any loopback address) or one IP address.
 * Host names are not resolved, so a login never waits on DNS.
 */
record SourceHost(String text, InetAddress address) {
    /** The restriction a {@code SourceHost} value names. */
    static SourceHost parse(String text) {
        if (text.equalsIgnoreCase("localhost")) {
            return new SourceHost(text, null);
        }
        if (!InetAddresses.isInetAddress(text)) {
            throw new IllegalArgumentException("SourceHost '" + text + "' is neither 'localhost' nor an IP address");
        }
        return new SourceHost(text, InetAddresses.forString(text));
    }

    boolean matches(InetAddress client) {
        if (client == null) {
            return false;
        }
        return address == null ? client.isLoopbackAddress() : address.equals(client);
    }
}
