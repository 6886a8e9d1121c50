package io.tessera.tablet.queryservice;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.ReleaseRequest;
import io.tessera.proto.query.ReleaseResponse;
import io.tessera.proto.query.ReserveBeginExecuteRequest;
import io.tessera.proto.query.ReserveBeginExecuteResponse;
import io.tessera.proto.query.ReserveExecuteRequest;
import io.tessera.proto.query.ReserveExecuteResponse;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.RollbackResponse;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.queryservice.InlineExecute;
import io.tessera.queryservice.QueryResultConsumer;
import io.tessera.queryservice.QueryService;
import io.tessera.tablet.mysqlclient.NativeConnection;
import io.tessera.tablet.mysqlctl.DbConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The tablet's query service: runs the gate's statements on the tablet's mysqld as the app user.
 *
 * <p>Every request goes through the same short pipeline: check the target and the tablet's serving state (see
 * {@link ServingGuard}), classify the statement without parsing it ({@link StatementClassifier}), refuse what this
 * tablet must not run (writes on a non-primary, denied tables, transaction statements outside Begin/Commit/
 * Rollback), fill in bind variables ({@link BindVariables}), run it on a pooled, transaction or reserved connection
 * under the query timeout ({@link StatementRunner}), and return the result in compact rows. Failures are
 * {@link TesseraException}s from the catalogue; MySQL's own errors keep their errno and SQLSTATE.
 *
 * <p>Reserved connections keep one client session's state (session and user variables, temporary tables, LOCK
 * TABLES, GET_LOCK) between calls. ReserveExecute and ReserveBeginExecute take one from the transaction pool (so
 * they count against the transaction cap: a full pool gives TX_POOL_FULL), run the pre-queries, and return its
 * {@code reserved_id}; Execute, StreamExecute and BeginExecute with that id run on it, and may change its session
 * (SET, USE, LOCK TABLES...), which they may not do on a shared pooled connection. One id names one connection: a
 * transaction begun on a reserved connection has the reserved id as its transaction id, and reserving the
 * connection of an open transaction returns the transaction's id. Commit and Rollback of such a transaction
 * answer with the {@code reserved_id}, which stays valid. Release rolls back and closes the connection; so do the
 * idle timeout ({@code --queryserver-config-idle-timeout}) and {@link #closeAllSessions}. Afterwards the id gets
 * RESERVED_CONN_NOT_FOUND. Calls for one id must not overlap; a second one waits up to a second for the first to end
 * (a caller that cancelled a statement sends the next at once), then gets TX_IN_USE.
 *
 * <p>Wiring (the tablet's main): build a {@link QueryServiceConfig} from {@link QueryServiceFlags}, give the
 * tablet manager's {@link TabletServingState}, the mysqld's app and dba connectors and the tablet alias, and serve
 * it with {@link io.tessera.queryservice.QueryServiceGrpcAdapter}. Call {@link #closeAllSessions} whenever the tablet
 * stops serving its type, and close it on shutdown: open transactions are rolled back, reserved connections closed
 * and the pools closed.
 */
public final class TabletQueryService implements QueryService, InlineExecute, AutoCloseable {
    private final QueryServiceConfig config;
    private final TabletAlias alias;
    private final ServingGuard guard;
    private final ConnectionPools pools;
    private final HeldConnections held;
    private final TransactionEngine transactions;
    private final ReservedConnections reservations;
    private final StatementRunner runner;
    private final SqlErrors errors;
    private final ScheduledExecutorService scheduler;
    private final NativePool natives;
    private final NativeStatementRunner nativeRunner;
    private final ClassificationMemo classifications = new ClassificationMemo();
    private final LongAdder inlineStatements = new LongAdder();

    /**
     * A query service for the tablet {@code alias}.
     *
     * @param config pools and limits
     * @param state the tablet's serving state, read on every request
     * @param app connections for queries (the least-privileged app user; its default database is the keyspace's)
     * @param dba connections for killing statements past their timeout
     * @param alias this tablet, for responses and messages
     * @throws IllegalStateException if the MariaDB driver on the class path is not one this code can read
     */
    public TabletQueryService(QueryServiceConfig config, TabletServingState state, DbConnector app, DbConnector dba,
            TabletAlias alias) {
        this(config, state, app, new DbaKiller(dba), alias, Clock.systemUTC(), System::nanoTime, null);
    }

    /**
     * As the other public constructor, and with native connections for the statements {@link #executeNow} runs on
     * the event loops of {@code natives} (the gRPC server's).
     *
     * @param natives the pool the service closes with itself, or null to run every statement through JDBC
     */
    public TabletQueryService(QueryServiceConfig config, TabletServingState state, DbConnector app, DbConnector dba,
            TabletAlias alias, NativePool natives) {
        this(config, state, app, new DbaKiller(dba), alias, Clock.systemUTC(), System::nanoTime, natives);
    }

    /** As the public constructor, with the clocks that ids and timeouts are taken from. */
    TabletQueryService(QueryServiceConfig config, TabletServingState state, DbConnector app, MysqlKiller killer,
            TabletAlias alias, Clock clock, LongSupplier nanoTime) {
        this(config, state, app, killer, alias, clock, nanoTime, null);
    }

    /** As the public constructors, with the clocks that ids and timeouts are taken from. */
    TabletQueryService(QueryServiceConfig config, TabletServingState state, DbConnector app, MysqlKiller killer,
            TabletAlias alias, Clock clock, LongSupplier nanoTime, NativePool natives) {
        DriverResults.check();
        this.config = Objects.requireNonNull(config, "config");
        this.alias = Objects.requireNonNull(alias, "alias");
        String tablet = aliasString(alias);
        this.guard = new ServingGuard(state, tablet);
        this.errors = new SqlErrors(tablet);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "query-service-timer-" + tablet);
            t.setDaemon(true);
            return t;
        });
        // Most statements finish long before their timeout; drop their cancelled timers at once.
        timer.setRemoveOnCancelPolicy(true);
        this.scheduler = timer;
        this.pools = new ConnectionPools(config, Objects.requireNonNull(app, "app"), "tablet-" + tablet);
        QueryDeadlines deadlines = new QueryDeadlines(scheduler, killer);
        this.runner = new StatementRunner(deadlines, killer, config.streamBufferSize());
        this.natives = natives;
        this.nativeRunner = new NativeStatementRunner(deadlines, errors,
                natives == null ? 0 : natives.preparedPerConnection(), nanoTime);
        this.held = new HeldConnections(pools, killer, new TransactionIds(clock), config, scheduler, errors, tablet,
                nanoTime);
        this.transactions = new TransactionEngine(held);
        this.reservations = new ReservedConnections(held);
    }

    /**
     * Runs the statement: on a pooled connection, or in transaction {@code transaction_id}, or on reserved connection
     * {@code reserved_id} (in its transaction if {@code transaction_id} is set too, and then equal to it).
     */
    @Override
    public ExecuteResponse execute(ExecuteRequest request) {
        ServingState state = guard.checkServing(request.getTarget());
        Prepared p = prepare(state, request.getQuery());
        ExecutionLimits limits = ExecutionLimits.forExecute(request.getOptions(), config);
        QueryResult result;
        if (request.getTransactionId() == 0 && request.getReservedId() == 0) {
            requireNoSessionState(p.pooled(guard).info);
            result = withPooledConnection(ConnectionPools.Pool.QUERY,
                    c -> runner.execute(c, ConnectionPools.threadIdOf(c), p.sql, p.info, limits));
        } else {
            result = onHeld(request.getTransactionId(), request.getReservedId(), h -> run(h, p, limits));
        }
        return ExecuteResponse.newBuilder().setResult(result).build();
    }

    /**
     * Runs the statement on the calling event loop over a native connection, when it needs nothing but a pooled
     * connection (no transaction, no reserved connection) and the loop has an idle one; otherwise declines (null)
     * and {@link #execute} runs it. The checks are the same, and so is the result, error or timeout.
     */
    @Override
    public CompletableFuture<ExecuteResponse> executeNow(ExecuteRequest request) {
        if (natives == null || request.getTransactionId() != 0 || request.getReservedId() != 0) {
            return null;
        }
        ServingState state = guard.checkServing(request.getTarget());
        BoundQuery query = request.getQuery();
        Checked checked = check(state, query);
        requireNoSessionState(checked.pooled(guard).info());
        ExecutionLimits limits = ExecutionLimits.forExecute(request.getOptions(), config);
        NativeConnection c = natives.take();
        if (c == null) {
            return null;
        }
        NativeStatementRunner.Prepared prepared = nativeRunner.prepared(query, checked.info(), limits,
                c.sessionSelectLimit());
        String text;
        try {
            text = prepared == null ? BindVariables.substitute(query.getSql(), query.getBindVariablesMap()) : null;
        } catch (RuntimeException e) {
            natives.give(c); // a bad value is refused before anything reaches mysqld
            throw e;
        }
        inlineStatements.increment();
        NativeStatementRunner.ConnectionDone done = (finished, reusable) -> {
            if (reusable) {
                natives.give(finished);
            } else {
                finished.close();
            }
        };
        CompletableFuture<QueryResult> result = prepared == null
                ? nativeRunner.execute(c, text, checked.info(), limits, done)
                : nativeRunner.execute(c, prepared,
                        () -> BindVariables.substitute(query.getSql(), query.getBindVariablesMap()), checked.info(),
                        limits, done);
        return result.thenApply(r -> ExecuteResponse.newBuilder().setResult(r).build());
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, QueryResultConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        ServingState state = guard.checkServing(request.getTarget());
        // Streams are for reads: a write is refused as on a pooled connection, then as a stream.
        Prepared p = prepare(state, request.getQuery()).pooled(guard);
        if (p.info.kind() != StatementKind.READ && p.info.kind() != StatementKind.OTHER) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, p.info.kind()
                    + " statements cannot be streamed; send them with Execute");
        }
        ExecutionLimits limits = ExecutionLimits.forStream(request.getOptions());
        if (request.getTransactionId() != 0 || request.getReservedId() != 0) {
            onHeld(request.getTransactionId(), request.getReservedId(), h -> {
                if (p.info.changesSession()) {
                    h.markSessionChanged();
                }
                runner.stream(h.connection(), h.threadId(), p.sql, limits, consumer);
                return null;
            });
            return;
        }
        requireNoSessionState(p.info);
        Connection c = borrow(ConnectionPools.Pool.STREAM);
        boolean ok = false;
        try {
            runner.stream(c, ConnectionPools.threadIdOf(c), p.sql, limits, consumer);
            ok = true;
        } catch (SQLException e) {
            throw errors.translate(e);
        } finally {
            // A stream that ended early was killed mid-result; do not hand that connection to anyone else.
            release(ConnectionPools.Pool.STREAM, c, !ok);
        }
    }

    @Override
    public BeginResponse begin(BeginRequest request) {
        guard.checkServing(request.getTarget());
        long id = transactions.begin(request.getOptions(), List.of());
        recheckServing(request.getTarget(), id);
        return BeginResponse.newBuilder().setTransactionId(id).setTabletAlias(alias).build();
    }

    /** Commits; for a transaction on a reserved connection, the response names the reservation, which stays. */
    @Override
    public CommitResponse commit(CommitRequest request) {
        guard.checkTarget(request.getTarget());
        long reservedId = transactions.commit(requireTransactionId(request.getTransactionId()));
        return CommitResponse.newBuilder().setReservedId(reservedId).build();
    }

    /** Rolls back; for a transaction on a reserved connection, the response names the reservation, which stays. */
    @Override
    public RollbackResponse rollback(RollbackRequest request) {
        guard.checkTarget(request.getTarget());
        long reservedId = transactions.rollback(requireTransactionId(request.getTransactionId()));
        return RollbackResponse.newBuilder().setReservedId(reservedId).build();
    }

    /**
     * Begins a transaction, on a fresh connection or on reserved connection {@code reserved_id}, and runs the
     * statement in it. Without a reserved id the pre-queries must be SET statements (the connection is closed
     * afterwards); on a reserved connection they may be any statement the tablet runs but transaction statements.
     * The transaction id of a transaction on a reserved connection is the reserved id.
     */
    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
        ServingState state = guard.checkServing(request.getTarget());
        long reservedId = request.getReservedId();
        List<Prepared> pre;
        if (reservedId == 0) {
            requireSetStatements(request.getPreQueriesList());
            pre = List.of();
        } else {
            pre = prepareAll(state, request.getPreQueriesList());
        }
        // Refuse a statement this tablet will not run before opening a transaction for it (a fresh connection has
        // no temporary tables to write into).
        Prepared p = prepare(state, request.getQuery());
        if (reservedId == 0) {
            p.pooled(guard);
        }
        ExecuteOptions options = request.getOptions();
        ExecutionLimits limits = ExecutionLimits.forExecute(options, config);
        long id;
        if (reservedId == 0) {
            id = transactions.begin(options, request.getPreQueriesList());
            recheckServing(request.getTarget(), id);
        } else {
            id = reservations.begin(reservedId, options, runAll(pre, limits));
        }
        BeginExecuteResponse.Builder response = BeginExecuteResponse.newBuilder().setTabletAlias(alias);
        try {
            QueryResult result = transactions.run(id, h -> run(h, p, limits));
            return response.setTransactionId(id).setResult(result).build();
        } catch (TesseraException e) {
            // The transaction stays open (if it still exists) so the caller can roll it back.
            if (transactions.isOpen(id)) {
                response.setTransactionId(id);
            }
            return response.setError(e.toRpcError()).build();
        }
    }

    /**
     * Reserves a connection (or, with {@code transaction_id}, the connection of that open transaction, whose id
     * becomes the reserved id too), runs the pre-queries and then the statement. Failing pre-queries release the
     * fresh connection and throw; a failing statement is answered with the error and the reserved id, which stays
     * valid.
     */
    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        ServingState state = guard.checkServing(request.getTarget());
        List<Prepared> pre = prepareAll(state, request.getPreQueriesList());
        Prepared p = prepare(state, request.getQuery());
        ExecutionLimits limits = ExecutionLimits.forExecute(request.getOptions(), config);
        long transactionId = request.getTransactionId();
        long id;
        if (transactionId != 0) {
            id = reservations.reserveTransaction(transactionId, runAll(pre, limits));
        } else {
            id = reservations.reserve(runAll(pre, limits));
            recheckServing(request.getTarget(), id);
        }
        ReserveExecuteResponse.Builder response = ReserveExecuteResponse.newBuilder().setTabletAlias(alias);
        try {
            QueryResult result = reservations.run(id, transactionId, h -> run(h, p, limits));
            return response.setReservedId(id).setResult(result).build();
        } catch (TesseraException e) {
            if (reservations.isReserved(id)) {
                response.setReservedId(id);
            }
            return response.setError(e.toRpcError()).build();
        }
    }

    /**
     * Reserves a connection, runs the pre-queries, begins a transaction, runs the post-begin queries (savepoints,
     * say) and then the statement in it. If any step before the statement fails, nothing stays reserved and the
     * call throws; a failing statement is answered with the error and both ids (they are equal).
     */
    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        ServingState state = guard.checkServing(request.getTarget());
        List<Prepared> pre = prepareAll(state, request.getPreQueriesList());
        List<Prepared> postBegin = prepareAll(state, request.getPostBeginQueriesList());
        Prepared p = prepare(state, request.getQuery());
        ExecuteOptions options = request.getOptions();
        ExecutionLimits limits = ExecutionLimits.forExecute(options, config);
        long id = reservations.reserveBegin(options, runAll(pre, limits), runAll(postBegin, limits));
        recheckServing(request.getTarget(), id);
        ReserveBeginExecuteResponse.Builder response = ReserveBeginExecuteResponse.newBuilder().setTabletAlias(alias);
        try {
            QueryResult result = reservations.run(id, id, h -> run(h, p, limits));
            return response.setReservedId(id).setTransactionId(id).setResult(result).build();
        } catch (TesseraException e) {
            if (reservations.isReserved(id)) {
                response.setReservedId(id);
            }
            if (transactions.isOpen(id)) {
                response.setTransactionId(id);
            }
            return response.setError(e.toRpcError()).build();
        }
    }

    /**
     * With {@code reserved_id}: rolls back its transaction, if any, and closes the connection
     * ({@code transaction_id} may be sent too, and must then be the same id). With only {@code transaction_id}:
     * rolls the transaction back, and closes its connection if that is reserved.
     *
     * @throws TesseraException RESERVED_CONN_NOT_FOUND or TX_NOT_FOUND (TX_EXPIRED) for an unknown id
     */
    @Override
    public ReleaseResponse release(ReleaseRequest request) {
        guard.checkTarget(request.getTarget());
        long transactionId = request.getTransactionId();
        long reservedId = request.getReservedId();
        if (reservedId != 0) {
            ReservedConnections.requireSameId(transactionId, reservedId);
            reservations.release(reservedId);
        } else {
            transactions.release(requireTransactionId(transactionId));
        }
        return ReleaseResponse.getDefaultInstance();
    }

    /** The connection pools' figures now, for the status page and metrics. */
    public java.util.List<PoolStats> poolStats() {
        return pools.stats();
    }

    /** Statements run so far on an event loop over a native connection (see {@link #executeNow}). */
    public long inlineStatements() {
        return inlineStatements.sum();
    }

    /** Transactions open right now, including those on reserved connections. */
    public int openTransactions() {
        return transactions.openCount();
    }

    /** Reserved connections held right now (each also takes a slot of the transaction pool). */
    public int reservedConnections() {
        return reservations.count();
    }

    /**
     * Ends every client session the tablet holds: rolls back every open transaction and closes every reserved
     * connection (a statement running on one is killed). For the tablet manager whenever the tablet stops serving
     * its type (a demoted primary must not commit anything more, and the gate re-reserves on the new primary).
     * Later calls with those ids get TX_EXPIRED or RESERVED_CONN_NOT_FOUND.
     */
    public void closeAllSessions(String reason) {
        held.closeAll(reason);
    }

    /** Rolls back open transactions, closes reserved connections and closes the pools. */
    @Override
    public void close() {
        if (natives != null) {
            natives.close();
        }
        held.close();
        scheduler.shutdownNow();
        pools.close();
    }

    /**
     * A statement that passed the checks, with its bind variables filled in; {@code temporaryTable} is the table a
     * write on a non-primary must find among the held connection's temporary tables (null: none needed).
     */
    private record Prepared(String sql, StatementInfo info, String temporaryTable) {
        /** Refuses a write that needs a temporary table on a pooled connection, which has none. */
        Prepared pooled(ServingGuard guard) {
            refuseOnPooledConnection(temporaryTable, guard);
            return this;
        }
    }

    private Prepared prepare(ServingState state, BoundQuery query) {
        Checked checked = check(state, query);
        return new Prepared(BindVariables.substitute(query.getSql(), query.getBindVariablesMap()), checked.info(),
                checked.temporaryTable());
    }

    /** A statement the serving state allows, before its bind variables are written in. */
    private record Checked(StatementInfo info, String temporaryTable) {
        /** As {@link Prepared#pooled}. */
        Checked pooled(ServingGuard guard) {
            refuseOnPooledConnection(temporaryTable, guard);
            return this;
        }
    }

    /** A write into a temporary table ({@code temporaryTable} not null) needs the connection that created it. */
    private static void refuseOnPooledConnection(String temporaryTable, ServingGuard guard) {
        if (temporaryTable != null) {
            guard.refuseWrite();
        }
    }

    private Checked check(ServingState state, BoundQuery query) {
        String sql = query.getSql();
        if (sql.isBlank()) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "the request has no SQL statement");
        }
        StatementInfo info = classifications.classify(query);
        if (info.kind().isTransactionBoundary()) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "'" + BindVariables.abbreviate(sql)
                    + "' ends or starts a transaction; use the Begin, Commit and Rollback calls instead");
        }
        return new Checked(info, guard.checkStatement(state, info, sql));
    }

    /** Pre-queries or post-begin queries, checked as statements of their own (they carry no bind variables). */
    private List<Prepared> prepareAll(ServingState state, List<String> queries) {
        List<Prepared> out = new ArrayList<>(queries.size());
        for (String q : queries) {
            out.add(prepare(state, BoundQuery.newBuilder().setSql(q).build()));
        }
        return out;
    }

    /** Work that runs {@code queries} one after the other, each under {@code limits}. */
    private HeldConnections.Work<Void> runAll(List<Prepared> queries, ExecutionLimits limits) {
        return h -> {
            for (Prepared q : queries) {
                run(h, q, limits);
            }
            return null;
        };
    }

    private QueryResult run(HeldConnection h, Prepared p, ExecutionLimits limits) throws SQLException {
        if (p.temporaryTable != null && !h.hasTemporaryTable(p.temporaryTable)) {
            guard.refuseWrite();
        }
        if (p.info.changesSession()) {
            h.markSessionChanged();
        }
        if (p.info.kind() != StatementKind.DDL) {
            return runner.execute(h.connection(), h.threadId(), p.sql, p.info, limits);
        }
        // A dropped table is forgotten even if the DROP failed (it may have dropped some of its list): forgetting
        // one can only refuse a later write, never let one through to a real table.
        TemporaryTables.dropped(p.sql).forEach(h::temporaryTableDropped);
        QueryResult result = runner.execute(h.connection(), h.threadId(), p.sql, p.info, limits);
        String created = TemporaryTables.created(p.sql);
        if (created != null) {
            h.temporaryTableCreated(created);
        }
        return result;
    }

    /** Work on the held connection the ids name: a reserved connection, or else a transaction. */
    private <T> T onHeld(long transactionId, long reservedId, HeldConnections.Work<T> work) {
        if (reservedId != 0) {
            return reservations.run(reservedId, transactionId, work);
        }
        return transactions.run(transactionId, work);
    }

    /**
     * Checks again, after a new session was opened, that the tablet still serves: a session opened while
     * {@link #closeAllSessions} ran would otherwise outlive it. If not, the session is ended again.
     */
    private void recheckServing(Target target, long id) {
        try {
            guard.checkServing(target);
        } catch (TesseraException e) {
            held.closeOne(id, "the tablet stopped serving while it was opened");
            throw e;
        }
    }

    /**
     * Pre-queries on a fresh transaction connection: only SETs, since anything else would run outside the
     * transaction, in autocommit.
     */
    private static void requireSetStatements(List<String> preQueries) {
        for (String q : preQueries) {
            if (StatementClassifier.classify(q).kind() != StatementKind.SET) {
                throw TesseraException.of(ErrorKind.BAD_REQUEST, "pre-queries may only be SET statements, got: "
                        + BindVariables.abbreviate(q));
            }
        }
    }

    private static void requireNoSessionState(StatementInfo info) {
        if (info.kind().changesSession() || info.kind() == StatementKind.SAVEPOINT) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, info.kind() + " outside a transaction would change a "
                    + "pooled connection that other sessions share; send it in a transaction, as a pre-query of "
                    + "BeginExecute, or on a reserved connection");
        }
        if (info.leavesState()) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "the statement leaves a temporary table, a lock, a "
                    + "prepared statement or a HANDLER on its connection, which would pass to other sessions "
                    + "sharing the pooled connection; run it on a reserved connection (ReserveExecute)");
        }
    }

    private static long requireTransactionId(long id) {
        if (id == 0) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "the request has no transaction id");
        }
        return id;
    }

    @FunctionalInterface
    private interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withPooledConnection(ConnectionPools.Pool pool, ConnectionWork<T> work) {
        Connection c = borrow(pool);
        boolean broken = false;
        try {
            return work.run(c);
        } catch (SQLException e) {
            broken = SqlErrors.isConnectionFailure(e);
            throw errors.translate(e);
        } catch (TesseraException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            broken = true;
            throw e;
        } finally {
            release(pool, c, broken);
        }
    }

    private Connection borrow(ConnectionPools.Pool pool) {
        try {
            return pools.borrow(pool);
        } catch (SQLException e) {
            int capacity = switch (pool) {
                case QUERY -> config.poolSize();
                case STREAM -> config.streamPoolSize();
                case TRANSACTION -> config.transactionCap();
            };
            throw errors.borrowFailure(e, pool, pools, capacity);
        }
    }

    private void release(ConnectionPools.Pool pool, Connection c, boolean discard) {
        if (discard) {
            pools.discard(pool, c);
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            pools.discard(pool, c);
        }
    }

    /** {@code zone1-0000000100}, as Vitess prints aliases. */
    static String aliasString(TabletAlias alias) {
        return String.format("%s-%010d", alias.getCell(), Integer.toUnsignedLong(alias.getUid()));
    }
}
