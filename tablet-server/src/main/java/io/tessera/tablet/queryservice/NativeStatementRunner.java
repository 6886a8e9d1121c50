package io.tessera.tablet.queryservice;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.QueryWarning;
import io.tessera.queryservice.CompactRows;
import io.tessera.tablet.mysqlclient.ColumnDefinition;
import io.tessera.tablet.mysqlclient.MysqlServerException;
import io.tessera.tablet.mysqlclient.NativeConnection;
import io.tessera.tablet.mysqlclient.NativeConnectionException;
import io.tessera.tablet.mysqlclient.NativeResult;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs one statement on a {@link NativeConnection}, on its event loop, and builds the same {@link QueryResult} as
 * {@link StatementRunner#execute} does through JDBC: the same SQL goes to mysqld (a capped SELECT runs under
 * {@code sql_select_limit}, as the driver's {@code setLargeMaxRows} makes it, though set once per pooled session
 * rather than per statement when the cap is the tablet's usual one), the same fields
 * and rows (both read the column definitions and text-protocol rows MySQL sent), the insert id of a write,
 * warnings (read with SHOW WARNINGS, as the driver does), the same errors, and the same timeout: a statement past
 * it is killed on mysqld and reported as QUERY_TIMEOUT.
 */
final class NativeStatementRunner {
    private final QueryDeadlines deadlines;
    private final SqlErrors errors;

    NativeStatementRunner(QueryDeadlines deadlines, SqlErrors errors) {
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /**
     * Runs {@code sql} on {@code c} (called on its loop) and completes, on the loop, with the result or the
     * {@link TesseraException} it failed with. {@code done} runs first with whether the connection may be reused.
     */
    CompletableFuture<QueryResult> execute(NativeConnection c, String sql, StatementInfo info, ExecutionLimits limits,
            ConnectionDone done) {
        String text = withSelectLimit(sql, info, limits.maxRows(), c.sessionSelectLimit());
        QueryDeadlines.Deadline deadline = deadlines.start(c.connectionId(), limits.timeout(), c.loop());
        CompletableFuture<QueryResult> out = new CompletableFuture<>();
        c.query(text).whenComplete((result, failure) -> {
            boolean reusable = deadline.tryFinish();
            if (failure != null) {
                done.finished(c, reusable && c.isUsable());
                out.completeExceptionally(translate(unwrap(failure), deadline));
                return;
            }
            QueryResult.Builder built;
            try {
                built = build(result, info, limits);
            } catch (TesseraException e) {
                done.finished(c, reusable);
                out.completeExceptionally(e);
                return;
            }
            if (result.warnings() == 0 || !reusable) {
                done.finished(c, reusable);
                out.complete(built.build());
                return;
            }
            c.query("SHOW WARNINGS").whenComplete((warnings, warningsFailure) -> {
                done.finished(c, c.isUsable());
                if (warningsFailure != null) {
                    out.completeExceptionally(translate(unwrap(warningsFailure), deadline));
                    return;
                }
                for (byte[] row : warnings.rows()) {
                    List<String> values = CompactRows.strings(
                            TextRows.decode(row, warnings.columns().size()));
                    built.addWarnings(QueryWarning.newBuilder().setCode(parseCode(values.get(1)))
                            .setMessage(values.get(2) == null ? "" : values.get(2)).build());
                }
                out.complete(built.build());
            });
        });
        return out;
    }

    /** What happens to the connection once a statement is over. */
    @FunctionalInterface
    interface ConnectionDone {
        /** {@code reusable}: false if it must be closed (broken, or a timeout's kill may still hit it). */
        void finished(NativeConnection c, boolean reusable);
    }

    private static QueryResult.Builder build(NativeResult result, StatementInfo info, ExecutionLimits limits) {
        QueryResult.Builder out = QueryResult.newBuilder();
        if (result.columns().isEmpty()) {
            out.setRowsAffected(Math.max(0, result.affectedRows()));
            if (info.kind() == StatementKind.WRITE && result.lastInsertId() != 0) {
                out.setInsertId(result.lastInsertId()).setInsertIdChanged(true);
            }
            return out;
        }
        for (ColumnDefinition column : result.columns()) {
            out.addFields(Fields.field(column, limits.includedFields()));
        }
        long cap = limits.failOnOverflow() ? limits.maxRows() - 1 : Long.MAX_VALUE;
        if (result.rows().size() > cap) {
            throw TesseraException.of(ErrorKind.RESULT_TOO_LARGE, cap);
        }
        int n = result.columns().size();
        for (byte[] row : result.rows()) {
            out.addRows(TextRows.decode(row, n));
        }
        return out;
    }

    /**
     * {@code sql} as sent to mysqld, under the {@code sql_select_limit} it must run with: {@code maxRows} for a
     * SELECT (0: none), as on the JDBC path. The session's own limit ({@code sessionLimit}, 0 for none) serves when
     * it is the one needed, as it is for pooled sessions and the tablet's usual cap; otherwise the statement says
     * its limit with {@code SET STATEMENT ... FOR}, which costs mysqld about a tenth of a point select. mysqld
     * applies the limit to SHOW and VALUES too: under the tablet's cap (the caller's {@code maxRows} is the
     * session's) they are refused past it whether mysqld cut them or not, and under a caller's smaller limit the
     * session's is lifted for them, so they return what the JDBC path returns.
     */
    static String withSelectLimit(String sql, StatementInfo info, long maxRows, long sessionLimit) {
        if (maxRows == sessionLimit || (!info.select() && sessionLimit == 0)) {
            return sql;
        }
        String limit = info.select() && maxRows > 0 ? Long.toString(maxRows) : "DEFAULT";
        return "SET STATEMENT SQL_SELECT_LIMIT=" + limit + " FOR " + sql;
    }

    private TesseraException translate(Throwable failure, QueryDeadlines.Deadline deadline) {
        if (failure instanceof TesseraException e) {
            return e;
        }
        // The same exceptions the JDBC driver throws, so errors read exactly as on the JDBC path.
        SQLException sql = switch (failure) {
            case MysqlServerException e -> new SQLException(e.getMessage(), e.sqlState(), e.errno(), e);
            case NativeConnectionException e -> new SQLNonTransientConnectionException(e.getMessage(), "08000", e);
            default -> null;
        };
        if (deadline.fired()) {
            return deadline.killedError(sql != null ? sql : failure);
        }
        if (sql != null) {
            return errors.translate(sql);
        }
        return TesseraException.withCause(ErrorKind.INTERNAL, failure, "native MySQL client: " + failure);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static int parseCode(String code) {
        try {
            return code == null ? 0 : Math.max(0, Integer.parseInt(code));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
