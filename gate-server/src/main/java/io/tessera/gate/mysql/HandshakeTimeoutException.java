package io.tessera.gate.mysql;

/** The client did not finish authenticating within the handshake timeout. */
final class HandshakeTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HandshakeTimeoutException() {
        super("handshake timeout", null, false, false);
    }
}
