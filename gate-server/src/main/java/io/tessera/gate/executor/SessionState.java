package io.tessera.gate.executor;

import io.tessera.proto.vtgate.Session;

/** Small changes to a session's state that several parts of the executor make the same way. */
final class SessionState {
    private SessionState() {}

    /**
     * Leaves the transaction: not in a transaction any more, no savepoints, and the access mode of START TRANSACTION
     * (which applies to one transaction only) forgotten. Shard sessions are the caller's business.
     */
    static void endTransaction(Session.Builder session) {
        session.setInTransaction(false);
        session.clearSavepoints();
        if (session.getOptions().getTransactionAccessModeCount() > 0) {
            session.getOptionsBuilder().clearTransactionAccessMode();
        }
    }

    /** Whether a statement of this session runs in a transaction: one is open, or autocommit is off. */
    static boolean wantsTransaction(Session.Builder session) {
        return session.getInTransaction() || !session.getAutocommit();
    }
}
