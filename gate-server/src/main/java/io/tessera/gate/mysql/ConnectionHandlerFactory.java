package io.tessera.gate.mysql;

/** Opens the session of each client connection once the client authenticated. */
@FunctionalInterface
public interface ConnectionHandlerFactory {
    /**
     * The session of {@code client}. Throws a {@link io.tessera.common.errors.TesseraException} to refuse the
     * connection (for example error 1049 for an unknown database); the protocol layer sends it and closes.
     */
    ConnectionHandler open(ClientConnection client);
}
