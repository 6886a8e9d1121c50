package io.tessera.gate.mysql;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A client the gate authenticated: the user name it logged in with, the {@code UserData} and {@code Groups} of the
 * auth entry that matched (they become the caller id sent to tablets), and where it connected from.
 */
public record AuthenticatedUser(String user, String userData, List<String> groups, InetSocketAddress remote) {
    public AuthenticatedUser {
        groups = List.copyOf(groups);
    }
}
