package io.tessera.tablet.flavor;

/**
 * The last error a replication thread stopped or retried on ({@code Last_IO_Errno}/{@code Last_IO_Error} and the
 * SQL thread's pair).
 *
 * @param errno the MySQL error number; 0 when there is no error
 * @param message the server's message; empty when there is no error
 */
public record ReplicationError(int errno, String message) {
    /** No error. */
    public static final ReplicationError NONE = new ReplicationError(0, "");

    public ReplicationError {
        if (message == null) {
            throw new IllegalArgumentException("an error message is empty rather than null");
        }
    }

    /** Returns true if there is an error. */
    public boolean isPresent() {
        return errno != 0 || !message.isEmpty();
    }

    @Override
    public String toString() {
        return isPresent() ? errno + ": " + message : "none";
    }
}
