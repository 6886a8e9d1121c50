package io.tessera.topo;

/**
 * A topology operation failed. Callers decide what to do by {@link #code()}, never by the message.
 */
public final class TopoException extends Exception {

    /** Why a topology operation failed. */
    public enum Code {
        /** The file (or, for a directory operation, the directory) does not exist. */
        NO_NODE,
        /** A create found the file already there. */
        NODE_EXISTS,
        /** A compare-and-set lost: the file's version is no longer the expected one. */
        BAD_VERSION,
        /** The operation did not finish in time (for a lock: it stayed held by someone else). */
        TIMEOUT,
        /** The calling thread was interrupted, or the operation was cancelled. */
        INTERRUPTED,
        /** A held lock's lease expired or was revoked: the holder must stop changing what it guards. */
        LOCK_LOST,
        /** The path or arguments are malformed. */
        INVALID_ARGUMENT,
        /** The backend could not be reached or failed unexpectedly. */
        UNAVAILABLE
    }

    private final Code code;
    private final String path;

    public TopoException(Code code, String path, String message) {
        super(message);
        this.code = code;
        this.path = path;
    }

    public TopoException(Code code, String path, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.path = path;
    }

    /** Why the operation failed. */
    public Code code() {
        return code;
    }

    /**
     * The RPC error code that reports this failure to a caller (vtrpc.proto): a missing record is NOT_FOUND, a lost
     * compare-and-set or lock is ABORTED, and so on. Daemons that turn topology failures into RPC errors use this one
     * mapping.
     */
    public io.tessera.proto.vtrpc.Code rpcCode() {
        return switch (code) {
            case NO_NODE -> io.tessera.proto.vtrpc.Code.NOT_FOUND;
            case NODE_EXISTS -> io.tessera.proto.vtrpc.Code.ALREADY_EXISTS;
            case BAD_VERSION, LOCK_LOST -> io.tessera.proto.vtrpc.Code.ABORTED;
            case TIMEOUT -> io.tessera.proto.vtrpc.Code.DEADLINE_EXCEEDED;
            case INTERRUPTED -> io.tessera.proto.vtrpc.Code.CANCELED;
            case INVALID_ARGUMENT -> io.tessera.proto.vtrpc.Code.INVALID_ARGUMENT;
            case UNAVAILABLE -> io.tessera.proto.vtrpc.Code.UNAVAILABLE;
        };
    }

    /** The topology path the operation was about (may be empty). */
    public String path() {
        return path;
    }

    public boolean is(Code c) {
        return code == c;
    }

    public static TopoException noNode(String path) {
        return new TopoException(Code.NO_NODE, path, "node doesn't exist: " + path);
    }

    public static TopoException nodeExists(String path) {
        return new TopoException(Code.NODE_EXISTS, path, "node already exists: " + path);
    }

    public static TopoException badVersion(String path) {
        return new TopoException(Code.BAD_VERSION, path, "bad node version: " + path);
    }

    /**
     * The error for an interrupted wait. It also restores the thread's interrupt flag, because every caller
     * creates it right after catching {@link InterruptedException}, which clears the flag.
     */
    public static TopoException interrupted(String path) {
        Thread.currentThread().interrupt();
        return new TopoException(Code.INTERRUPTED, path, "interrupted: " + path);
    }
}
