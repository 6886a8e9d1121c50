package io.tessera.tablet.queryservice;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.regex.Pattern;

/**
 * Turns JDBC failures into catalogue errors. A MySQL error keeps its errno, SQLSTATE and message exactly (minus the
 * driver's {@code (conn=N)} prefix); a failure to reach mysqld becomes {@link ErrorKind#MYSQLD_DOWN}.
 */
final class SqlErrors {
    private static final Pattern CONN_PREFIX = Pattern.compile("^\\(conn=\\d+\\) ");

    private final String tablet;

    SqlErrors(String tablet) {
        this.tablet = tablet;
    }

    /** The error for a failed statement. */
    TesseraException translate(SQLException e) {
        if (isConnectionFailure(e)) {
            return TesseraException.withCause(ErrorKind.MYSQLD_DOWN, e, tablet, message(e));
        }
        if (e.getErrorCode() > 0) {
            return TesseraException.mysql(e.getErrorCode(), e.getSQLState(), message(e), e);
        }
        return TesseraException.withCause(ErrorKind.INTERNAL, e, "JDBC: " + message(e));
    }

    /** The error for a connection that could not be borrowed from {@code pool} in time. */
    TesseraException borrowFailure(SQLException e, ConnectionPools.Pool pool, ConnectionPools pools,
            int capacity) {
        if (pools.isClosed()) {
            return TesseraException.withCause(ErrorKind.NOT_SERVING, e, tablet, "the query service is shut down");
        }
        if (e instanceof SQLTransientConnectionException && e.getCause() == null && e.getErrorCode() == 0) {
            // HikariCP's own timeout with no connection failure behind it: every connection was busy.
            if (pool == ConnectionPools.Pool.TRANSACTION) {
                return TesseraException.withCause(ErrorKind.TX_POOL_FULL, e, capacity, tablet,
                        human(pools.waitTimeout(pool)));
            }
            return TesseraException.withCause(ErrorKind.QUERY_POOL_FULL, e, pool.label(), tablet,
                    human(pools.waitTimeout(pool)));
        }
        Throwable cause = e.getCause() instanceof SQLException s ? s : e;
        return TesseraException.withCause(ErrorKind.MYSQLD_DOWN, e, tablet, message(cause));
    }

    /** True if {@code e} means the connection to mysqld is broken or could not be made. */
    static boolean isConnectionFailure(SQLException e) {
        if (e instanceof SQLNonTransientConnectionException || e instanceof SQLTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) {
            return true;
        }
        return switch (e.getErrorCode()) {
            case 2002, 2003, 2006, 2013, 1053 -> true; // cannot connect, gone away, lost, server shutdown
            default -> false;
        };
    }

    private static String message(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return CONN_PREFIX.matcher(m).replaceFirst("");
    }

    static String human(java.time.Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 60 ? (s / 60) + "m" : s + "s";
    }
}
