package io.tessera.tablet.queryservice;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.ExecuteOptions.TransactionAccessMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open transactions: each holds one connection of the transaction pool (whose size is the transaction cap) under an
 * id that later calls name. A sweeper rolls back transactions open longer than the transaction timeout: an idle
 * one is rolled back and its connection released; one in the middle of a statement has its connection killed on
 * mysqld. Either way a later call with its id gets {@link ErrorKind#TX_EXPIRED}.
 *
 * <p>A connection goes back to the pool only after a successful COMMIT or ROLLBACK and only if no statement changed
 * its session (SET, USE); otherwise it is closed, so no transaction or session state ever leaks to the next user.
 */
final class TransactionEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionEngine.class);
    /** SERVER_STATUS_IN_TRANS in the server status flags of every OK packet. */
    private static final int SERVER_STATUS_IN_TRANS = 1;
    /** How many expired ids are remembered, to tell "expired" from "never existed" in errors. */
    private static final int REMEMBERED_EXPIRED = 10_000;

    /** Work done with a transaction's connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(ActiveTransaction tx) throws SQLException;
    }

    private final ConnectionPools pools;
    private final MysqlKiller killer;
    private final TransactionIds ids;
    private final Duration timeout;
    private final int cap;
    private final SqlErrors errors;
    private final String tablet;
    private final LongSupplier nanoTime;
    private final Map<Long, ActiveTransaction> open = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> expired = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED_EXPIRED;
        }
    }; // guarded by itself
    private final ScheduledFuture<?> sweeper;

    TransactionEngine(ConnectionPools pools, MysqlKiller killer, TransactionIds ids, QueryServiceConfig config,
            ScheduledExecutorService scheduler, SqlErrors errors, String tablet, LongSupplier nanoTime) {
        this.pools = Objects.requireNonNull(pools, "pools");
        this.killer = Objects.requireNonNull(killer, "killer");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.timeout = config.transactionTimeout();
        this.cap = config.transactionCap();
        this.errors = Objects.requireNonNull(errors, "errors");
        this.tablet = Objects.requireNonNull(tablet, "tablet");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        if (timeout.isZero()) {
            sweeper = null;
        } else {
            // A tenth of the timeout keeps the overshoot small; bounds keep it cheap and responsive.
            long period = Math.clamp(timeout.toMillis() / 10, 10, 1000);
            sweeper = scheduler.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Opens a transaction: a transaction-pool connection, the pre-queries (SETs the caller wants on the session),
     * the isolation level and access mode from {@code options}, then START TRANSACTION.
     *
     * @return the new transaction's id
     */
    long begin(ExecuteOptions options, List<String> preQueries) {
        Connection c;
        try {
            c = pools.borrow(ConnectionPools.Pool.TRANSACTION);
        } catch (SQLException e) {
            throw errors.borrowFailure(e, ConnectionPools.Pool.TRANSACTION, pools, cap);
        }
        long threadId;
        try {
            threadId = threadIdOf(c);
            try (Statement s = c.createStatement()) {
                for (String q : preQueries) {
                    s.execute(q);
                }
                String isolation = isolationStatement(options.getTransactionIsolation());
                if (isolation != null) {
                    s.execute(isolation);
                }
                s.execute(startStatement(options));
            }
        } catch (SQLException e) {
            pools.discard(ConnectionPools.Pool.TRANSACTION, c);
            throw errors.translate(e);
        } catch (RuntimeException | Error e) {
            pools.discard(ConnectionPools.Pool.TRANSACTION, c);
            throw e;
        }
        long id = ids.next();
        ActiveTransaction tx = new ActiveTransaction(id, c, threadId, nanoTime.getAsLong());
        if (!preQueries.isEmpty()) {
            tx.markSessionChanged();
        }
        open.put(id, tx);
        tx.release();
        return id;
    }

    /**
     * Runs {@code work} on transaction {@code id}'s connection, holding the transaction for the duration.
     *
     * @throws TesseraException TX_NOT_FOUND, TX_EXPIRED or TX_IN_USE if the transaction cannot be used; the work's
     *     own failure otherwise
     */
    <T> T run(long id, Work<T> work) {
        ActiveTransaction tx = acquire(id);
        T result = null;
        RuntimeException failure = null;
        boolean connectionBroken = false;
        try {
            result = work.run(tx);
        } catch (SQLException e) {
            connectionBroken = SqlErrors.isConnectionFailure(e);
            failure = errors.translate(e);
        } catch (TesseraException e) {
            failure = e;
        } catch (RuntimeException e) {
            connectionBroken = true; // unknown state: do not trust the connection
            failure = e;
        } catch (Error e) {
            endAndDiscard(tx);
            throw e;
        }
        if (connectionBroken) {
            endAndDiscard(tx);
            if (wasExpired(id)) {
                throw expiredError(id);
            }
            throw failure;
        }
        if (failure instanceof TesseraException t && t.kind() == ErrorKind.MYSQL_ERROR && !stillInTransaction(tx)) {
            // MySQL ended the transaction itself (a deadlock rolls it back); so do we.
            log.info("transaction {} was ended by mysqld after error {}; releasing it", id, t.mysqlErrno());
            open.remove(id, tx);
            if (tx.end()) {
                release(tx, "ROLLBACK");
                throw failure;
            }
            // The sweeper expired it meanwhile and killed the connection: that is what the caller must hear.
            pools.discard(ConnectionPools.Pool.TRANSACTION, tx.connection());
            throw expiredError(id);
        }
        if (!tx.release()) {
            // The sweeper expired it while we were using it and killed the connection.
            open.remove(id);
            pools.discard(ConnectionPools.Pool.TRANSACTION, tx.connection());
            throw expiredError(id);
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /** Commits transaction {@code id} and releases it. */
    void commit(long id) {
        finish(id, "COMMIT");
    }

    /** Rolls transaction {@code id} back and releases it. */
    void rollback(long id) {
        finish(id, "ROLLBACK");
    }

    /** True if transaction {@code id} is open. */
    boolean isOpen(long id) {
        return open.containsKey(id);
    }

    /** Open transactions right now. */
    int openCount() {
        return open.size();
    }

    /** Rolls back every open transaction (on shutdown, or when the tablet stops serving its type). */
    void rollbackAll(String reason) {
        for (ActiveTransaction tx : new ArrayList<>(open.values())) {
            expireOne(tx, reason);
        }
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        rollbackAll("the query service is shutting down");
    }

    /** One pass of the timeout sweeper: expires every transaction open longer than the timeout. */
    void sweep() {
        if (timeout.isZero()) {
            return;
        }
        long now = nanoTime.getAsLong();
        for (ActiveTransaction tx : open.values()) {
            if (now - tx.beganNanos() >= timeout.toNanos()) {
                expireOne(tx, "open longer than the transaction timeout of " + SqlErrors.human(timeout));
            }
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // The sweeper must survive anything, or transactions would stop timing out.
            log.error("transaction timeout sweep failed", e);
        }
    }

    private void expireOne(ActiveTransaction tx, String reason) {
        if (!open.remove(tx.id(), tx)) {
            return;
        }
        rememberExpired(tx.id());
        switch (tx.expire()) {
            case ROLL_BACK -> {
                log.warn("rolling back transaction {}: {}", tx.id(), reason);
                release(tx, "ROLLBACK");
            }
            case KILL -> {
                log.warn("killing the connection of transaction {} (mysqld thread {}), busy with a statement: {}",
                        tx.id(), tx.threadId(), reason);
                killer.killConnection(tx.threadId());
            }
            case NONE -> { }
        }
    }

    private void finish(long id, String statement) {
        ActiveTransaction tx = acquire(id);
        open.remove(id, tx);
        SQLException failure = null;
        try (Statement s = tx.connection().createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            failure = e;
        }
        boolean clean = tx.end();
        if (failure != null || !clean || tx.sessionChanged()) {
            pools.discard(ConnectionPools.Pool.TRANSACTION, tx.connection());
        } else {
            closeQuietly(tx.connection());
        }
        if (failure != null) {
            throw clean ? errors.translate(failure) : expiredError(id);
        }
    }

    /** Rolls back (or commits) an idle transaction the caller already took out of the registry. */
    private void release(ActiveTransaction tx, String statement) {
        try (Statement s = tx.connection().createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            log.warn("{} of transaction {} failed: {}", statement, tx.id(), e.getMessage());
            pools.discard(ConnectionPools.Pool.TRANSACTION, tx.connection());
            return;
        }
        if (tx.sessionChanged()) {
            pools.discard(ConnectionPools.Pool.TRANSACTION, tx.connection());
        } else {
            closeQuietly(tx.connection());
        }
    }

    private ActiveTransaction acquire(long id) {
        ActiveTransaction tx = open.get(id);
        if (tx == null) {
            throw wasExpired(id) ? expiredError(id) : TesseraException.of(ErrorKind.TX_NOT_FOUND, id, tablet);
        }
        if (!tx.tryAcquire()) {
            if (tx.state() == ActiveTransaction.State.IN_USE) {
                throw TesseraException.of(ErrorKind.TX_IN_USE, id);
            }
            throw wasExpired(id) ? expiredError(id) : TesseraException.of(ErrorKind.TX_NOT_FOUND, id, tablet);
        }
        return tx;
    }

    /**
     * Whether the connection of {@code tx} (held by the caller) is still inside a transaction. MySQL ends the
     * transaction itself on some errors (a deadlock rolls it back), and the connection would then run in
     * autocommit; keeping the id would let later statements commit one by one. An ERR packet carries no status
     * flags, so a trivial statement ({@code DO 0}) fetches fresh ones.
     */
    private static boolean stillInTransaction(ActiveTransaction tx) {
        try (Statement s = tx.connection().createStatement()) {
            s.execute("DO 0");
            return (tx.connection().unwrap(org.mariadb.jdbc.Connection.class).getContext().getServerStatus()
                    & SERVER_STATUS_IN_TRANS) != 0;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private void endAndDiscard(ActiveTransaction tx) {
        open.remove(tx.id(), tx);
        tx.end();
        pools.discard(ConnectionPools.Pool.TRANSACTION, tx.connection());
    }

    private void rememberExpired(long id) {
        synchronized (expired) {
            expired.put(id, Boolean.TRUE);
        }
    }

    private boolean wasExpired(long id) {
        synchronized (expired) {
            return expired.containsKey(id);
        }
    }

    private TesseraException expiredError(long id) {
        return TesseraException.of(ErrorKind.TX_EXPIRED, id, SqlErrors.human(timeout));
    }

    static long threadIdOf(Connection c) throws SQLException {
        return c.unwrap(org.mariadb.jdbc.Connection.class).getThreadId();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing a pooled connection failed", e);
        }
    }

    /** The statement that sets the next transaction's isolation level, or null to keep the session's. */
    static String isolationStatement(ExecuteOptions.TransactionIsolation isolation) {
        return switch (isolation) {
            case REPEATABLE_READ -> "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
            case READ_COMMITTED -> "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
            case READ_UNCOMMITTED -> "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED";
            case SERIALIZABLE -> "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE";
            case CONSISTENT_SNAPSHOT_READ_ONLY -> "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
            default -> null;
        };
    }

    /** START TRANSACTION with the characteristics the options ask for. */
    static String startStatement(ExecuteOptions options) {
        List<String> characteristics = new ArrayList<>();
        if (options.getTransactionIsolation() == ExecuteOptions.TransactionIsolation.CONSISTENT_SNAPSHOT_READ_ONLY) {
            characteristics.add("WITH CONSISTENT SNAPSHOT");
            characteristics.add("READ ONLY");
        }
        for (TransactionAccessMode mode : options.getTransactionAccessModeList()) {
            String c = switch (mode) {
                case CONSISTENT_SNAPSHOT -> "WITH CONSISTENT SNAPSHOT";
                case READ_WRITE -> "READ WRITE";
                case READ_ONLY -> "READ ONLY";
                default -> null;
            };
            if (c != null && !characteristics.contains(c)) {
                characteristics.add(c);
            }
        }
        return characteristics.isEmpty() ? "START TRANSACTION"
                : "START TRANSACTION " + String.join(", ", characteristics);
    }
}
