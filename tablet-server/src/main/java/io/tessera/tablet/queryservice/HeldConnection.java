package io.tessera.tablet.queryservice;

import java.sql.Connection;
import java.util.HashSet;
import java.util.Set;

/**
 * A transaction-pool connection held under an id between calls: for an open transaction, as a reserved connection
 * (a client session's own connection, whose session state persists between calls), or both (a transaction on a
 * reserved connection). At most one call uses it at a time; the sweeper and {@link HeldConnections#closeAll} may end
 * it concurrently, so every change of state goes through this object's lock.
 */
final class HeldConnection {
    /** Where a held connection is in its life. */
    enum State {
        /** Held, no call using it. */
        IDLE,
        /** A call (or the sweeper) is using the connection. */
        IN_USE,
        /** Expired while a call was using it: the connection is being killed; the call drops it. */
        EXPIRED_IN_USE,
        /** Over; the connection is no longer held. */
        ENDED
    }

    /** What whoever expired a held connection must do with it. */
    enum Expiry {
        /** Nothing: it had ended (or expired) already. */
        NONE,
        /** It was idle and is now ended: the expirer owns the connection and must release it. */
        END,
        /**
         * It was idle and the expirer now uses it (state {@link State#IN_USE}): roll its transaction back and give it
         * back, the reservation stays.
         */
        KEEP,
        /** A call is using it: kill its connection on mysqld; the call drops it. */
        KILL
    }

    private final long id;
    private final Connection connection;
    private final long threadId;
    private State state = State.IN_USE; // guarded by this
    private boolean reserved; // guarded by this
    private boolean inTransaction; // guarded by this
    private long transactionStartNanos; // guarded by this
    private long lastUsedNanos; // guarded by this
    private boolean sessionChanged; // guarded by this
    private boolean expired; // guarded by this
    /** The temporary tables the session created and has not dropped, by name (guarded by this). */
    private final Set<String> temporaryTables = new HashSet<>();

    /**
     * A connection just taken from the pool, in use by the call that took it.
     *
     * @param reserved whether it is reserved for a client session
     * @param inTransaction whether a transaction is open on it
     * @param nowNanos the time on the engine's clock, as the start of the transaction and the last use
     */
    HeldConnection(long id, Connection connection, long threadId, boolean reserved, boolean inTransaction,
            long nowNanos) {
        this.id = id;
        this.connection = connection;
        this.threadId = threadId;
        this.reserved = reserved;
        this.inTransaction = inTransaction;
        this.transactionStartNanos = nowNanos;
        this.lastUsedNanos = nowNanos;
    }

    long id() {
        return id;
    }

    Connection connection() {
        return connection;
    }

    /** The mysqld connection id, for KILL. */
    long threadId() {
        return threadId;
    }

    /** Takes the connection for a call; false if it is in use or over. */
    synchronized boolean tryAcquire() {
        if (state != State.IDLE) {
            return false;
        }
        state = State.IN_USE;
        return true;
    }

    synchronized State state() {
        return state;
    }

    /**
     * Gives the connection back after a call. Returns false if it expired meanwhile: it is then over and the caller
     * must drop the connection.
     */
    synchronized boolean release(long nowNanos) {
        lastUsedNanos = nowNanos;
        return releaseUntouched();
    }

    /**
     * Gives the connection back like {@link #release(long)}, but without counting this as a use: for the engine's
     * own work (a refused lookup, the sweeper's rollback), which must not keep an abandoned reservation alive.
     */
    synchronized boolean releaseUntouched() {
        if (state == State.IN_USE) {
            state = State.IDLE;
            return true;
        }
        state = State.ENDED;
        return false;
    }

    /**
     * Ends the hold for a call that has the connection (commit, rollback, release). Returns false if it expired
     * meanwhile, in which case its connection is being killed.
     */
    synchronized boolean end() {
        boolean clean = state == State.IN_USE;
        state = State.ENDED;
        return clean;
    }

    /** Ends the hold whatever it is doing (closing all sessions, idle timeout, transaction timeout). */
    synchronized Expiry expire() {
        return switch (state) {
            case IDLE -> {
                state = State.ENDED;
                expired = true;
                yield Expiry.END;
            }
            case IN_USE -> {
                state = State.EXPIRED_IN_USE;
                expired = true;
                yield Expiry.KILL;
            }
            case EXPIRED_IN_USE, ENDED -> Expiry.NONE;
        };
    }

    /**
     * Ends the transaction, which ran past its timeout: an idle reserved connection is kept (the sweeper takes it to
     * roll the transaction back), anything else is expired as by {@link #expire()}.
     */
    synchronized Expiry expireTransaction() {
        if (!inTransaction) {
            return Expiry.NONE;
        }
        if (state == State.IDLE && reserved) {
            state = State.IN_USE;
            return Expiry.KEEP;
        }
        return expire();
    }

    /** Ends an idle reservation unused for at least {@code idleNanos}; true if it did. */
    synchronized boolean expireIfIdle(long nowNanos, long idleNanos) {
        if (state != State.IDLE || nowNanos - lastUsedNanos < idleNanos) {
            return false;
        }
        state = State.ENDED;
        expired = true;
        return true;
    }

    /** True once the hold was expired rather than ended by its user. */
    synchronized boolean expired() {
        return expired;
    }

    /** Marks the connection reserved for a client session: it stays held after its transaction ends. */
    synchronized void reserve() {
        reserved = true;
    }

    synchronized boolean reserved() {
        return reserved;
    }

    /** Notes that a transaction was opened on the connection now. */
    synchronized void beginTransaction(long nowNanos) {
        inTransaction = true;
        transactionStartNanos = nowNanos;
    }

    /** Notes that the connection's transaction ended (committed, rolled back, or ended by mysqld). */
    synchronized void endTransaction() {
        inTransaction = false;
    }

    synchronized boolean inTransaction() {
        return inTransaction;
    }

    /** True if a transaction is open on the connection and began at least {@code timeoutNanos} ago. */
    synchronized boolean transactionOlderThan(long nowNanos, long timeoutNanos) {
        return inTransaction && nowNanos - transactionStartNanos >= timeoutNanos;
    }

    /** Notes that a statement changed the connection's session, so it must not go back to the pool. */
    synchronized void markSessionChanged() {
        sessionChanged = true;
    }

    synchronized boolean sessionChanged() {
        return sessionChanged;
    }

    /** Records that the session created temporary table {@code name}. */
    synchronized void temporaryTableCreated(String name) {
        temporaryTables.add(name);
    }

    /** Records that the session dropped temporary table {@code name} (or may have). */
    synchronized void temporaryTableDropped(String name) {
        temporaryTables.remove(name);
    }

    /** Whether the session created temporary table {@code name} and has not dropped it. */
    synchronized boolean hasTemporaryTable(String name) {
        return temporaryTables.contains(name);
    }
}
