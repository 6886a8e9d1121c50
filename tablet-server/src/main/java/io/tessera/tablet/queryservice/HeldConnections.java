package io.tessera.tablet.queryservice;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * The transaction-pool connections the query service holds under an id between calls: open transactions and
 * reserved connections alike (see {@link HeldConnection}). This class owns what the two share: taking a connection
 * from the pool (whose size is the transaction cap, so reserved connections count against it), handing it to one
 * call at a time, deciding what a failed statement did to it, and ending holds that outlive their welcome.
 *
 * <p>A sweeper ends holds in the background: a transaction open longer than the transaction timeout is rolled back
 * (on a reserved connection the reservation stays), a reserved connection unused for the idle timeout is closed,
 * and a connection in the middle of a statement is killed on mysqld instead. {@link #closeAll} ends every hold at
 * once, for a tablet that stops serving its type.
 *
 * <p>A connection goes back to the pool only after a successful COMMIT or ROLLBACK of a transaction that was never
 * reserved and changed no session state; every other connection is closed, so no session state (variables,
 * temporary tables, locks) ever reaches another client. Ids come from {@link TransactionIds}; a transaction begun
 * on a reserved connection takes the reservation's id, so one id names one connection.
 */
final class HeldConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeldConnections.class);
    /** SERVER_STATUS_IN_TRANS in the server status flags of every OK packet. */
    private static final int SERVER_STATUS_IN_TRANS = 1;
    /**
     * How long a call for a held connection another call is using waits for it. A caller that gave up on a
     * statement (a gate's KILL QUERY or query timeout cancels its call) sends the session's next statement at once,
     * while the tablet is still killing the one before; waiting a moment serves it instead of refusing it.
     */
    static final Duration IN_USE_WAIT = Duration.ofSeconds(1);
    /** How many expired transaction ids are remembered, to tell "expired" from "never existed" in errors. */
    private static final int REMEMBERED_EXPIRED = 10_000;

    /** Work done with a held connection by the call holding it. */
    @FunctionalInterface
    interface Work<T> {
        T run(HeldConnection held) throws SQLException;
    }

    /** What a new hold is for. */
    enum Purpose {
        /** An open transaction; the connection goes back to the pool when it ends. */
        TRANSACTION(false, true),
        /** A reserved connection with no transaction open yet. */
        RESERVATION(true, false),
        /** A reserved connection with a transaction open on it. */
        RESERVED_TRANSACTION(true, true);

        private final boolean reserved;
        private final boolean transaction;

        Purpose(boolean reserved, boolean transaction) {
            this.reserved = reserved;
            this.transaction = transaction;
        }
    }

    private final ConnectionPools pools;
    private final MysqlKiller killer;
    private final TransactionIds ids;
    private final Duration transactionTimeout;
    private final Duration idleTimeout;
    private final int cap;
    private final SqlErrors errors;
    private final String tablet;
    private final LongSupplier nanoTime;
    private final Map<Long, HeldConnection> held = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> expired = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED_EXPIRED;
        }
    }; // guarded by itself
    private final ScheduledFuture<?> sweeper;

    /**
     * Holds for the tablet {@code tablet}.
     *
     * @param config the transaction cap, the transaction timeout and the idle timeout of reserved connections
     * @param scheduler runs the sweeper
     * @param nanoTime the clock timeouts are measured on ({@link System#nanoTime()} but in tests)
     */
    HeldConnections(ConnectionPools pools, MysqlKiller killer, TransactionIds ids, QueryServiceConfig config,
            ScheduledExecutorService scheduler, SqlErrors errors, String tablet, LongSupplier nanoTime) {
        this.pools = Objects.requireNonNull(pools, "pools");
        this.killer = Objects.requireNonNull(killer, "killer");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.transactionTimeout = config.transactionTimeout();
        this.idleTimeout = config.idleTimeout();
        this.cap = config.transactionCap();
        this.errors = Objects.requireNonNull(errors, "errors");
        this.tablet = Objects.requireNonNull(tablet, "tablet");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        long shortest = Math.min(positiveOrMax(transactionTimeout), positiveOrMax(idleTimeout));
        if (shortest == Long.MAX_VALUE) {
            sweeper = null;
        } else {
            // A tenth of the shorter timeout keeps the overshoot small; bounds keep it cheap and responsive.
            long period = Math.clamp(shortest / 10, 10, 1000);
            sweeper = scheduler.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Takes a connection from the transaction pool, runs {@code setup} on it (pre-queries, START TRANSACTION...)
     * and, if that succeeds, holds it under a new id for {@code purpose}. A connection whose setup failed is closed.
     *
     * @return the new id; the connection is idle, ready for the next call
     * @throws TesseraException TX_POOL_FULL when the cap is reached and no connection became free in time,
     *     MYSQLD_DOWN, or the setup's own failure
     */
    long open(Purpose purpose, Work<?> setup) {
        Connection c;
        try {
            c = pools.borrow(ConnectionPools.Pool.TRANSACTION);
        } catch (SQLException e) {
            throw errors.borrowFailure(e, ConnectionPools.Pool.TRANSACTION, pools, cap);
        }
        HeldConnection h;
        try {
            h = new HeldConnection(ids.next(), c, ConnectionPools.threadIdOf(c), purpose.reserved,
                    purpose.transaction, nanoTime.getAsLong());
            setup.run(h);
        } catch (SQLException e) {
            pools.discard(ConnectionPools.Pool.TRANSACTION, c);
            throw errors.translate(e);
        } catch (RuntimeException | Error e) {
            pools.discard(ConnectionPools.Pool.TRANSACTION, c);
            throw e;
        }
        held.put(h.id(), h);
        giveBack(h);
        return h.id();
    }

    /**
     * Takes the held connection {@code id} for one call.
     *
     * @param reserved the caller names it as a reserved connection
     * @param transaction the caller needs a transaction open on it
     * @throws TesseraException RESERVED_CONN_NOT_FOUND for a reserved connection that is not (or no longer) held;
     *     TX_NOT_FOUND or TX_EXPIRED for a missing transaction; TX_IN_USE if another call still holds it after
     *     {@link #IN_USE_WAIT}
     */
    HeldConnection acquire(long id, boolean reserved, boolean transaction) {
        HeldConnection h = held.get(id);
        if (h == null) {
            throw gone(id, reserved);
        }
        if (!takeWaiting(h)) {
            if (h.state() == HeldConnection.State.IN_USE) {
                // One kind for "busy" whatever the id names: the caller's mistake is the same.
                throw TesseraException.of(ErrorKind.TX_IN_USE, id);
            }
            throw gone(id, reserved);
        }
        if ((reserved && !h.reserved()) || (transaction && !h.inTransaction())) {
            giveBackUntouched(h);
            throw gone(id, reserved && !h.reserved());
        }
        return h;
    }

    /**
     * Takes {@code h} for a call; while another call has it, tries again for up to {@link #IN_USE_WAIT}. It polls
     * rather than waiting on the connection's monitor: a virtual thread waiting inside {@code synchronized} holds
     * its carrier thread on Java 21, and the overlap this serves is rare and short.
     */
    private static boolean takeWaiting(HeldConnection h) {
        long end = System.nanoTime() + IN_USE_WAIT.toNanos();
        long pauseMillis = 1;
        while (!h.tryAcquire()) {
            if (h.state() != HeldConnection.State.IN_USE || System.nanoTime() - end >= 0) {
                return false;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw TesseraException.of(ErrorKind.CANCELED, "interrupted while waiting for connection " + h.id());
            }
            pauseMillis = Math.min(pauseMillis * 2, 20);
        }
        return true;
    }

    /**
     * Runs {@code work} on {@code h}, which the caller {@link #acquire acquired}, and gives it back. What the work
     * did to the connection decides what happens to the hold: a broken connection is closed and the hold ends; a
     * transaction mysqld ended by itself (a deadlock rolls it back) ends here too; a hold that expired while the
     * work ran is dropped and reported.
     *
     * @throws TesseraException the work's failure; TX_EXPIRED if its transaction expired meanwhile;
     *     RESERVED_CONN_NOT_FOUND if its reserved connection was closed under a failing statement
     */
    <T> T run(HeldConnection h, Work<T> work) {
        T result = null;
        RuntimeException failure = null;
        boolean broken = false;
        try {
            result = work.run(h);
        } catch (SQLException e) {
            broken = SqlErrors.isConnectionFailure(e);
            failure = errors.translate(e);
        } catch (TesseraException e) {
            failure = e;
        } catch (RuntimeException e) {
            broken = true; // unknown state: do not trust the connection
            failure = e;
        } catch (Error e) {
            drop(h);
            throw e;
        }
        boolean transaction = h.inTransaction();
        if (broken) {
            if (!drop(h)) {
                throw lost(h, transaction, failure);
            }
            throw failure;
        }
        if (transaction && failure instanceof TesseraException t && t.kind() == ErrorKind.MYSQL_ERROR
                && !stillInTransaction(h)) {
            // MySQL ended the transaction itself (a deadlock rolls it back); so do we.
            log.info("transaction {} was ended by mysqld after error {}; releasing it", h.id(), t.mysqlErrno());
            if (!h.reserved()) {
                held.remove(h.id(), h);
                if (h.end()) {
                    rollBackAndReturn(h);
                    throw failure;
                }
                // Expired meanwhile and its connection killed: that is what the caller must hear.
                pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
                throw lost(h, true, failure);
            }
            h.endTransaction(); // the reservation stays; later calls for the transaction get TX_NOT_FOUND
        }
        if (!h.release(nanoTime.getAsLong())) {
            // Expired while the work ran, and its connection killed.
            held.remove(h.id(), h);
            pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
            if (!transaction && failure == null) {
                // An autocommit statement on a reserved connection completed; only the reservation is gone.
                return result;
            }
            throw lost(h, transaction, failure);
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /**
     * Ends the transaction of {@code h}, which the caller acquired, with {@code statement} (COMMIT or ROLLBACK). A
     * reserved connection stays held, idle, for its next call; any other goes back to the pool if its session is
     * untouched, and is closed otherwise. A reserved connection whose COMMIT or ROLLBACK failed is closed.
     */
    void finishTransaction(HeldConnection h, String statement) {
        boolean reserved = h.reserved();
        if (!reserved) {
            // Out of the sweeper's reach before COMMIT: a transaction being committed is not rolled back under it.
            held.remove(h.id(), h);
        }
        SQLException failure = null;
        try (Statement s = h.connection().createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            failure = e;
        }
        if (reserved) {
            if (failure != null) {
                boolean clean = drop(h);
                throw clean ? errors.translate(failure) : expiredError(h.id());
            }
            h.endTransaction();
            if (!h.release(nanoTime.getAsLong())) {
                // Closed right after the statement finished (the tablet stopped serving): the outcome stands.
                held.remove(h.id(), h);
                pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
            }
            return;
        }
        boolean clean = h.end();
        if (failure != null || !clean || h.sessionChanged()) {
            pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
        } else {
            closeQuietly(h.connection());
        }
        if (failure != null) {
            throw clean ? errors.translate(failure) : expiredError(h.id());
        }
    }

    /**
     * Ends the hold of {@code h}, which the caller acquired, and closes its connection: closing rolls back an open
     * transaction and takes the session state with it. The pool opens a new connection in its place when needed.
     */
    void close(HeldConnection h) {
        drop(h);
    }

    /** Ends hold {@code id}, if it still exists, as {@link #closeAll} would; for a session that must not live on. */
    void closeOne(long id, String reason) {
        HeldConnection h = held.get(id);
        if (h != null) {
            if (h.inTransaction()) {
                rememberExpired(id);
            }
            expire(h, h.expire(), reason);
        }
    }

    /** Notes that {@code h}, which the caller acquired, has just begun a transaction. */
    void beganTransaction(HeldConnection h) {
        h.beginTransaction(nanoTime.getAsLong());
    }

    /** True if {@code id} holds a connection with an open transaction. */
    boolean inTransaction(long id) {
        HeldConnection h = held.get(id);
        return h != null && h.inTransaction();
    }

    /** True if {@code id} is a reserved connection still held. */
    boolean reserved(long id) {
        HeldConnection h = held.get(id);
        return h != null && h.reserved();
    }

    /** Open transactions right now, on reserved connections or not. */
    int transactionCount() {
        return (int) held.values().stream().filter(HeldConnection::inTransaction).count();
    }

    /** Reserved connections held right now. */
    int reservedCount() {
        return (int) held.values().stream().filter(HeldConnection::reserved).count();
    }

    /**
     * Ends every hold: idle transactions are rolled back, idle reserved connections closed, and connections busy
     * with a statement killed. Later calls with their ids get TX_EXPIRED (transactions) or RESERVED_CONN_NOT_FOUND.
     */
    void closeAll(String reason) {
        for (HeldConnection h : new ArrayList<>(held.values())) {
            closeOne(h.id(), reason);
        }
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        closeAll("the query service is shutting down");
    }

    /**
     * One pass of the sweeper: rolls back transactions open longer than the transaction timeout and closes reserved
     * connections unused for the idle timeout.
     */
    void sweep() {
        long now = nanoTime.getAsLong();
        for (HeldConnection h : held.values()) {
            if (!transactionTimeout.isZero() && h.transactionOlderThan(now, transactionTimeout.toNanos())) {
                rememberExpired(h.id());
                expire(h, h.expireTransaction(), "open longer than the transaction timeout of "
                        + SqlErrors.human(transactionTimeout));
            } else if (!idleTimeout.isZero() && h.reserved() && h.expireIfIdle(now, idleTimeout.toNanos())) {
                if (h.inTransaction()) {
                    rememberExpired(h.id());
                }
                held.remove(h.id(), h);
                log.info("closing reserved connection {}: unused for the idle timeout of {}", h.id(),
                        SqlErrors.human(idleTimeout));
                pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
            }
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // The sweeper must survive anything, or transactions would stop timing out.
            log.error("sweep of held connections failed", e);
        }
    }

    /** Carries out what {@link HeldConnection#expire()} (or its kin) decided. */
    private void expire(HeldConnection h, HeldConnection.Expiry expiry, String reason) {
        switch (expiry) {
            case END -> {
                held.remove(h.id(), h);
                if (h.reserved()) {
                    log.warn("closing reserved connection {}: {}", h.id(), reason);
                    pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
                } else {
                    log.warn("rolling back transaction {}: {}", h.id(), reason);
                    rollBackAndReturn(h);
                }
            }
            case KEEP -> {
                log.warn("rolling back transaction {} on its reserved connection, which stays reserved: {}",
                        h.id(), reason);
                try (Statement s = h.connection().createStatement()) {
                    s.execute("ROLLBACK");
                } catch (SQLException e) {
                    log.warn("ROLLBACK of transaction {} failed, closing its reserved connection: {}", h.id(),
                            e.getMessage());
                    drop(h);
                    return;
                }
                h.endTransaction();
                if (!h.releaseUntouched()) {
                    held.remove(h.id(), h);
                    pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
                }
            }
            case KILL -> {
                held.remove(h.id(), h);
                log.warn("killing the connection of {} {} (mysqld thread {}), busy with a statement: {}",
                        h.reserved() ? "reserved connection" : "transaction", h.id(), h.threadId(), reason);
                killer.killConnection(h.threadId());
            }
            case NONE -> { }
        }
    }

    /** Rolls back an idle transaction the caller took out of the registry, and releases its connection. */
    private void rollBackAndReturn(HeldConnection h) {
        try (Statement s = h.connection().createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            log.warn("ROLLBACK of transaction {} failed: {}", h.id(), e.getMessage());
            pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
            return;
        }
        if (h.sessionChanged() || h.reserved()) {
            pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
        } else {
            closeQuietly(h.connection());
        }
    }

    /** Ends the hold of {@code h} (held by the caller) and closes its connection; false if it had expired. */
    private boolean drop(HeldConnection h) {
        held.remove(h.id(), h);
        boolean clean = h.end();
        pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
        return clean;
    }

    private void giveBack(HeldConnection h) {
        if (!h.release(nanoTime.getAsLong())) {
            held.remove(h.id(), h);
            pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
        }
    }

    private void giveBackUntouched(HeldConnection h) {
        if (!h.releaseUntouched()) {
            held.remove(h.id(), h);
            pools.discard(ConnectionPools.Pool.TRANSACTION, h.connection());
        }
    }

    /**
     * Whether the connection of {@code h} (held by the caller) is still inside a transaction. MySQL ends the
     * transaction itself on some errors (a deadlock rolls it back), and the connection would then run in
     * autocommit; keeping the id would let later statements commit one by one. An ERR packet carries no status
     * flags, so a trivial statement ({@code DO 0}) fetches fresh ones.
     */
    private static boolean stillInTransaction(HeldConnection h) {
        try (Statement s = h.connection().createStatement()) {
            s.execute("DO 0");
            return (h.connection().unwrap(org.mariadb.jdbc.Connection.class).getContext().getServerStatus()
                    & SERVER_STATUS_IN_TRANS) != 0;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** The error for a hold that was ended under a call. */
    private TesseraException lost(HeldConnection h, boolean transaction, RuntimeException cause) {
        if (transaction) {
            return TesseraException.withCause(ErrorKind.TX_EXPIRED, cause, h.id(),
                    SqlErrors.human(transactionTimeout));
        }
        return TesseraException.withCause(ErrorKind.RESERVED_CONN_NOT_FOUND, cause, h.id(), tablet);
    }

    private TesseraException gone(long id, boolean reserved) {
        if (reserved) {
            return TesseraException.of(ErrorKind.RESERVED_CONN_NOT_FOUND, id, tablet);
        }
        return wasExpired(id) ? expiredError(id) : TesseraException.of(ErrorKind.TX_NOT_FOUND, id, tablet);
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
        return TesseraException.of(ErrorKind.TX_EXPIRED, id, SqlErrors.human(transactionTimeout));
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing a pooled connection failed", e);
        }
    }

    private static long positiveOrMax(Duration d) {
        return d.isZero() ? Long.MAX_VALUE : d.toMillis();
    }
}
