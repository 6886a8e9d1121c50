package io.tessera.gate.mysql;

/** The socket closed (by the client, the server shutting down, or an I/O error): the session just ends. */
final class ConnectionClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConnectionClosedException() {
        super("connection closed", null, false, false);
    }
}
