package io.tessera.tablet.mysqlctl;

/**
 * A mysqld could not be started, stopped, reached or used as the tablet needs. The message says what went wrong
 * and, where the operator can fix it, what to change.
 */
public class MysqldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message meant for an operator. */
    public MysqldException(String message) {
        super(message);
    }

    /** Creates an exception with a message meant for an operator and the failure that caused it. */
    public MysqldException(String message, Throwable cause) {
        super(message, cause);
    }
}
