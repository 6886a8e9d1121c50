package io.tessera.gate.mysql;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;

/**
 * The errno, SQLSTATE and message of an ERR packet. A {@link TesseraException} keeps its own (errno 1105 and
 * SQLSTATE HY000 stand in when it has none); any other exception is an internal error, 1105 HY000.
 */
record MysqlError(int errno, String sqlState, String message) {
    private static final int ER_UNKNOWN_ERROR = 1105;

    static MysqlError of(Throwable t) {
        if (t instanceof TesseraException e) {
            return new MysqlError(e.mysqlErrno() == 0 ? ER_UNKNOWN_ERROR : e.mysqlErrno(),
                    e.sqlState().length() == 5 ? e.sqlState() : "HY000",
                    e.getMessage() == null ? e.kind().name() : e.getMessage());
        }
        return of(TesseraException.withCause(ErrorKind.INTERNAL, t, String.valueOf(t)));
    }

    static MysqlError of(ErrorKind kind, Object... args) {
        return of(TesseraException.of(kind, args));
    }
}
