package io.tessera.tablet.mysqlclient;

/**
 * MySQL answered with an ERR packet. The message is exactly the one MySQL sent; the connection stays usable.
 */
public final class MysqlServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String sqlState;

    /**
     * @param errno MySQL's error number (1064, 1045...)
     * @param sqlState the five-character SQLSTATE ({@code HY000} when the packet had none)
     * @param message the message as MySQL sent it
     */
    public MysqlServerException(int errno, String sqlState, String message) {
        super(message);
        this.errno = errno;
        this.sqlState = sqlState;
    }

    public int errno() {
        return errno;
    }

    public String sqlState() {
        return sqlState;
    }

    /** Errno and SQLSTATE as the mysql client prints them, then the message, for logs. */
    @Override
    public String toString() {
        return "MysqlServerException: ERROR " + errno + " (" + sqlState + "): " + getMessage();
    }
}
