package io.tessera.gate.mysql;

/** The client announced a packet longer than the limit: the connection answers ERR 1153 and closes. */
final class PacketTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int limit;

    PacketTooLargeException(long length, int limit) {
        super("packet of " + length + " bytes exceeds the limit of " + limit);
        this.limit = limit;
    }

    int limit() {
        return limit;
    }
}
