package io.tessera.tablet.flavor;

import java.util.Locale;

/**
 * The state of a replication thread, with the numbers the replication protos use ({@code io_state},
 * {@code sql_state}).
 */
public enum ReplicationState {
    /** The server reported something this flavor layer does not know. */
    UNKNOWN(0),
    /** The thread is not running. */
    STOPPED(1),
    /** The IO thread is trying to connect to its source. */
    CONNECTING(2),
    /** The thread is running (for the IO thread: connected). */
    RUNNING(3);

    private final int protoValue;

    ReplicationState(int protoValue) {
        this.protoValue = protoValue;
    }

    /** The number carried in {@code replicationdata.Status}. */
    public int protoValue() {
        return protoValue;
    }

    /**
     * Reads a {@code Slave_IO_Running}/{@code Replica_SQL_Running} column: {@code Yes}, {@code No},
     * {@code Connecting}, or MariaDB's {@code Preparing} (the IO thread setting up a connection).
     */
    static ReplicationState fromColumn(String value) {
        return switch (value == null ? "" : value.strip().toLowerCase(Locale.ROOT)) {
            case "yes" -> RUNNING;
            case "no" -> STOPPED;
            case "connecting", "preparing" -> CONNECTING;
            default -> UNKNOWN;
        };
    }
}
