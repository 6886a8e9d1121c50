package io.tessera.common.errors;

import io.tessera.proto.vtrpc.Code;
import io.tessera.proto.vtrpc.RPCError;
import java.util.Objects;

/**
 * An error with a catalogue entry: the one exception type Tessera code throws for errors a caller may act on, and
 * the one a gRPC client turns a failed call back into (see {@link GrpcErrors}).
 *
 * <p>Callers decide by {@link #code()}; {@link #mysqlErrno()} and {@link #sqlState()} are what a MySQL client will
 * see, and for an error that came from MySQL they are MySQL's own, exactly.
 */
public final class TesseraException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final transient Code code;
    private final int mysqlErrno;
    private final String sqlState;
    private final String errorId;

    private TesseraException(ErrorKind kind, Code code, int mysqlErrno, String sqlState, String errorId,
            String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.code = Objects.requireNonNull(code, "code");
        this.mysqlErrno = mysqlErrno;
        this.sqlState = Objects.requireNonNull(sqlState, "sqlState");
        this.errorId = Objects.requireNonNull(errorId, "errorId");
        if (code == Code.OK || code == Code.UNRECOGNIZED) {
            throw new IllegalArgumentException("an error needs a failure code, got " + code);
        }
    }

    /**
     * The error of catalogue entry {@code kind}, its message formatted from {@code args}.
     *
     * @throws IllegalArgumentException for the passthrough kinds, which need {@link #mysql} or {@link #uncatalogued}
     */
    public static TesseraException of(ErrorKind kind, Object... args) {
        return withCause(kind, null, args);
    }

    /** As {@link #of}, keeping {@code cause} for the log. */
    public static TesseraException withCause(ErrorKind kind, Throwable cause, Object... args) {
        if (kind.isPassthrough()) {
            throw new IllegalArgumentException(kind + " carries its own code; use mysql() or uncatalogued()");
        }
        return new TesseraException(kind, kind.code(), kind.mysqlErrno(), kind.sqlState(), kind.id(),
                kind.format(args), cause);
    }

    /**
     * An error MySQL returned, passed on with its errno, SQLSTATE and message unchanged; the code is chosen from
     * the errno (see {@link MysqlErrors#codeFor}).
     */
    public static TesseraException mysql(int errno, String sqlState, String message, Throwable cause) {
        return new TesseraException(ErrorKind.MYSQL_ERROR, MysqlErrors.codeFor(errno, sqlState), errno,
                sqlState == null ? "" : sqlState, ErrorKind.MYSQL_ERROR.id(), message, cause);
    }

    /** An error received without a catalogue id known here; its code, errno and SQLSTATE are kept as given. */
    public static TesseraException uncatalogued(Code code, int errno, String sqlState, String errorId,
            String message, Throwable cause) {
        return new TesseraException(ErrorKind.UNCATALOGUED, code, errno, sqlState == null ? "" : sqlState,
                errorId == null || errorId.isEmpty() ? ErrorKind.UNCATALOGUED.id() : errorId, message, cause);
    }

    /** The error an {@link RPCError} describes: the catalogue entry it names, or else its fields as they are. */
    public static TesseraException fromRpcError(RPCError error, Throwable cause) {
        ErrorKind known = ErrorKind.byId(error.getErrorId()).orElse(null);
        Code code = error.getCode() == Code.OK || error.getCode() == Code.UNRECOGNIZED ? Code.UNKNOWN : error.getCode();
        if (known == ErrorKind.MYSQL_ERROR) {
            return new TesseraException(known, code, error.getMysqlErrno(), error.getSqlstate(), known.id(),
                    error.getMessage(), cause);
        }
        if (known != null && !known.isPassthrough()) {
            // The message is the sender's; the code and MySQL error are the catalogue's, which both sides share.
            return new TesseraException(known, known.code(), known.mysqlErrno(), known.sqlState(), known.id(),
                    error.getMessage(), cause);
        }
        return uncatalogued(code, error.getMysqlErrno(), error.getSqlstate(), error.getErrorId(), error.getMessage(),
                cause);
    }

    /** The catalogue entry; {@link ErrorKind#MYSQL_ERROR} or {@link ErrorKind#UNCATALOGUED} for passed-on errors. */
    public ErrorKind kind() {
        return kind;
    }

    /** The code to decide on. */
    public Code code() {
        return code;
    }

    /** The MySQL error number a MySQL client sees; 0 if none applies (the gate then picks one from the code). */
    public int mysqlErrno() {
        return mysqlErrno;
    }

    /** The SQLSTATE that goes with {@link #mysqlErrno()}; empty if none. */
    public String sqlState() {
        return sqlState;
    }

    /** The catalogue id as sent on the wire (for an uncatalogued error, whatever id the sender gave, if any). */
    public String errorId() {
        return errorId;
    }

    /** This error as the {@link RPCError} that carries it between processes. */
    public RPCError toRpcError() {
        return RPCError.newBuilder()
                .setCode(code)
                .setMessage(getMessage() == null ? "" : getMessage())
                .setMysqlErrno(mysqlErrno)
                .setSqlstate(sqlState)
                .setErrorId(errorId)
                .build();
    }

    @Override
    public String toString() {
        return "TesseraException[" + errorId + " " + code + " " + mysqlErrno + " (" + sqlState + ")]: "
                + getMessage();
    }
}
