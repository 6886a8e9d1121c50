package io.tessera.gate.mysql;

/** Opens the session of each client connection once the client authenticated. */
@FunctionalInterface
public interface ConnectionHandlerFactory {
    /**
     * The session of {@code client}. Throws a {@link io.tessera.common.errors.TesseraException} to refuse the
     * connection (for example error 1049 for an unknown database); the protocol layer sends it and closes.
     */
    ConnectionHandler open(ClientConnection client);

    /**
     * As {@link #open(ClientConnection)}, for a connection that {@code disconnect} closes, from any thread, as if
     * the client had gone (the handler is then closed as for any closed connection): what {@code KILL} of another
     * session needs. Factories that do not kill sessions ignore it.
     */
    default ConnectionHandler open(ClientConnection client, Runnable disconnect) {
        return open(client);
    }
}
