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
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.queryservice.QueryResultConsumer;
import io.tessera.queryservice.QueryService;
import io.tessera.tablet.mysqlctl.DbConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The tablet's query service: runs the gate's statements on the tablet's mysqld as the app user.
 *
 * <p>Every request goes through the same short pipeline: check the target and the tablet's serving state (see
 * {@link ServingGuard}), classify the statement without parsing it ({@link StatementClassifier}), refuse what this
 * tablet must not run (writes on a non-primary, denied tables, transaction statements outside Begin/Commit/
 * Rollback), fill in bind variables ({@link BindVariables}), run it on a pooled or transaction connection under
 * the query timeout ({@link StatementRunner}), and return the result in compact rows. Failures are
 * {@link TesseraException}s from the catalogue; MySQL's own errors keep their errno and SQLSTATE.
 *
 * <p>Wiring (the tablet's main): build a {@link QueryServiceConfig} from {@link QueryServiceFlags}, give the
 * tablet manager's {@link TabletServingState}, the mysqld's app and dba connectors and the tablet alias, and serve
 * it with {@link io.tessera.queryservice.QueryServiceGrpcAdapter}. Close it on shutdown: open transactions are
 * rolled back and the pools closed.
 */
public final class TabletQueryService implements QueryService, AutoCloseable {
    private final QueryServiceConfig config;
    private final TabletAlias alias;
    private final ServingGuard guard;
    private final ConnectionPools pools;
    private final TransactionEngine transactions;
    private final StatementRunner runner;
    private final SqlErrors errors;
    private final ScheduledExecutorService scheduler;

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
        this(config, state, app, new DbaKiller(dba), alias, Clock.systemUTC());
    }

    TabletQueryService(QueryServiceConfig config, TabletServingState state, DbConnector app, MysqlKiller killer,
            TabletAlias alias, Clock clock) {
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
        this.runner = new StatementRunner(new QueryDeadlines(scheduler, killer), killer, config.streamBufferSize());
        this.transactions = new TransactionEngine(pools, killer, new TransactionIds(clock), config, scheduler, errors,
                tablet, System::nanoTime);
    }

    @Override
    public ExecuteResponse execute(ExecuteRequest request) {
        ServingState state = guard.checkServing(request.getTarget());
        requireNoReservedConnection(request.getReservedId());
        Prepared p = prepare(state, request.getQuery());
        ExecutionLimits limits = ExecutionLimits.forExecute(request.getOptions(), config);
        QueryResult result;
        if (request.getTransactionId() != 0) {
            result = transactions.run(request.getTransactionId(), tx -> {
                if (p.info.kind().changesSession()) {
                    tx.markSessionChanged();
                }
                return runner.execute(tx.connection(), tx.threadId(), p.sql, p.info, limits);
            });
        } else {
            requireNoSessionState(p.info);
            result = withPooledConnection(ConnectionPools.Pool.QUERY,
                    c -> runner.execute(c, TransactionEngine.threadIdOf(c), p.sql, p.info, limits));
        }
        return ExecuteResponse.newBuilder().setResult(result).build();
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, QueryResultConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        ServingState state = guard.checkServing(request.getTarget());
        requireNoReservedConnection(request.getReservedId());
        Prepared p = prepare(state, request.getQuery());
        if (p.info.kind() != StatementKind.READ && p.info.kind() != StatementKind.OTHER) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, p.info.kind()
                    + " statements cannot be streamed; send them with Execute");
        }
        ExecutionLimits limits = ExecutionLimits.forStream(request.getOptions());
        if (request.getTransactionId() != 0) {
            transactions.run(request.getTransactionId(), tx -> {
                runner.stream(tx.connection(), tx.threadId(), p.sql, limits, consumer);
                return null;
            });
            return;
        }
        Connection c = borrow(ConnectionPools.Pool.STREAM);
        boolean ok = false;
        try {
            runner.stream(c, TransactionEngine.threadIdOf(c), p.sql, limits, consumer);
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
        return BeginResponse.newBuilder().setTransactionId(id).setTabletAlias(alias).build();
    }

    @Override
    public CommitResponse commit(CommitRequest request) {
        guard.checkTarget(request.getTarget());
        transactions.commit(requireTransactionId(request.getTransactionId()));
        return CommitResponse.getDefaultInstance();
    }

    @Override
    public RollbackResponse rollback(RollbackRequest request) {
        guard.checkTarget(request.getTarget());
        transactions.rollback(requireTransactionId(request.getTransactionId()));
        return RollbackResponse.getDefaultInstance();
    }

    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
        ServingState state = guard.checkServing(request.getTarget());
        requireNoReservedConnection(request.getReservedId());
        for (String pre : request.getPreQueriesList()) {
            if (StatementClassifier.classify(pre).kind() != StatementKind.SET) {
                throw TesseraException.of(ErrorKind.BAD_REQUEST, "pre-queries may only be SET statements, got: "
                        + BindVariables.abbreviate(pre));
            }
        }
        // Refuse a statement this tablet will not run before opening a transaction for it.
        Prepared p = prepare(state, request.getQuery());
        ExecuteOptions options = request.getOptions();
        long id = transactions.begin(options, request.getPreQueriesList());
        BeginExecuteResponse.Builder response = BeginExecuteResponse.newBuilder().setTabletAlias(alias);
        ExecutionLimits limits = ExecutionLimits.forExecute(options, config);
        try {
            QueryResult result = transactions.run(id, tx -> {
                if (p.info.kind().changesSession()) {
                    tx.markSessionChanged();
                }
                return runner.execute(tx.connection(), tx.threadId(), p.sql, p.info, limits);
            });
            return response.setTransactionId(id).setResult(result).build();
        } catch (TesseraException e) {
            // The transaction stays open (if it still exists) so the caller can roll it back.
            if (transactions.isOpen(id)) {
                response.setTransactionId(id);
            }
            return response.setError(e.toRpcError()).build();
        }
    }

    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        guard.checkServing(request.getTarget());
        throw TesseraException.of(ErrorKind.UNIMPLEMENTED, "reserved connections");
    }

    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        guard.checkServing(request.getTarget());
        throw TesseraException.of(ErrorKind.UNIMPLEMENTED, "reserved connections");
    }

    @Override
    public ReleaseResponse release(ReleaseRequest request) {
        guard.checkTarget(request.getTarget());
        if (request.getReservedId() != 0) {
            requireNoReservedConnection(request.getReservedId());
        }
        transactions.rollback(requireTransactionId(request.getTransactionId()));
        return ReleaseResponse.getDefaultInstance();
    }

    /** The connection pools' figures now, for the status page and metrics. */
    public java.util.List<PoolStats> poolStats() {
        return pools.stats();
    }

    /** Transactions open right now. */
    public int openTransactions() {
        return transactions.openCount();
    }

    /**
     * Rolls back every open transaction; for the tablet manager when the tablet stops serving its type (a demoted
     * primary must not commit anything more). Later calls with those ids get TX_EXPIRED.
     */
    public void rollbackAllTransactions(String reason) {
        transactions.rollbackAll(reason);
    }

    /** Rolls back open transactions and closes the pools. */
    @Override
    public void close() {
        transactions.close();
        scheduler.shutdownNow();
        pools.close();
    }

    /** A statement that passed the checks, with its bind variables filled in. */
    private record Prepared(String sql, StatementInfo info) {}

    private Prepared prepare(ServingState state, BoundQuery query) {
        String sql = query.getSql();
        if (sql.isBlank()) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "the request has no SQL statement");
        }
        StatementInfo info = StatementClassifier.classify(sql);
        if (info.kind().isTransactionBoundary()) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "'" + BindVariables.abbreviate(sql)
                    + "' ends or starts a transaction; use the Begin, Commit and Rollback calls instead");
        }
        guard.checkStatement(state, info, sql);
        return new Prepared(BindVariables.substitute(sql, query.getBindVariablesMap()), info);
    }

    private static void requireNoSessionState(StatementInfo info) {
        if (info.kind().changesSession() || info.kind() == StatementKind.SAVEPOINT) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, info.kind() + " outside a transaction would change a "
                    + "pooled connection that other sessions share; send it in a transaction (or as a pre-query "
                    + "of BeginExecute)");
        }
    }

    private static void requireNoReservedConnection(long reservedId) {
        if (reservedId != 0) {
            throw TesseraException.of(ErrorKind.UNIMPLEMENTED, "reserved connections (reserved_id " + reservedId
                    + ")");
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
