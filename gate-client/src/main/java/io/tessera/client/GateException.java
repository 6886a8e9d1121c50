package io.tessera.client;

import io.grpc.StatusRuntimeException;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.proto.vtrpc.Code;
import io.tessera.proto.vtrpc.RPCError;
import java.util.Objects;

/**
 * A statement or call that failed at the gate or below it, with everything the gate reported: the code to decide
 * on (retry, report...), the MySQL error number and SQLSTATE a MySQL client would have seen, and the id of the
 * Tessera error catalogue entry.
 *
 * <p>Decide by {@link #code()} or {@link #mysqlErrno()}, never by the message text.
 */
public final class GateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Code code;
    private final int mysqlErrno;
    private final String sqlState;
    private final String errorId;

    /** The error the gate described in {@code error}. */
    public GateException(RPCError error) {
        this(error, null);
    }

    private GateException(RPCError error, Throwable cause) {
        super(error.getMessage(), cause);
        this.code = error.getCode() == Code.UNRECOGNIZED ? Code.UNKNOWN : error.getCode();
        this.mysqlErrno = error.getMysqlErrno();
        this.sqlState = error.getSqlstate();
        this.errorId = error.getErrorId();
    }

    /**
     * The error a failed gRPC call ended with: the one the gate put in the call's trailer, or for a call that never
     * reached a gate (unreachable, cancelled, timed out) one whose code matches the gRPC status.
     */
    static GateException fromStatus(StatusRuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        return new GateException(GrpcErrors.fromStatus(failure).toRpcError(), failure);
    }

    /** The code to decide on (for example UNAVAILABLE: retry elsewhere; ALREADY_EXISTS: a duplicate key). */
    public Code code() {
        return code;
    }

    /** The MySQL error number (1062 for a duplicate key...); 0 when none applies. */
    public int mysqlErrno() {
        return mysqlErrno;
    }

    /** The five-character SQLSTATE that goes with {@link #mysqlErrno()}; empty when none applies. */
    public String sqlState() {
        return sqlState;
    }

    /** The Tessera error catalogue id ("TS0401"...), for reports and documentation look-ups; may be empty. */
    public String errorId() {
        return errorId;
    }

    @Override
    public String toString() {
        return "GateException[" + code + " " + mysqlErrno + " (" + sqlState + ") " + errorId + "]: " + getMessage();
    }
}
