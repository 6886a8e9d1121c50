package io.tessera.gate.auth;

import java.util.Optional;

/** The MySQL authentication plugins the gate speaks, by the names clients use for them on the wire. */
public enum AuthPlugin {
    /** SHA-1 challenge/response; what the gate's handshake asks for first. */
    MYSQL_NATIVE_PASSWORD("mysql_native_password"),
    /** SHA-256 challenge/response (the MySQL 8 default); full authentication sends the password over TLS. */
    CACHING_SHA2_PASSWORD("caching_sha2_password"),
    /** The password itself; accepted only over TLS. */
    MYSQL_CLEAR_PASSWORD("mysql_clear_password");

    private final String wireName;

    AuthPlugin(String wireName) {
        this.wireName = wireName;
    }

    /** The plugin's name as it appears in handshake and auth-switch packets. */
    public String wireName() {
        return wireName;
    }

    /** The plugin a client named, if the gate knows it. */
    public static Optional<AuthPlugin> byWireName(String name) {
        for (AuthPlugin p : values()) {
            if (p.wireName.equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
