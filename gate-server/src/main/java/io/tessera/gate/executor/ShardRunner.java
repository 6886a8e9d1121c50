package io.tessera.gate.executor;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.discovery.TabletGateway;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.ExecuteOptions.TransactionAccessMode;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.ReserveBeginExecuteResponse;
import io.tessera.proto.query.ReserveExecuteResponse;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtgate.Session;
import io.tessera.proto.vtgate.TransactionMode;
import io.tessera.proto.vtrpc.Code;
import io.tessera.proto.vtrpc.RPCError;
import io.tessera.queryservice.QueryResultConsumer;
import io.tessera.queryservice.QueryService;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one statement on one shard for a session, choosing the call from the session's state and keeping the
 * session's shard sessions up to date:
 *
 * <ul>
 *   <li>a shard session with a transaction: the statement runs in it, on the tablet that holds it (and a session
 *       that now needs a reserved connection reserves the transaction's connection);
 *   <li>a shard session with only a reserved connection: the statement runs there, beginning a transaction on it
 *       first when the session is in one;
 *   <li>no shard session: a session that needs a reserved connection reserves one (replaying its system variables
 *       as pre-queries and, in a transaction, its savepoints after BEGIN); a session in a transaction begins one
 *       with the statement; otherwise the statement runs on its own, routed by the gateway.
 * </ul>
 *
 * <p>A reserved connection the tablet no longer has (it stopped serving, a reparent closed it) is dropped from the
 * session and, outside a transaction, reserved anew once and the statement retried; user variables that lived only
 * on the lost connection are lost with it. A connection that held what cannot be replayed (table locks, temporary
 * tables, named locks, prepared statements, HANDLERs: the session's {@code reserved_conn_state}) is not replaced
 * silently: the statement fails once with {@code RESERVED_STATE_LOST}, as from a killed connection. Inside a transaction the transaction is gone: the error is returned and
 * the session leaves the transaction, as MySQL's client would after losing its connection.
 */
final class ShardRunner {
    private static final Logger log = LoggerFactory.getLogger(ShardRunner.class);
    /** ER_LOCK_DEADLOCK: MySQL rolled the whole transaction back. */
    private static final int ER_LOCK_DEADLOCK = 1213;

    /**
     * How a statement must run.
     *
     * @param transaction inside the session's transaction (opening it on this shard if needed)
     * @param reserved on the session's reserved connection (reserving one if needed)
     */
    record Mode(boolean transaction, boolean reserved) {}

    /** The reserved connection or transaction behind a shard session is gone; carries the tablet's error. */
    private static final class ConnectionLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectionLost(TesseraException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        TesseraException error() {
            return (TesseraException) getCause();
        }
    }

    private final TabletGateway gateway;
    private final TabletCalls calls;
    private final TransactionMode defaultMode;

    ShardRunner(TabletGateway gateway, TabletCalls calls, ExecutorConfig config) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.defaultMode = config.transactionMode();
    }

    /** Runs {@code query} on {@code destination} in the way {@code mode} asks. */
    QueryResult execute(CallContext ctx, Destination destination, BoundQuery query, Mode mode) {
        try {
            return executeOnce(ctx, destination.target(), query, mode);
        } catch (ConnectionLost lost) {
            if (ctx.session().getReservedConnState()) {
                throw stateLost(ctx.session(), destination.target(), lost.error());
            }
            log.info("reserved connection of {} lost ({}); reserving a new one and retrying",
                    destination, lost.error().getMessage());
            try {
                return executeOnce(ctx, destination.target(), query, mode);
            } catch (ConnectionLost again) {
                throw again.error();
            }
        }
    }

    /**
     * Streams {@code query} if the session's state allows it without opening anything (no transaction or reserved
     * connection to create first); returns false, having done nothing, otherwise.
     */
    boolean stream(CallContext ctx, Destination destination, BoundQuery query, Mode mode,
            QueryResultConsumer consumer) {
        Session.Builder session = ctx.session();
        Target target = destination.target();
        int idx = ShardSessions.indexOf(session, target);
        if (idx < 0) {
            if (mode.transaction() || mode.reserved()) {
                return false;
            }
            calls.stream(ctx, gateway, target, query, 0, 0, consumer);
            return true;
        }
        Session.ShardSession ss = session.getShardSessions(idx);
        if ((mode.transaction() && ss.getTransactionId() == 0) || (mode.reserved() && ss.getReservedId() == 0)) {
            return false;
        }
        try {
            calls.stream(ctx, tablet(ss), target, query, ss.getTransactionId(), ss.getReservedId(), consumer);
            return true;
        } catch (TesseraException e) {
            if (ss.getTransactionId() != 0) {
                throw inTransactionFailure(ctx, target, e);
            }
            if (connectionLost(e)) {
                removeShardSession(session, target);
                if (session.getReservedConnState()) {
                    throw stateLost(session, target, e);
                }
                return false; // the caller runs the statement the non-streaming way, which reserves anew
            }
            throw e;
        }
    }

    private QueryResult executeOnce(CallContext ctx, Target target, BoundQuery query, Mode mode) {
        Session.Builder session = ctx.session();
        int idx = ShardSessions.indexOf(session, target);
        if (idx < 0) {
            if (mode.transaction()) {
                checkSingleShard(session, target);
            }
            return open(ctx, target, query, mode);
        }
        Session.ShardSession ss = session.getShardSessions(idx);
        if (ss.getTransactionId() != 0) {
            return inTransaction(ctx, ss, query, mode);
        }
        return onReserved(ctx, ss, query, mode);
    }

    /** No shard session yet: reserve, begin, both, or just run. */
    private QueryResult open(CallContext ctx, Target target, BoundQuery query, Mode mode) {
        Session.Builder session = ctx.session();
        List<String> preQueries = SessionVariables.preQueries(session);
        if (mode.reserved() && mode.transaction()) {
            ReserveBeginExecuteResponse r = calls.reserveBeginExecute(ctx, gateway, target, query, preQueries,
                    session.getSavepointsList(), transactionOptions(ctx, target));
            if (r.getTransactionId() != 0 || r.getReservedId() != 0) {
                update(session, target, r.getTabletAlias(), r.getTransactionId(), r.getReservedId());
            }
            return resultOrThrow(r.hasError() ? r.getError() : null, r.getResult());
        }
        if (mode.reserved()) {
            ReserveExecuteResponse r = calls.reserveExecute(ctx, gateway, target, query, 0, preQueries);
            if (r.getReservedId() != 0) {
                update(session, target, r.getTabletAlias(), 0, r.getReservedId());
            }
            return resultOrThrow(r.hasError() ? r.getError() : null, r.getResult());
        }
        if (mode.transaction()) {
            if (session.getSavepointsCount() == 0) {
                BeginExecuteResponse r = calls.beginExecute(ctx, gateway, target, query, 0,
                        transactionOptions(ctx, target));
                if (r.getTransactionId() != 0) {
                    update(session, target, r.getTabletAlias(), r.getTransactionId(), 0);
                }
                return resultOrThrow(r.hasError() ? r.getError() : null, r.getResult());
            }
            // BeginExecute has no post-begin statements: begin, replay the savepoints, then run the statement.
            BeginResponse b = calls.begin(ctx, gateway, target, transactionOptions(ctx, target));
            update(session, target, b.getTabletAlias(), b.getTransactionId(), 0);
            QueryService tablet = gateway.tablet(b.getTabletAlias());
            for (String savepoint : session.getSavepointsList()) {
                calls.execute(ctx, tablet, target, bound(savepoint), b.getTransactionId(), 0);
            }
            return calls.execute(ctx, tablet, target, query, b.getTransactionId(), 0).getResult();
        }
        return calls.execute(ctx, gateway, target, query, 0, 0).getResult();
    }

    /** The shard session holds a transaction: run in it. */
    private QueryResult inTransaction(CallContext ctx, Session.ShardSession ss, BoundQuery query, Mode mode) {
        Session.Builder session = ctx.session();
        Target target = ss.getTarget();
        try {
            QueryService tablet = tablet(ss);
            if (mode.reserved() && ss.getReservedId() == 0) {
                ReserveExecuteResponse r = calls.reserveExecute(ctx, tablet, target, query, ss.getTransactionId(),
                        SessionVariables.preQueries(session));
                if (r.getReservedId() != 0) {
                    update(session, target, ss.getTabletAlias(), ss.getTransactionId(), r.getReservedId());
                }
                return resultOrThrow(r.hasError() ? r.getError() : null, r.getResult());
            }
            return calls.execute(ctx, tablet, target, query, ss.getTransactionId(), ss.getReservedId())
                    .getResult();
        } catch (TesseraException e) {
            throw inTransactionFailure(ctx, target, e);
        }
    }

    /** The shard session holds only a reserved connection: run there, beginning first when in a transaction. */
    private QueryResult onReserved(CallContext ctx, Session.ShardSession ss, BoundQuery query, Mode mode) {
        Session.Builder session = ctx.session();
        Target target = ss.getTarget();
        try {
            QueryService tablet = tablet(ss);
            if (!mode.transaction()) {
                return calls.execute(ctx, tablet, target, query, 0, ss.getReservedId()).getResult();
            }
            checkSingleShard(session, target);
            List<String> savepoints = session.getSavepointsList();
            BoundQuery first = savepoints.isEmpty() ? query : bound(savepoints.getFirst());
            BeginExecuteResponse r = calls.beginExecute(ctx, tablet, target, first, ss.getReservedId(),
                    transactionOptions(ctx, target));
            if (r.getTransactionId() != 0) {
                update(session, target, ss.getTabletAlias(), r.getTransactionId(), ss.getReservedId());
            }
            QueryResult result = resultOrThrow(r.hasError() ? r.getError() : null, r.getResult());
            if (savepoints.isEmpty()) {
                return result;
            }
            for (String savepoint : savepoints.subList(1, savepoints.size())) {
                calls.execute(ctx, tablet, target, bound(savepoint), r.getTransactionId(), ss.getReservedId());
            }
            return calls.execute(ctx, tablet, target, query, r.getTransactionId(), ss.getReservedId()).getResult();
        } catch (TesseraException e) {
            int idx = ShardSessions.indexOf(session, target);
            if (idx >= 0 && session.getShardSessions(idx).getTransactionId() != 0) {
                throw inTransactionFailure(ctx, target, e);
            }
            if (connectionLost(e)) {
                removeShardSession(session, target);
                throw new ConnectionLost(e);
            }
            throw e;
        }
    }

    /**
     * A statement that ran in the transaction of the session's only shard session, without blocking, failed with
     * {@code e}: the same bookkeeping as on the blocking path. It makes no call, since no other shard holds a part
     * of the transaction. Returns the error to throw.
     */
    TesseraException failedInTransaction(CallContext ctx, Target target, TesseraException e) {
        return inTransactionFailure(ctx, target, e);
    }

    /**
     * Decides what a failure inside a transaction leaves of it: a lost connection or transaction ends the
     * session's transaction (the other shards' parts are rolled back); a deadlock, which MySQL answers by rolling
     * the transaction back, does too. Returns the error to throw.
     */
    private TesseraException inTransactionFailure(CallContext ctx, Target target, TesseraException e) {
        Session.Builder session = ctx.session();
        boolean lost = transactionLost(e);
        if (lost || e.mysqlErrno() == ER_LOCK_DEADLOCK) {
            int idx = ShardSessions.indexOf(session, target);
            if (idx >= 0) {
                Session.ShardSession ss = session.getShardSessions(idx);
                if (lost || ss.getReservedId() == 0) {
                    session.removeShardSessions(idx);
                } else {
                    session.setShardSessions(idx, ss.toBuilder().setTransactionId(0));
                }
            }
            abandonTransaction(ctx);
        }
        return e;
    }

    /**
     * Leaves the session's transaction after it was lost on one shard: the other shards' parts are rolled back
     * (best effort, keeping their reserved connections) and the transaction state cleared.
     */
    private void abandonTransaction(CallContext ctx) {
        Session.Builder session = ctx.session();
        for (int i = session.getShardSessionsCount() - 1; i >= 0; i--) {
            Session.ShardSession ss = session.getShardSessions(i);
            if (ss.getTransactionId() == 0) {
                continue;
            }
            try {
                calls.rollback(ctx, tablet(ss), ss.getTarget(), ss.getTransactionId());
            } catch (RuntimeException ex) {
                log.warn("rolling back transaction {} on {} after the session lost its transaction failed: {}",
                        ss.getTransactionId(), ShardSessions.alias(ss), ex.getMessage());
            }
            if (ss.getReservedId() != 0) {
                session.setShardSessions(i, ss.toBuilder().setTransactionId(0));
            } else {
                session.removeShardSessions(i);
            }
        }
        SessionState.endTransaction(session);
    }

    private void checkSingleShard(Session.Builder session, Target target) {
        TransactionMode mode = session.getTransactionMode() == TransactionMode.UNSPECIFIED ? defaultMode
                : session.getTransactionMode();
        if (mode == TransactionMode.SINGLE && ShardSessions.transactionElsewhere(session, target)) {
            throw TesseraException.of(ErrorKind.UNIMPLEMENTED, "a transaction that spans more than one shard or "
                    + "tablet type (now reaching " + target.getKeyspace() + "/" + target.getShard() + "@"
                    + TargetString.typeName(target.getTabletType()) + ") with transaction_mode SINGLE; keep the "
                    + "transaction on one shard, or SET transaction_mode = 'multi'");
        }
    }

    /** The options of a new transaction: the session's, read-only on replicas and under tx_read_only. */
    private static ExecuteOptions transactionOptions(CallContext ctx, Target target) {
        ExecuteOptions options = ctx.options();
        boolean readOnly = target.getTabletType() != TabletType.PRIMARY
                || ("1".equals(ctx.session().getSystemVariablesMap().get("transaction_read_only"))
                        && !options.getTransactionAccessModeList().contains(TransactionAccessMode.READ_WRITE));
        if (readOnly && !options.getTransactionAccessModeList().contains(TransactionAccessMode.READ_ONLY)) {
            return options.toBuilder().addTransactionAccessMode(TransactionAccessMode.READ_ONLY).build();
        }
        return options;
    }

    private QueryService tablet(Session.ShardSession ss) {
        return gateway.tablet(ss.getTabletAlias());
    }

    /** Records what a call opened on {@code target}'s shard session, creating it if needed. */
    private static void update(Session.Builder session, Target target, TabletAlias alias, long transactionId,
            long reservedId) {
        int idx = ShardSessions.indexOf(session, target);
        Session.ShardSession.Builder ss = idx >= 0 ? session.getShardSessions(idx).toBuilder()
                : Session.ShardSession.newBuilder().setTarget(target);
        if (alias != null && !alias.equals(TabletAlias.getDefaultInstance())) {
            ss.setTabletAlias(alias);
        }
        ss.setTransactionId(transactionId).setReservedId(reservedId);
        if (idx >= 0) {
            session.setShardSessions(idx, ss);
        } else {
            session.addShardSessions(ss);
        }
        if (transactionId != 0) {
            session.setInTransaction(true);
        }
        if (reservedId != 0) {
            session.setInReservedConn(true);
        }
    }

    private static void removeShardSession(Session.Builder session, Target target) {
        int idx = ShardSessions.indexOf(session, target);
        if (idx >= 0) {
            session.removeShardSessions(idx);
        }
    }

    private static QueryResult resultOrThrow(RPCError error, QueryResult result) {
        if (error != null && error.getCode() != Code.OK) {
            throw TesseraException.fromRpcError(error, null);
        }
        return result;
    }

    private static BoundQuery bound(String sql) {
        return BoundQuery.newBuilder().setSql(sql).build();
    }

    /**
     * A lost reserved connection held what the gate cannot replay on a new one (table locks, temporary tables...):
     * the client hears of it once, as from a killed connection, and the session's next statement reserves anew.
     */
    private static TesseraException stateLost(Session.Builder session, Target target, TesseraException cause) {
        session.setReservedConnState(false);
        log.info("reserved connection of {} lost with session state ({}); reporting it to the client",
                Destination.of(target), cause.getMessage());
        return TesseraException.withCause(ErrorKind.RESERVED_STATE_LOST, cause, target.getKeyspace() + "/"
                + target.getShard(), cause.getMessage());
    }

    /** The tablet no longer has the connection a shard session names (checked before the statement ran). */
    static boolean connectionLost(TesseraException e) {
        return switch (e.kind()) {
            case RESERVED_CONN_NOT_FOUND, NOT_SERVING, WRONG_TARGET, QUERY_SERVICE_DISABLED, MYSQLD_DOWN -> true;
            case UNCATALOGUED -> e.code() == Code.NOT_FOUND || e.code() == Code.CLUSTER_EVENT;
            default -> false;
        };
    }

    /** The transaction a shard session names is gone. */
    static boolean transactionLost(TesseraException e) {
        return connectionLost(e) || e.kind() == ErrorKind.TX_NOT_FOUND || e.kind() == ErrorKind.TX_EXPIRED;
    }
}
