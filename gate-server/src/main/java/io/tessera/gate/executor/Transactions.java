package io.tessera.gate.executor;

import io.tessera.common.errors.TesseraException;
import io.tessera.gate.discovery.TabletGateway;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteOptions.TransactionAccessMode;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.RollbackResponse;
import io.tessera.proto.vtgate.Session;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's transaction: BEGIN opens it lazily (nothing is sent until a statement reaches a shard, see
 * {@link ShardRunner}), COMMIT and ROLLBACK end it on every shard it reached, savepoints are sent to those shards
 * and remembered for shards it reaches later, and closing a session gives back everything it holds.
 */
final class Transactions {
    private static final Logger log = LoggerFactory.getLogger(Transactions.class);

    private final TabletGateway gateway;
    private final TabletCalls calls;
    private final ShardRunner shards;

    Transactions(TabletGateway gateway, TabletCalls calls, ShardRunner shards) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.shards = Objects.requireNonNull(shards, "shards");
    }

    /**
     * BEGIN / START TRANSACTION: commits an open transaction first (MySQL's implicit commit), then marks the session
     * as in a transaction with the given access modes.
     */
    QueryResult begin(CallContext ctx, List<TransactionAccessMode> accessModes) {
        Session.Builder session = ctx.session();
        if (session.getInTransaction()) {
            commit(ctx);
        }
        session.setInTransaction(true);
        session.clearSavepoints();
        session.getOptionsBuilder().clearTransactionAccessMode().addAllTransactionAccessMode(accessModes);
        return QueryResult.getDefaultInstance();
    }

    /**
     * COMMIT: commits the transaction on every shard it reached, in order. A shard whose commit fails ends the
     * commit: the shards after it are rolled back, and the error is returned. Reserved connections stay reserved.
     */
    QueryResult commit(CallContext ctx) {
        return finish(ctx, true);
    }

    /** ROLLBACK: rolls the transaction back everywhere. Never fails: a transaction that is gone is rolled back. */
    QueryResult rollback(CallContext ctx) {
        return finish(ctx, false);
    }

    /** A statement that commits implicitly is about to run: commit the open transaction, if any. */
    void implicitCommit(CallContext ctx) {
        if (ctx.session().getInTransaction() || ShardSessions.anyTransaction(ctx.session())) {
            commit(ctx);
        }
    }

    /**
     * SAVEPOINT, ROLLBACK TO SAVEPOINT, RELEASE SAVEPOINT: sent to every shard the transaction reached and
     * remembered, in order, for shards it reaches later. Outside a transaction they do nothing (in autocommit mode
     * MySQL has no transaction for them to mark); with autocommit off they open one, as any statement does.
     */
    QueryResult savepoint(CallContext ctx, String sql) {
        Session.Builder session = ctx.session();
        if (!SessionState.wantsTransaction(session)) {
            return QueryResult.getDefaultInstance();
        }
        session.setInTransaction(true);
        BoundQuery query = BoundQuery.newBuilder().setSql(sql).build();
        for (Session.ShardSession ss : List.copyOf(session.getShardSessionsList())) {
            if (ss.getTransactionId() != 0) {
                shards.execute(ctx, Destination.of(ss.getTarget()), query,
                        new ShardRunner.Mode(true, ss.getReservedId() != 0));
            }
        }
        session.addSavepoints(sql);
        return QueryResult.getDefaultInstance();
    }

    /** Rolls back and releases everything the session holds on tablets, and forgets it. Never throws. */
    void close(CallContext ctx) {
        Session.Builder session = ctx.session();
        for (Session.ShardSession ss : session.getShardSessionsList()) {
            try {
                if (ss.getReservedId() != 0) {
                    calls.release(ctx, gateway.tablet(ss.getTabletAlias()), ss.getTarget(), ss.getTransactionId(),
                            ss.getReservedId());
                } else if (ss.getTransactionId() != 0) {
                    calls.rollback(ctx, gateway.tablet(ss.getTabletAlias()), ss.getTarget(), ss.getTransactionId());
                }
            } catch (RuntimeException e) {
                log.info("releasing transaction {} / reserved connection {} on {} failed: {}",
                        ss.getTransactionId(), ss.getReservedId(), ShardSessions.alias(ss), e.getMessage());
            }
        }
        session.clearShardSessions();
        session.setInReservedConn(false);
        SessionState.endTransaction(session);
    }

    private QueryResult finish(CallContext ctx, boolean commit) {
        Session.Builder session = ctx.session();
        TesseraException failure = null;
        for (int i = 0; i < session.getShardSessionsCount(); ) {
            Session.ShardSession ss = session.getShardSessions(i);
            if (ss.getTransactionId() == 0) {
                i++;
                continue;
            }
            long reserved = ss.getReservedId();
            boolean keep = true;
            try {
                if (commit && failure == null) {
                    CommitResponse r = calls.commit(ctx, gateway.tablet(ss.getTabletAlias()), ss.getTarget(),
                            ss.getTransactionId());
                    reserved = reserved != 0 ? reserved : r.getReservedId();
                } else {
                    RollbackResponse r = calls.rollback(ctx, gateway.tablet(ss.getTabletAlias()), ss.getTarget(),
                            ss.getTransactionId());
                    reserved = reserved != 0 ? reserved : r.getReservedId();
                }
            } catch (TesseraException e) {
                if (commit && failure == null) {
                    failure = e;
                } else {
                    log.info("rolling back transaction {} on {} failed: {}", ss.getTransactionId(),
                            ShardSessions.alias(ss), e.getMessage());
                }
                keep = !ShardRunner.connectionLost(e);
            }
            if (keep && reserved != 0) {
                session.setShardSessions(i, ss.toBuilder().setTransactionId(0).setReservedId(reserved));
                i++;
            } else {
                session.removeShardSessions(i);
            }
        }
        SessionState.endTransaction(session);
        if (failure != null) {
            throw failure;
        }
        return QueryResult.getDefaultInstance();
    }
}
