package io.tessera.tablet.mysqlctl;

import java.util.Objects;

/**
 * What a replica needs to replicate from a server: the values of {@code MASTER_HOST}, {@code MASTER_PORT},
 * {@code MASTER_USER} and {@code MASTER_PASSWORD} in {@code CHANGE MASTER TO}.
 */
public record ReplicationParams(String host, int port, String user, String password) {
    public ReplicationParams {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (host.isBlank()) {
            throw new IllegalArgumentException("replication host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("replication port " + port + " is not in 1..65535");
        }
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "ReplicationParams[" + user + "@" + host + ":" + port + "]";
    }
}
