package io.tessera.tablet.queryservice;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.ExecuteOptions;
import java.sql.Statement;
import java.util.Objects;

/**
 * Reserved connections: a transaction-pool connection kept for one client session, so that the session state the
 * client set on it (session variables, user variables, temporary tables, LOCK TABLES, GET_LOCK) is there at its next
 * call. A reserved connection counts against the transaction cap like a transaction, and is never handed to anyone
 * else: releasing it closes it.
 *
 * <p>One id names one connection. A transaction begun on a reserved connection has the reservation's id, and
 * reserving the connection of an open transaction keeps the transaction's id; commit and rollback end the
 * transaction but not the reservation. {@link HeldConnections} keeps the connections, closes those unused for the
 * idle timeout, and closes all of them when the tablet stops serving its type.
 */
final class ReservedConnections {
    private final HeldConnections held;

    ReservedConnections(HeldConnections held) {
        this.held = Objects.requireNonNull(held, "held");
    }

    /**
     * Reserves a fresh connection and runs {@code preQueries} on it.
     *
     * @return the reserved id
     * @throws TesseraException TX_POOL_FULL when the transaction cap is reached; the pre-queries' failure, after
     *     which nothing stays reserved
     */
    long reserve(HeldConnections.Work<?> preQueries) {
        return held.open(HeldConnections.Purpose.RESERVATION, preQueries);
    }

    /**
     * Reserves the connection of open transaction {@code transactionId} and runs {@code preQueries} on it, inside the
     * transaction. If they fail, the connection stays the transaction's (unreserved, but closed when it ends, as its
     * session may have changed).
     *
     * @return the reserved id, which is {@code transactionId}
     */
    long reserveTransaction(long transactionId, HeldConnections.Work<?> preQueries) {
        HeldConnection h = held.acquire(transactionId, false, true);
        return held.run(h, c -> {
            c.markSessionChanged();
            preQueries.run(c);
            c.reserve();
            return c.id();
        });
    }

    /**
     * Reserves a fresh connection, runs {@code preQueries}, begins a transaction as {@code options} ask and runs
     * {@code postBeginQueries} in it. If any step fails, nothing stays reserved.
     *
     * @return the id of both the reservation and the transaction
     */
    long reserveBegin(ExecuteOptions options, HeldConnections.Work<?> preQueries,
            HeldConnections.Work<?> postBeginQueries) {
        return held.open(HeldConnections.Purpose.RESERVED_TRANSACTION, h -> {
            preQueries.run(h);
            try (Statement s = h.connection().createStatement()) {
                TransactionEngine.start(s, options);
            }
            postBeginQueries.run(h);
            return null;
        });
    }

    /**
     * Runs {@code preQueries} on reserved connection {@code reservedId} and begins a transaction on it. If that
     * fails, the connection stays reserved (unless it broke).
     *
     * @return the transaction's id, which is {@code reservedId}
     * @throws TesseraException RESERVED_CONN_NOT_FOUND; BAD_REQUEST if a transaction is open on it already
     */
    long begin(long reservedId, ExecuteOptions options, HeldConnections.Work<?> preQueries) {
        HeldConnection h = held.acquire(reservedId, true, false);
        return held.run(h, c -> {
            if (c.inTransaction()) {
                throw TesseraException.of(ErrorKind.BAD_REQUEST, "reserved connection " + reservedId
                        + " already has an open transaction (id " + reservedId + "); commit or roll it back first");
            }
            preQueries.run(c);
            try (Statement s = c.connection().createStatement()) {
                TransactionEngine.start(s, options);
            }
            held.beganTransaction(c);
            return reservedId;
        });
    }

    /**
     * Runs {@code work} on reserved connection {@code reservedId}, in its transaction if {@code transactionId} is not
     * zero (then it must be {@code reservedId}: a transaction on a reserved connection has the reservation's id).
     *
     * @throws TesseraException RESERVED_CONN_NOT_FOUND; TX_NOT_FOUND or TX_EXPIRED if the named transaction is not
     *     open on it; TX_IN_USE if another call is using it; the work's own failure otherwise
     */
    <T> T run(long reservedId, long transactionId, HeldConnections.Work<T> work) {
        requireSameId(transactionId, reservedId);
        return held.run(held.acquire(reservedId, true, transactionId != 0), work);
    }

    /**
     * Releases reserved connection {@code reservedId}: rolls back its transaction, if any, and closes it.
     *
     * @throws TesseraException RESERVED_CONN_NOT_FOUND; TX_IN_USE if a call is using it
     */
    void release(long reservedId) {
        held.close(held.acquire(reservedId, true, false));
    }

    /**
     * Refuses a {@code transactionId} other than zero or {@code reservedId}: a transaction on a reserved connection
     * has the reservation's id, so two different ids cannot name one connection.
     */
    static void requireSameId(long transactionId, long reservedId) {
        if (transactionId != 0 && transactionId != reservedId) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "transaction " + transactionId + " is not on reserved "
                    + "connection " + reservedId + ": a transaction on a reserved connection has the reserved id");
        }
    }

    /** True if {@code id} is a reserved connection still held. */
    boolean isReserved(long id) {
        return held.reserved(id);
    }

    /** Reserved connections held right now. */
    int count() {
        return held.reservedCount();
    }
}
