package io.tessera.gate.executor;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.discovery.TabletGateway;
import io.tessera.gate.sql.QueryHints;
import io.tessera.gate.sql.SessionReference;
import io.tessera.gate.sql.SqlLexer;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.proto.query.Value;
import io.tessera.proto.vtgate.Session;
import io.tessera.queryservice.QueryResultConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's executor for unsharded and explicitly targeted keyspaces: each statement goes through a short
 * pipeline — plan (classify and rewrite, cached by statement text) → route (the session's target, or the keyspace
 * the statement names) → execute (in the session's transaction or reserved connection as needed) → post-process
 * (database names back to keyspace names, session bookkeeping). Transaction control, SET, USE and a few SELECTs and
 * SHOWs are answered by the gate itself. See EXECUTOR.md beside this class for the behaviour in full.
 *
 * <p>Thread-safe: one executor serves every session of the gate; each session is used by one call at a time.
 */
public final class GateExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(GateExecutor.class);
    /** Rows per chunk when a result computed in full is handed to a streaming consumer. */
    private static final int STREAM_CHUNK_ROWS = 256;

    private final TabletGateway gateway;
    private final ExecutorConfig config;
    private final QueryLog queryLog;
    private final ExecutorMetrics metrics;
    private final Planner planner;
    private final TargetResolver resolver;
    private final SessionValues values;
    private final Transactions transactions;
    private final SetRunner sets;
    private final PassthroughRunner passthrough;

    /** An executor that routes through {@code gateway}, with no query log. */
    public GateExecutor(TabletGateway gateway, ExecutorConfig config, PrometheusRegistry registry) {
        this(gateway, config, registry, QueryLog.NONE);
    }

    /**
     * An executor that routes through {@code gateway}, registers its metrics in {@code registry} and reports every
     * statement to {@code queryLog}.
     */
    public GateExecutor(TabletGateway gateway, ExecutorConfig config, PrometheusRegistry registry,
            QueryLog queryLog) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.config = Objects.requireNonNull(config, "config");
        this.queryLog = Objects.requireNonNull(queryLog, "queryLog");
        this.metrics = new ExecutorMetrics(Objects.requireNonNull(registry, "registry"), config.recentErrors());
        this.planner = new Planner(gateway::keyspaces, config.planCacheSize());
        this.resolver = new TargetResolver(gateway, config);
        this.values = new SessionValues(resolver);
        TabletCalls calls = new TabletCalls();
        ShardRunner shards = new ShardRunner(gateway, calls, config);
        this.transactions = new Transactions(gateway, calls, shards);
        this.sets = new SetRunner(shards, resolver, transactions, values);
        this.passthrough = new PassthroughRunner(gateway, resolver, shards, transactions, values, calls,
                config.maxMemoryRows(), new ColumnsMemo());
    }

    @Override
    public QueryResult execute(Session.Builder session, Caller caller, String sql,
            Map<String, BindVariable> bindVariables) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(bindVariables, "bindVariables");
        return measured(session, caller, sql, (ctx, plan) -> run(ctx, plan, bindVariables));
    }

    @Override
    public void streamExecute(Session.Builder session, Caller caller, String sql,
            Map<String, BindVariable> bindVariables, QueryResultConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        QueryResult whole = measured(session, caller, sql, (ctx, plan) -> {
            if (plan instanceof Plan.Passthrough p && passthrough.stream(ctx, p, bindVariables, consumer)) {
                return null;
            }
            return run(ctx, plan, bindVariables);
        });
        if (whole != null) {
            deliverInChunks(whole, consumer);
        }
    }

    @Override
    public void closeSession(Session.Builder session, Caller caller) {
        try {
            transactions.close(new CallContext(session, caller, Deadline.none()));
        } catch (RuntimeException e) {
            log.warn("closing a session failed", e);
        }
    }

    /** What the executor did so far, for the status page. */
    public ExecutorStats stats() {
        return metrics.snapshot(planner.cachedPlans());
    }

    /** One statement's work, given its context and plan; returns its result (null when it was streamed). */
    @FunctionalInterface
    private interface Work {
        QueryResult run(CallContext ctx, Plan plan);
    }

    /** Plans, runs, counts and logs one statement. */
    private QueryResult measured(Session.Builder session, Caller caller, String sql, Work work) {
        Measurement m = new Measurement(session.getTargetString(), caller, sql);
        try {
            Plan plan = planner.plan(sql);
            m.statement = plan.type().label();
            m.ctx = new CallContext(session, caller, deadline(plan, sql, session));
            if (!(plan instanceof Plan.ShowWarnings || plan instanceof Plan.GateSelect
                    || plan instanceof Plan.Passthrough)) {
                // Reading the warnings must not clear them; passthrough statements replace them with their own.
                session.clearWarnings();
            }
            return m.succeeded(work.run(m.ctx, plan));
        } catch (RuntimeException e) {
            throw m.failed(e);
        }
    }

    @Override
    public CompletableFuture<QueryResult> start(Session.Builder session, Caller caller, String sql,
            Map<String, BindVariable> bindVariables) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(bindVariables, "bindVariables");
        Measurement m = new Measurement(session.getTargetString(), caller, sql);
        Plan plan;
        Deadline deadline;
        try {
            plan = planner.plan(sql);
            deadline = deadline(plan, sql, session);
        } catch (RuntimeException e) {
            return null; // execute() plans it again and reports the error the usual way
        }
        m.statement = plan.type().label();
        if (plan instanceof Plan.Begin b && !session.getInTransaction()) {
            // Transactions open lazily: outside one, BEGIN only marks the session, so nothing waits.
            m.ctx = new CallContext(session, caller, deadline);
            m.ctx.keyspace(currentTarget(session).keyspace());
            session.clearWarnings();
            try {
                return CompletableFuture.completedFuture(m.succeeded(transactions.begin(m.ctx, b.accessModes())));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(m.failed(e));
            }
        }
        // A deadline needs a thread to wait on: those statements take the blocking path.
        if (!(plan instanceof Plan.Passthrough p) || deadline.isSet()) {
            return null;
        }
        m.ctx = new CallContext(session, caller, deadline);
        m.ctx.keyspace(currentTarget(session).keyspace());
        CompletableFuture<QueryResult> started = passthrough.start(m.ctx, p, bindVariables);
        if (started == null) {
            return null;
        }
        return started.handle((result, error) -> {
            if (error != null) {
                throw m.failed(unwrap(error));
            }
            return result == null ? null : m.succeeded(result);
        });
    }

    private static RuntimeException unwrap(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof RuntimeException r ? r
                : TesseraException.withCause(ErrorKind.INTERNAL, cause, String.valueOf(cause));
    }

    /** One statement's timing, counting and logging, from its start to its end. */
    private final class Measurement {
        // The wall-clock start only for the query log, taken then from the monotonic clock: Instant.now() on
        // every statement was a measurable part of the gate's CPU per statement under load.
        private final long start = System.nanoTime();
        private final String target;
        private final Caller caller;
        private final String sql;
        private String statement = "other";
        private CallContext ctx;

        Measurement(String target, Caller caller, String sql) {
            this.target = target;
            this.caller = caller;
            this.sql = sql;
        }

        QueryResult succeeded(QueryResult result) {
            long nanos = System.nanoTime() - start;
            metrics.record(ctx.keyspace(), statement, nanos, null, caller.username(), sql);
            log(caller, target, statement, nanos, result == null ? -1 : rows(result), "", sql);
            return result;
        }

        /** Counts and logs the failure; returns the error as the client sees it. */
        TesseraException failed(RuntimeException e) {
            TesseraException error = e instanceof TesseraException t ? toClient(t)
                    : TesseraException.withCause(ErrorKind.INTERNAL, e, String.valueOf(e));
            if (!(e instanceof TesseraException)) {
                log.error("statement failed unexpectedly: {}", abbreviate(sql), e);
            }
            long nanos = System.nanoTime() - start;
            String keyspace = ctx == null ? "" : ctx.keyspace();
            metrics.record(keyspace, statement, nanos, error, caller.username(), sql);
            log(caller, target, statement, nanos, 0, error.code().name() + " " + error.mysqlErrno(), sql);
            return error;
        }
    }

    /** A MySQL error as the client may see it: tablet database names become keyspace names. */
    private TesseraException toClient(TesseraException e) {
        if (!e.kind().isPassthrough()) {
            return e;
        }
        String renamed = ResultRewriter.renameInMessage(e.getMessage(), gateway.keyspaces());
        if (renamed.equals(e.getMessage())) {
            return e;
        }
        return TesseraException.mysql(e.mysqlErrno(), e.sqlState(), renamed, e);
    }

    private QueryResult run(CallContext ctx, Plan plan, Map<String, BindVariable> bindVariables) {
        Session.Builder session = ctx.session();
        TargetString current = currentTarget(session);
        ctx.keyspace(current.keyspace());
        return switch (plan) {
            case Plan.Passthrough p -> passthrough.run(ctx, p, bindVariables);
            case Plan.GateSelect g -> gateSelect(ctx, g, bindVariables);
            case Plan.ShowDatabases d -> GateResults.showDatabases(gateway.keyspaces(), d.likePattern());
            case Plan.ShowVitess v -> ClusterShows.run(v.what(), v.likePattern(), gateway, session.getTargetString());
            case Plan.ShowWarnings w -> GateResults.showWarnings(session.getWarningsList(), w.errorsOnly(),
                    w.countOnly());
            case Plan.Use u -> {
                TargetString t = resolver.choose(u.target(), current);
                session.setTargetString(t.format());
                ctx.keyspace(t.keyspace());
                yield QueryResult.getDefaultInstance();
            }
            case Plan.Begin b -> transactions.begin(ctx, b.accessModes());
            case Plan.Commit c -> {
                QueryResult r = transactions.commit(ctx);
                session.setInTransaction(c.chain());
                yield r;
            }
            case Plan.Rollback r -> {
                QueryResult result = transactions.rollback(ctx);
                session.setInTransaction(r.chain());
                yield result;
            }
            case Plan.Savepoint s -> transactions.savepoint(ctx, s.sql());
            case Plan.Set s -> sets.run(ctx, s, bindVariables);
            case Plan.NoOp n -> QueryResult.getDefaultInstance();
            case Plan.Unsupported u -> throw TesseraException.of(ErrorKind.UNIMPLEMENTED, u.what());
        };
    }

    /**
     * The session's target as it stands; none if it is malformed (a gRPC client may send anything), so that USE
     * can still repair it.
     */
    private static TargetString currentTarget(Session.Builder session) {
        try {
            return TargetString.parse(session.getTargetString());
        } catch (TesseraException e) {
            return TargetString.NONE;
        }
    }

    /** A SELECT of session values only: answered here unless a value lives on a reserved connection. */
    private QueryResult gateSelect(CallContext ctx, Plan.GateSelect plan, Map<String, BindVariable> bindVariables) {
        List<Value> row = new ArrayList<>(plan.items().size());
        QueryResult.Builder out = QueryResult.newBuilder();
        for (int i = 0; i < plan.items().size(); i++) {
            SessionReference ref = plan.items().get(i);
            Value v = values.valueOf(ref, ctx.session());
            if (v == null) {
                return passthrough.run(ctx, plan.fallback(), bindVariables);
            }
            row.add(v);
            out.addFields(field(plan.names().get(i), ref, v));
        }
        if (plan.limit() > 0) {
            out.addRows(GateResults.row(row));
        }
        ctx.session().setRowCount(-1);
        ctx.session().setFoundRows(plan.limit());
        return out.build();
    }

    private static Field field(String name, SessionReference ref, Value v) {
        Type type = switch (ref.kind()) {
            case DATABASE -> Type.VARCHAR;
            case LAST_INSERT_ID, FOUND_ROWS -> Type.UINT64;
            case ROW_COUNT -> Type.INT64;
            default -> v.getType() == Type.NULL_TYPE ? Type.VARBINARY : v.getType();
        };
        return GateResults.column(name, type);
    }

    /**
     * The statement's deadline: its QUERY_TIMEOUT_MS comment, else the session's query_timeout, else the
     * configured query timeout; none when the chosen one is 0.
     */
    private Deadline deadline(Plan plan, String sql, Session.Builder session) {
        OptionalLong hinted = plan instanceof Plan.Passthrough p
                ? QueryHints.queryTimeoutMillis(p.statement().tokens())
                : sql.indexOf("/*") >= 0 ? QueryHints.queryTimeoutMillis(SqlLexer.lex(sql)) : OptionalLong.empty();
        if (hinted.isPresent()) {
            return Deadline.after(hinted.getAsLong());
        }
        if (session.getQueryTimeout() > 0) {
            return Deadline.after(session.getQueryTimeout());
        }
        return Deadline.after(config.queryTimeout().toMillis());
    }

    /** Logs a statement that ended just now after {@code nanos}. */
    private void log(Caller caller, String target, String statement, long nanos, long rows, String error,
            String sql) {
        if (queryLog == QueryLog.NONE) {
            return;
        }
        try {
            Instant started = Instant.now().minusNanos(nanos);
            queryLog.log(new QueryLogEntry(started, caller.username(), target, statement, Duration.ofNanos(nanos),
                    rows, error, sql));
        } catch (RuntimeException e) {
            log.debug("the query log failed", e);
        }
    }

    private static long rows(QueryResult r) {
        return r.getFieldsCount() > 0 ? r.getRowsCount() : r.getRowsAffected();
    }

    /** Hands a complete result to a streaming consumer as streams do: fields first, then rows in chunks. */
    private static void deliverInChunks(QueryResult whole, QueryResultConsumer consumer) {
        consumer.accept(whole.toBuilder().clearRows().build());
        for (int from = 0; from < whole.getRowsCount(); from += STREAM_CHUNK_ROWS) {
            int to = Math.min(whole.getRowsCount(), from + STREAM_CHUNK_ROWS);
            consumer.accept(QueryResult.newBuilder().addAllRows(whole.getRowsList().subList(from, to)).build());
        }
    }

    private static String abbreviate(String sql) {
        return sql.length() > 200 ? sql.substring(0, 200) + "..." : sql;
    }
}
