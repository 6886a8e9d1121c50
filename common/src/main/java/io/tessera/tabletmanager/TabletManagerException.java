package io.tessera.tabletmanager;

import io.tessera.proto.vtrpc.Code;
import io.tessera.proto.vtrpc.RPCError;
import java.util.Objects;

/**
 * A {@link TabletManagerClient} call failed. The {@link #code()} says what kind of failure it is; callers decide
 * by it and never by the message, which is for people. An error that came from MySQL also carries its errno and
 * SQLSTATE.
 *
 * <p>The same exception comes out of the real tablet manager and out of the gRPC client: the server side sends
 * code, message, errno and SQLSTATE in the call's status, and the client rebuilds the exception from them.
 */
public final class TabletManagerException extends RuntimeException {
    private final Code code;
    private final int mysqlErrno;
    private final String sqlState;

    /**
     * @param code the failure class; never {@code OK}
     * @param message what went wrong and, where it helps, what to do
     * @param mysqlErrno the MySQL error number, or 0 when the error did not come from MySQL
     * @param sqlState the SQLSTATE matching {@code mysqlErrno}, or empty
     * @param cause the underlying failure, or null
     */
    public TabletManagerException(Code code, String message, int mysqlErrno, String sqlState, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        if (code == Code.OK || code == Code.UNRECOGNIZED) {
            throw new IllegalArgumentException("a failure needs a failure code, got " + code);
        }
        this.mysqlErrno = mysqlErrno;
        this.sqlState = sqlState == null ? "" : sqlState;
    }

    public TabletManagerException(Code code, String message) {
        this(code, message, 0, "", null);
    }

    public TabletManagerException(Code code, String message, Throwable cause) {
        this(code, message, 0, "", cause);
    }

    public static TabletManagerException invalidArgument(String message) {
        return new TabletManagerException(Code.INVALID_ARGUMENT, message);
    }

    public static TabletManagerException failedPrecondition(String message) {
        return new TabletManagerException(Code.FAILED_PRECONDITION, message);
    }

    public static TabletManagerException deadlineExceeded(String message) {
        return new TabletManagerException(Code.DEADLINE_EXCEEDED, message);
    }

    public static TabletManagerException unavailable(String message, Throwable cause) {
        return new TabletManagerException(Code.UNAVAILABLE, message, cause);
    }

    public static TabletManagerException internal(String message, Throwable cause) {
        return new TabletManagerException(Code.INTERNAL, message, cause);
    }

    /** The failure class. */
    public Code code() {
        return code;
    }

    /** The MySQL error number, or 0 when the error did not come from MySQL. */
    public int mysqlErrno() {
        return mysqlErrno;
    }

    /** The SQLSTATE that goes with {@link #mysqlErrno()}, or empty. */
    public String sqlState() {
        return sqlState;
    }

    /** The error as it travels between Tessera processes. */
    public RPCError toRpcError() {
        return RPCError.newBuilder().setCode(code).setMessage(String.valueOf(getMessage()))
                .setMysqlErrno(mysqlErrno).setSqlstate(sqlState).build();
    }

    /** Rebuilds an exception from an {@link RPCError}, keeping its code, message, errno and SQLSTATE. */
    public static TabletManagerException fromRpcError(RPCError error, Throwable cause) {
        Code code = error.getCode() == Code.OK || error.getCode() == Code.UNRECOGNIZED ? Code.UNKNOWN
                : error.getCode();
        return new TabletManagerException(code, error.getMessage(), error.getMysqlErrno(), error.getSqlstate(), cause);
    }
}
