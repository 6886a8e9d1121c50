package io.tessera.gate.auth;

import io.tessera.gate.mysql.AuthenticatedUser;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Lets every user in with any password: for tests and trusted networks only (the equivalent of Vitess's
 * {@code --mysql_auth_server_impl none}). The user's {@code UserData} is its user name and it has no groups.
 */
public final class NoneAuthServer implements AuthServer {
    /** An auth server that accepts everyone. */
    public NoneAuthServer() {}

    @Override
    public Verification verify(String user, InetSocketAddress remote, Credential credential) {
        return new Verification.Accepted(new AuthenticatedUser(user, user, List.of(), remote));
    }
}
