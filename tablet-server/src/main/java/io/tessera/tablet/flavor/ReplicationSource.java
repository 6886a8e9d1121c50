package io.tessera.tablet.flavor;

import java.time.Duration;

/**
 * Where a replica replicates from, and how it connects.
 *
 * @param host the source's MySQL host name or address
 * @param port the source's MySQL port
 * @param user the replication user on the source
 * @param password that user's password
 * @param connectRetry how long the replica waits between connection attempts; at least one second, sent in
 *     whole seconds (rounded up)
 * @param heartbeatInterval how often the source sends a heartbeat when idle, with millisecond precision;
 *     {@link Duration#ZERO} keeps the server's default
 */
public record ReplicationSource(String host, int port, String user, String password, Duration connectRetry,
        Duration heartbeatInterval) {

    public ReplicationSource {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a replication source needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a replication source port is between 1 and 65535, got " + port);
        }
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("a replication source needs a user");
        }
        if (password == null) {
            throw new IllegalArgumentException("a replication source needs a password (possibly empty), got null");
        }
        if (connectRetry == null || connectRetry.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the connect retry interval is at least one second, got "
                    + connectRetry);
        }
        if (heartbeatInterval == null || heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException("the heartbeat interval is zero (server default) or positive, got "
                    + heartbeatInterval);
        }
    }

    /** A source with the given connect retry interval and the server's default heartbeat interval. */
    public static ReplicationSource of(String host, int port, String user, String password, Duration connectRetry) {
        return new ReplicationSource(host, port, user, password, connectRetry, Duration.ZERO);
    }

    /** Leaves the password out, so that a source can be logged. */
    @Override
    public String toString() {
        return "ReplicationSource[" + user + "@" + host + ":" + port + ", connectRetry=" + connectRetry
                + ", heartbeatInterval=" + heartbeatInterval + "]";
    }
}
