package io.tessera.tablet.queryservice;

import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.ExecuteOptions.TransactionAccessMode;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Transactions: Begin, the statements of a transaction, Commit, Rollback. Each transaction holds one connection of
 * the transaction pool (whose size is the transaction cap) under its id; {@link HeldConnections} keeps those
 * connections, hands them to one call at a time and rolls back transactions open longer than the transaction
 * timeout (a later call with the id gets {@link io.tessera.common.errors.ErrorKind#TX_EXPIRED}).
 *
 * <p>A transaction may also run on a reserved connection (see {@link ReservedConnections}); it then has the
 * reservation's id, and committing or rolling it back leaves the connection reserved.
 */
final class TransactionEngine {
    private final HeldConnections held;

    TransactionEngine(HeldConnections held) {
        this.held = Objects.requireNonNull(held, "held");
    }

    /**
     * Opens a transaction: a transaction-pool connection, the pre-queries (SETs the caller wants on the session),
     * the isolation level and access mode from {@code options}, then START TRANSACTION. A connection that ran
     * pre-queries is closed rather than returned to the pool when the transaction ends.
     *
     * @return the new transaction's id
     */
    long begin(ExecuteOptions options, List<String> preQueries) {
        return held.open(HeldConnections.Purpose.TRANSACTION, h -> {
            try (Statement s = h.connection().createStatement()) {
                for (String q : preQueries) {
                    s.execute(q);
                }
                start(s, options);
            }
            if (!preQueries.isEmpty()) {
                h.markSessionChanged();
            }
            return null;
        });
    }

    /**
     * Runs {@code work} on transaction {@code id}'s connection, holding it for the duration.
     *
     * @throws TesseraException TX_NOT_FOUND, TX_EXPIRED or TX_IN_USE if the transaction cannot be used; the work's
     *     own failure otherwise
     */
    <T> T run(long id, HeldConnections.Work<T> work) {
        return held.run(held.acquire(id, false, true), work);
    }

    /**
     * Commits transaction {@code id}.
     *
     * @return the id of the reserved connection it ran on, which stays reserved, or 0
     */
    long commit(long id) {
        return finish(id, "COMMIT");
    }

    /**
     * Rolls transaction {@code id} back.
     *
     * @return the id of the reserved connection it ran on, which stays reserved, or 0
     */
    long rollback(long id) {
        return finish(id, "ROLLBACK");
    }

    /**
     * Ends transaction {@code id} for a Release: rolls it back and, if it runs on a reserved connection, closes that
     * too (a Release ends everything the session holds there).
     */
    void release(long id) {
        HeldConnection h = held.acquire(id, false, true);
        if (h.reserved()) {
            held.close(h);
        } else {
            held.finishTransaction(h, "ROLLBACK");
        }
    }

    /** True if transaction {@code id} is open. */
    boolean isOpen(long id) {
        return held.inTransaction(id);
    }

    /** Open transactions right now. */
    int openCount() {
        return held.transactionCount();
    }

    private long finish(long id, String statement) {
        HeldConnection h = held.acquire(id, false, true);
        boolean reserved = h.reserved();
        held.finishTransaction(h, statement);
        return reserved ? id : 0;
    }

    /** Starts a transaction as {@code options} ask: the isolation level first, then START TRANSACTION. */
    static void start(Statement s, ExecuteOptions options) throws SQLException {
        String isolation = isolationStatement(options.getTransactionIsolation());
        if (isolation != null) {
            s.execute(isolation);
        }
        s.execute(startStatement(options));
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
