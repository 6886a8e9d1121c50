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

    /**
     * The code of any failure a command may meet: its own for a CtldException, the tablet's for a tablet-manager
     * error, the topology's mapping for a topology error; INTERNAL for anything unexpected.
     */
    public static Code codeOf(Throwable t) {
        return switch (t) {
            case CtldException e -> e.code();
            case io.tessera.tabletmanager.TabletManagerException e -> e.code();
            case io.tessera.topo.TopoException e -> e.rpcCode();
            case IllegalArgumentException e -> Code.INVALID_ARGUMENT;
            case io.grpc.StatusRuntimeException e -> Code.forNumber(e.getStatus().getCode().value());
            default -> Code.INTERNAL;
        };
    }
}
