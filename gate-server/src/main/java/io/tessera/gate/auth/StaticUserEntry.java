package io.tessera.gate.auth;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One entry of a user in the static auth file: one password (in clear or as a native hash) with the identity it
 * grants. A user with several entries can log in with any of their passwords.
 *
 * @param password the plaintext password; empty when only a hash is stored or there is no password
 * @param nativeStage2 {@code SHA1(SHA1(password))} from {@code MysqlNativePassword}, or null
 * @param userData the identity sent to tablets
 * @param sourceHost the only client address this entry matches, or null for any
 * @param groups the user's groups
 */
record StaticUserEntry(String password, byte[] nativeStage2, String userData, SourceHost sourceHost,
        List<String> groups) {
    StaticUserEntry {
        groups = List.copyOf(groups);
    }

    /** An empty password and no hash: the user logs in without a password. */
    boolean noPassword() {
        return password.isEmpty() && nativeStage2 == null;
    }

    boolean hasPlaintext() {
        return !password.isEmpty();
    }

    byte[] passwordBytes() {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /** The stage-2 hash to check native scrambles against: the stored one, else one computed from the password. */
    byte[] stage2() {
        return nativeStage2 != null ? nativeStage2 : PasswordHashes.nativeStage2(passwordBytes());
    }

    boolean allows(InetAddress client) {
        return sourceHost == null || sourceHost.matches(client);
    }
}
