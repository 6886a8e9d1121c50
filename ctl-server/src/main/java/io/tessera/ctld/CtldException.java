package io.tessera.ctld;

import io.tessera.proto.vtrpc.Code;

/**
 * A control-daemon command failed. The {@link #code() code} says what kind of failure it is (bad input, a missing
 * record, a refused precondition, an unreachable tablet); callers and the gRPC adapter decide by the code, never by
 * the message. The message is a full sentence that says what was wrong and, where it helps, what to do.
 */
public final class CtldException extends RuntimeException {
    private final Code code;

    /** A failure of kind {@code code}. */
    public CtldException(Code code, String message) {
        this(code, message, null);
    }

    /** A failure of kind {@code code} caused by {@code cause}. */
    public CtldException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Bad input: a malformed alias or shard name, a missing argument, an invalid VSchema. */
    public static CtldException invalidArgument(String message) {
        return new CtldException(Code.INVALID_ARGUMENT, message);
    }

    /** A keyspace, shard or tablet that the command needs does not exist. */
    public static CtldException notFound(String message) {
        return new CtldException(Code.NOT_FOUND, message);
    }

    /** The record the command would create exists already. */
    public static CtldException alreadyExists(String message) {
        return new CtldException(Code.ALREADY_EXISTS, message);
    }

    /** The cluster is not in a state where the command is safe (for example, a reparent would lose writes). */
    public static CtldException failedPrecondition(String message) {
        return new CtldException(Code.FAILED_PRECONDITION, message);
    }

    /** The command did not finish in time. */
    public static CtldException deadlineExceeded(String message) {
        return new CtldException(Code.DEADLINE_EXCEEDED, message);
    }

    /** Something broke that the caller could not have prevented. */
    public static CtldException internal(String message, Throwable cause) {
        return new CtldException(Code.INTERNAL, message, cause);
    }

    /** What kind of failure this is. */
    public Code code() {
        return code;
    }
}
