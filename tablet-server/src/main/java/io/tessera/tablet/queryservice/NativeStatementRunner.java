package io.tessera.tablet.queryservice;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.QueryWarning;
import io.tessera.queryservice.CompactRows;
import io.tessera.tablet.mysqlclient.BinaryResultException;
import io.tessera.tablet.mysqlclient.ColumnDefinition;
import io.tessera.tablet.mysqlclient.MysqlServerException;
import io.tessera.tablet.mysqlclient.NativeConnection;
import io.tessera.tablet.mysqlclient.NativeConnectionException;
import io.tessera.tablet.mysqlclient.NativeResult;
import io.tessera.tablet.mysqlclient.Parameter;
import io.tessera.tablet.mysqlclient.ServerStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
    private final PreparedPlans plans;
    private final int preparedPerConnection;
    private final FieldMemo fields = new FieldMemo();

    /**
     * @param preparedPerConnection how many server-side prepared statements each connection keeps for
     *     {@link #execute(NativeConnection, Prepared, Supplier, StatementInfo, ExecutionLimits, ConnectionDone)};
     *     0 runs every statement as text
     */
    NativeStatementRunner(QueryDeadlines deadlines, SqlErrors errors, int preparedPerConnection,
            LongSupplier nanoTime) {
        this.plans = new PreparedPlans(nanoTime);
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
        this.errors = Objects.requireNonNull(errors, "errors");
        if (preparedPerConnection < 0) {
            throw new IllegalArgumentException("preparedPerConnection must not be negative, got "
                    + preparedPerConnection);
        }
        this.preparedPerConnection = preparedPerConnection;
    }

    /**
     * How the statement {@code query} runs prepared on a connection whose session limit is {@code sessionLimit},
     * with which parameters; null when it runs as text (see {@link PreparedPlans}).
     */
    Prepared prepared(BoundQuery query, StatementInfo info, ExecutionLimits limits, long sessionLimit) {
        if (preparedPerConnection == 0 || !info.select() || query.getBindVariablesCount() == 0
                || !runsUnchanged(info, limits.maxRows(), sessionLimit)) {
            return null;
        }
        PreparedPlans.Plan plan = plans.plan(query.getSql());
        if (plan == null) {
            return null;
        }
        List<Parameter> parameters = PreparedPlans.parameters(plan, query.getBindVariablesMap());
        return parameters == null ? null : new Prepared(query.getSql(), plan, parameters);
    }

    /**
     * A statement to run prepared.
     *
     * @param original its text as received, with {@code :name} bind variables
     * @param plan how it runs prepared
     * @param parameters its values, in the order of the plan's {@code ?}s
     */
    record Prepared(String original, PreparedPlans.Plan plan, List<Parameter> parameters) {}

    /**
     * Runs {@code prepared} on {@code c} (called on its loop) as a server-side prepared statement, preparing it on
     * the connection first if the connection does not keep it yet; where that cannot give the text path's result,
     * runs {@code text} (the same statement with its values written in) instead. Completes as
     * {@link #execute(NativeConnection, String, StatementInfo, ExecutionLimits, ConnectionDone)} does.
     */
    CompletableFuture<QueryResult> execute(NativeConnection c, Prepared prepared, Supplier<String> text,
            StatementInfo info, ExecutionLimits limits, ConnectionDone done) {
        return run(c, info, limits, done, deadline -> runPrepared(c, prepared, asText(c, text, deadline)));
    }

    /**
     * Runs the statement as text, unless its deadline passed meanwhile: the kill then hit the command before, and
     * a statement sent after it would run unbounded.
     */
    private static Supplier<CompletableFuture<NativeResult>> asText(NativeConnection c, Supplier<String> text,
            QueryDeadlines.Deadline deadline) {
        return () -> deadline.fired()
                ? CompletableFuture.failedFuture(new CancellationException("the statement's deadline passed"))
                : c.query(text.get());
    }

    private CompletableFuture<NativeResult> runPrepared(NativeConnection c, Prepared p,
            Supplier<CompletableFuture<NativeResult>> text) {
        ServerStatement kept = c.preparedStatement(p.plan().sql());
        if (kept != null) {
            return executeOrText(c, kept, p, text);
        }
        if (!plans.mayPrepare()) {
            return text.get();
        }
        return c.prepare(p.plan().sql(), preparedPerConnection).handle((statement, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (!(cause instanceof MysqlServerException refused)) {
                    return CompletableFuture.<NativeResult>failedFuture(cause);
                }
                if (PreparedPlans.neverPrepares(refused.errno())) {
                    plans.textOnly(p.original());
                }
                plans.refused(refused.errno());
                // The text path reports the error (a missing table, say) exactly as it would have.
                return text.get();
            }
            if (!PreparedPlans.matchesText(statement, p.plan())) {
                plans.textOnly(p.original());
                c.closeStatement(statement);
                return text.get();
            }
            return executeOrText(c, statement, p, text);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<NativeResult> executeOrText(NativeConnection c, ServerStatement statement, Prepared p,
            Supplier<CompletableFuture<NativeResult>> text) {
        return c.execute(statement, p.parameters()).handle((result, failure) -> {
            if (failure != null && unwrap(failure) instanceof BinaryResultException) {
                // The table changed under the statement (a column became a DOUBLE, say): the SELECT ran, but its
                // rows cannot be rendered from the binary protocol, so it runs again as text, from now on.
                plans.textOnly(p.original());
                c.closeStatement(statement);
                return text.get();
            }
            return failure != null ? CompletableFuture.<NativeResult>failedFuture(unwrap(failure))
                    : CompletableFuture.completedFuture(result);
        }).thenCompose(f -> f);
    }

    /**
     * Runs {@code sql} on {@code c} (called on its loop) and completes, on the loop, with the result or the
     * {@link TesseraException} it failed with. {@code done} runs first with whether the connection may be reused.
     */
    CompletableFuture<QueryResult> execute(NativeConnection c, String sql, StatementInfo info, ExecutionLimits limits,
            ConnectionDone done) {
        String text = withSelectLimit(sql, info, limits.maxRows(), c.sessionSelectLimit());
        return run(c, info, limits, done, deadline -> c.query(text));
    }

    private CompletableFuture<QueryResult> run(NativeConnection c, StatementInfo info, ExecutionLimits limits,
            ConnectionDone done, Function<QueryDeadlines.Deadline, CompletableFuture<NativeResult>> statement) {
        QueryDeadlines.Deadline deadline = deadlines.start(c.connectionId(), limits.timeout(), c.loop());
        CompletableFuture<QueryResult> out = new CompletableFuture<>();
        CompletableFuture<NativeResult> running;
        try {
            running = statement.apply(deadline);
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        running.whenComplete((result, failure) -> {
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

    private QueryResult.Builder build(NativeResult result, StatementInfo info, ExecutionLimits limits) {
        QueryResult.Builder out = QueryResult.newBuilder();
        if (result.columns().isEmpty()) {
            out.setRowsAffected(Math.max(0, result.affectedRows()));
            if (info.kind() == StatementKind.WRITE && result.lastInsertId() != 0) {
                out.setInsertId(result.lastInsertId()).setInsertIdChanged(true);
            }
            return out;
        }
        for (ColumnDefinition column : result.columns()) {
            out.addFields(fields.field(column, limits.includedFields()));
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
        if (runsUnchanged(info, maxRows, sessionLimit)) {
            return sql;
        }
        String limit = info.select() && maxRows > 0 ? Long.toString(maxRows) : "DEFAULT";
        return "SET STATEMENT SQL_SELECT_LIMIT=" + limit + " FOR " + sql;
    }

    /** True if the statement needs no {@code SET STATEMENT ... FOR} (see {@link #withSelectLimit}). */
    private static boolean runsUnchanged(StatementInfo info, long maxRows, long sessionLimit) {
        return maxRows == sessionLimit || (!info.select() && sessionLimit == 0);
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
