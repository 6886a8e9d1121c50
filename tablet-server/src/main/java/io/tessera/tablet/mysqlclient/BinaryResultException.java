package io.tessera.tablet.mysqlclient;

/**
 * A prepared statement ran, but its result has a column whose values this client cannot render from the binary
 * protocol exactly as mysqld renders them as text (FLOAT, DOUBLE, fractional seconds without a fixed number of
 * digits: see {@link BinaryRows#supported}). The rows were read and dropped; the connection is ready for the next
 * command. The caller runs the statement as text instead.
 */
public final class BinaryResultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BinaryResultException(String message) {
        super(message);
    }
}
