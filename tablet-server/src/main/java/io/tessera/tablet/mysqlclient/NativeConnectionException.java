package io.tessera.tablet.mysqlclient;

/**
 * A native connection could not be opened, failed (I/O error, protocol error, mysqld went away) or was closed. The
 * connection is closed; the message says what went wrong, and when mysqld refused the login the cause is the
 * {@link MysqlServerException} it sent (errno 1045 for a wrong password).
 */
public final class NativeConnectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean responseStarted;

    public NativeConnectionException(String message, boolean responseStarted) {
        super(message);
        this.responseStarted = responseStarted;
    }

    public NativeConnectionException(String message, boolean responseStarted, Throwable cause) {
        super(message, cause);
        this.responseStarted = responseStarted;
    }

    /**
     * Whether any byte of the response to the failed command had arrived. False means the command may not have
     * reached mysqld, or mysqld did not answer it at all; always false for a failure to connect.
     */
    public boolean responseStarted() {
        return responseStarted;
    }
}
