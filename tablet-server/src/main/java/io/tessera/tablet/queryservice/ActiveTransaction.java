package io.tessera.tablet.queryservice;

import java.sql.Connection;

/**
 * One open transaction: its connection and who may use it. At most one call uses a transaction at a time; the
 * timeout sweeper may end it concurrently, so every change of state goes through this object's lock.
 */
final class ActiveTransaction {
    /** Where a transaction is in its life. */
    enum State {
        /** Open, no call using it. */
        IDLE,
        /** A call is using the connection. */
        IN_USE,
        /** Timed out while a call was using it: the connection is being killed; the call ends it. */
        EXPIRED_IN_USE,
        /** Over; the connection is no longer the transaction's. */
        ENDED
    }

    /** What the sweeper must do with a transaction it expired. */
    enum Expiry {
        /** Nothing: it had ended already. */
        NONE,
        /** It was idle: roll it back and release its connection. */
        ROLL_BACK,
        /** A call is using it: kill its connection on mysqld; the call releases it. */
        KILL
    }

    private final long id;
    private final Connection connection;
    private final long threadId;
    private final long beganNanos;
    private State state = State.IN_USE; // guarded by this
    private boolean sessionChanged; // guarded by this

    /** A transaction just begun, in use by the call that began it. */
    ActiveTransaction(long id, Connection connection, long threadId, long beganNanos) {
        this.id = id;
        this.connection = connection;
        this.threadId = threadId;
        this.beganNanos = beganNanos;
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

    long beganNanos() {
        return beganNanos;
    }

    /** Takes the transaction for a call; false if it is in use or over. */
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
     * Gives the transaction back after a call. Returns false if it expired meanwhile: it is then over and the
     * caller must discard the connection.
     */
    synchronized boolean release() {
        if (state == State.IN_USE) {
            state = State.IDLE;
            return true;
        }
        state = State.ENDED;
        return false;
    }

    /**
     * Ends the transaction for a call that holds it (commit, rollback). Returns false if it expired meanwhile, in
     * which case its connection is being killed.
     */
    synchronized boolean end() {
        boolean clean = state == State.IN_USE;
        state = State.ENDED;
        return clean;
    }

    /** Marks the transaction expired; says what the sweeper must do about it. */
    synchronized Expiry expire() {
        return switch (state) {
            case IDLE -> {
                state = State.ENDED;
                yield Expiry.ROLL_BACK;
            }
            case IN_USE -> {
                state = State.EXPIRED_IN_USE;
                yield Expiry.KILL;
            }
            case EXPIRED_IN_USE, ENDED -> Expiry.NONE;
        };
    }

    /** Notes that a statement changed the connection's session, so it must not go back to the pool. */
    synchronized void markSessionChanged() {
        sessionChanged = true;
    }

    synchronized boolean sessionChanged() {
        return sessionChanged;
    }
}
