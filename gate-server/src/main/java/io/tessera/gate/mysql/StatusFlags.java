package io.tessera.gate.mysql;

/** The status flags of OK and EOF packets, from the session's state. */
final class StatusFlags {
    private StatusFlags() {}

    static int of(ConnectionHandler handler, boolean moreResults) {
        int status = 0;
        if (handler.autocommit()) {
            status |= Protocol.SERVER_STATUS_AUTOCOMMIT;
        }
        if (handler.inTransaction()) {
            status |= Protocol.SERVER_STATUS_IN_TRANS;
        }
        if (moreResults) {
            status |= Protocol.SERVER_MORE_RESULTS_EXISTS;
        }
        return status;
    }
}
