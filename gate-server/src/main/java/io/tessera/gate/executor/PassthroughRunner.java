package io.tessera.gate.executor;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.GrpcErrors;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.discovery.RoutedTablet;
import io.tessera.gate.discovery.TabletGateway;
import io.tessera.gate.sql.Statement;
import io.tessera.gate.sql.Statement.Trait;
import io.tessera.gate.sql.StatementType;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Target;
import io.tessera.proto.vtgate.Session;
import io.tessera.queryservice.AsyncExecute;
import io.tessera.queryservice.QueryResultConsumer;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs the statements the gate sends to a tablet as they are (apart from names and session values): implicit
 * commit first where MySQL does one, then route, fill in, run on the shard in the session's transaction or
 * reserved connection, check the row limit, rename databases in the result, and keep LAST_INSERT_ID(),
 * ROW_COUNT(), FOUND_ROWS() and warnings for the session.
 */
final class PassthroughRunner {
    private final TabletGateway gateway;
    private final TargetResolver resolver;
    private final ShardRunner shards;
    private final Transactions transactions;
    private final SessionValues values;
    private final TabletCalls calls;
    private final int maxMemoryRows;
    private final ColumnsMemo columnsMemo;

    PassthroughRunner(TabletGateway gateway, TargetResolver resolver, ShardRunner shards, Transactions transactions,
            SessionValues values, TabletCalls calls, int maxMemoryRows, ColumnsMemo columnsMemo) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.shards = Objects.requireNonNull(shards, "shards");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.values = Objects.requireNonNull(values, "values");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.maxMemoryRows = maxMemoryRows;
        this.columnsMemo = Objects.requireNonNull(columnsMemo, "columnsMemo");
    }

    /** A statement ready to send: where, what and how. */
    private record Prepared(Destination destination, BoundQuery query, ShardRunner.Mode mode) {}

    QueryResult run(CallContext ctx, Plan.Passthrough plan, Map<String, BindVariable> bindVariables) {
        Statement st = plan.statement();
        Session.Builder session = ctx.session();
        if (st.type() == StatementType.UNLOCK_TABLES && !session.getInReservedConn()) {
            return QueryResult.getDefaultInstance(); // nothing can be locked without a reserved connection
        }
        Prepared p = prepare(ctx, plan, bindVariables);
        return finish(session, st, shards.execute(ctx, p.destination(), p.query(), p.mode()));
    }

    /**
     * Starts the statement without blocking when it needs one call and nothing else: outside a transaction, a
     * routed call to a tablet the gateway can pick at once; inside one, a call in the transaction of the session's
     * only shard session (so a failure needs no call to other shards). Never with a reserved connection, an
     * implicit commit or a statement that pins a connection. Returns null, having changed nothing, otherwise. The
     * future completes with null when the tablet refused a routed statement in a way routing retries: {@link #run}
     * then sends it again through the gateway.
     */
    CompletableFuture<QueryResult> start(CallContext ctx, Plan.Passthrough plan,
            Map<String, BindVariable> bindVariables) {
        Statement st = plan.statement();
        Session.Builder session = ctx.session();
        if (st.has(Trait.IMPLICIT_COMMIT) || st.has(Trait.PINS_CONNECTION) || st.type() == StatementType.UNLOCK_TABLES
                || session.getInReservedConn()) {
            return null;
        }
        boolean transaction = SessionState.wantsTransaction(session);
        if (transaction && session.getShardSessionsCount() != 1) {
            return null; // the transaction's first statement opens it (BeginExecute) the blocking way
        }
        Prepared p;
        try {
            p = prepare(ctx, plan, bindVariables);
        } catch (RuntimeException e) {
            return null; // run() prepares it again and reports the error
        }
        if (p.mode().reserved()) {
            return null;
        }
        Target target = p.destination().target();
        if (transaction) {
            return startInTransaction(ctx, st, target, p.query());
        }
        if (ShardSessions.indexOf(session, target) >= 0) {
            return null;
        }
        RoutedTablet tablet = gateway.routeNow(target);
        if (tablet == null) {
            return null;
        }
        ExecuteRequest request = calls.executeRequest(ctx, target, p.query(), 0, 0);
        return tablet.service().executeAsync(request).handle((response, error) -> {
            if (error != null) {
                TesseraException e = tesseraException(error);
                if (gateway.mayRouteAgain(target, e)) {
                    return null;
                }
                throw e;
            }
            return finish(session, st, response.getResult());
        });
    }

    /** The statement in the transaction of the session's only shard session, if it is on {@code target}. */
    private CompletableFuture<QueryResult> startInTransaction(CallContext ctx, Statement st, Target target,
            BoundQuery query) {
        Session.Builder session = ctx.session();
        if (ShardSessions.indexOf(session, target) != 0) {
            return null;
        }
        Session.ShardSession ss = session.getShardSessions(0);
        if (ss.getTransactionId() == 0 || ss.getReservedId() != 0) {
            return null;
        }
        AsyncExecute tablet = gateway.tabletNow(ss.getTabletAlias());
        if (tablet == null) {
            return null;
        }
        Target pinned = ss.getTarget();
        ExecuteRequest request = calls.executeRequest(ctx, pinned, query, ss.getTransactionId(), 0);
        return tablet.executeAsync(request).handle((response, error) -> {
            if (error != null) {
                throw shards.failedInTransaction(ctx, pinned, tesseraException(error));
            }
            return finish(session, st, response.getResult());
        });
    }

    private static TesseraException tesseraException(Throwable error) {
        return GrpcErrors.asTesseraException(
                error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
    }

    /** What every passthrough result goes through: the row limit, database names, the session's bookkeeping. */
    private QueryResult finish(Session.Builder session, Statement st, QueryResult result) {
        if (result.getRowsCount() > maxMemoryRows) {
            throw TesseraException.of(ErrorKind.RESULT_ROWS_EXCEEDED, maxMemoryRows);
        }
        QueryResult out = ResultRewriter.toClient(result, gateway.keyspaces(), columnsMemo);
        remember(session, st, out);
        return out;
    }

    /**
     * Streams the statement's result to {@code consumer} if it can be streamed from where the session is (a read
     * that needs no transaction or reserved connection opened first); returns false, having sent nothing,
     * otherwise.
     */
    boolean stream(CallContext ctx, Plan.Passthrough plan, Map<String, BindVariable> bindVariables,
            QueryResultConsumer consumer) {
        Statement st = plan.statement();
        if (!(st.type() == StatementType.SELECT || st.type() == StatementType.SHOW
                || st.type() == StatementType.EXPLAIN) || st.has(Trait.PINS_CONNECTION)) {
            return false;
        }
        Prepared p = prepare(ctx, plan, bindVariables);
        Set<String> keyspaces = gateway.keyspaces();
        StreamRewriter rewriter = new StreamRewriter(consumer, keyspaces, columnsMemo);
        if (!shards.stream(ctx, p.destination(), p.query(), p.mode(), rewriter)) {
            return false;
        }
        Session.Builder session = ctx.session();
        session.setRowCount(-1);
        session.setFoundRows(rewriter.rows());
        session.clearWarnings();
        return true;
    }

    private Prepared prepare(CallContext ctx, Plan.Passthrough plan, Map<String, BindVariable> bindVariables) {
        Statement st = plan.statement();
        Session.Builder session = ctx.session();
        if (st.has(Trait.IMPLICIT_COMMIT)) {
            transactions.implicitCommit(ctx);
        }
        if (st.has(Trait.PINS_CONNECTION)) {
            session.setInReservedConn(true).setReservedConnState(true);
        }
        Destination destination = resolver.resolve(session, plan.keyspaces(), plan.needsDatabase());
        ctx.keyspace(destination.keyspace());
        boolean transaction = !st.has(Trait.IMPLICIT_COMMIT) && SessionState.wantsTransaction(session);
        SessionValues.Bound bound = values.bind(st.tokens(), plan.tabletSql(), plan.schemaEdits(),
                plan.references(), plan.select(), session, bindVariables);
        BoundQuery.Builder q = BoundQuery.newBuilder();
        if (bound.sql() == plan.tabletSql()) {
            q.setSqlBytes(plan.tabletSqlUtf8()); // nothing filled in: the plan's encoding is the text sent
        } else {
            q.setSql(bound.sql());
        }
        BoundQuery query = q.putAllBindVariables(bound.bindVariables()).build();
        return new Prepared(destination, query, new ShardRunner.Mode(transaction, session.getInReservedConn()));
    }

    /** Keeps what later statements may ask about this one. */
    private static void remember(Session.Builder session, Statement st, QueryResult result) {
        if (result.getInsertIdChanged() || result.getInsertId() != 0) {
            session.setLastInsertId(result.getInsertId());
        }
        if (result.getFieldsCount() > 0) {
            session.setRowCount(-1);
            if (st.type() == StatementType.SELECT) {
                session.setFoundRows(result.getRowsCount());
            }
        } else {
            session.setRowCount(st.type().isDml() ? result.getRowsAffected() : 0);
        }
        session.clearWarnings().addAllWarnings(result.getWarningsList());
    }

    /** Renames databases in a streamed result, chunk by chunk, and counts its rows. */
    private static final class StreamRewriter implements QueryResultConsumer {
        private final QueryResultConsumer downstream;
        private final Set<String> keyspaces;
        private final ColumnsMemo memo;
        private ResultRewriter.Columns columns;
        private long rows;

        StreamRewriter(QueryResultConsumer downstream, Set<String> keyspaces, ColumnsMemo memo) {
            this.downstream = downstream;
            this.keyspaces = keyspaces;
            this.memo = memo;
        }

        @Override
        public void accept(QueryResult chunk) {
            QueryResult out = chunk;
            if (chunk.getFieldsCount() > 0) {
                columns = memo.columns(chunk.getFieldsList(), keyspaces);
                if (columns.fieldsChanged()) {
                    out = chunk.toBuilder().clearFields().addAllFields(columns.fields()).build();
                }
            }
            if (chunk.getRowsCount() > 0) {
                rows += chunk.getRowsCount();
                if (columns != null && columns.rewritesRows()) {
                    QueryResult.Builder b = out.toBuilder();
                    for (int i = 0; i < b.getRowsCount(); i++) {
                        b.setRows(i, ResultRewriter.row(b.getRows(i), columns, keyspaces));
                    }
                    out = b.build();
                }
            }
            downstream.accept(out);
        }

        long rows() {
            return rows;
        }
    }
}
