package io.tessera.gate.mysql;

/**
 * A client sent something that is not a valid packet here: the connection answers ERR 1835 and closes, because
 * after a framing or sequence error nothing that follows can be trusted.
 */
final class MalformedPacketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedPacketException(String reason) {
        super(reason);
    }
}
