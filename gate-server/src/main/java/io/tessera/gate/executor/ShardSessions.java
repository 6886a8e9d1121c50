package io.tessera.gate.executor;

import io.tessera.proto.query.Target;
import io.tessera.proto.vtgate.Session;
import io.tessera.proto.vtgate.SessionOrBuilder;

/** Finding a session's shard session by target (the cell does not count: the tablet alias pins the tablet). */
final class ShardSessions {
    private ShardSessions() {}

    /** The index of the shard session for {@code target}, or -1. */
    static int indexOf(SessionOrBuilder session, Target target) {
        for (int i = 0; i < session.getShardSessionsCount(); i++) {
            if (sameTarget(session.getShardSessions(i).getTarget(), target)) {
                return i;
            }
        }
        return -1;
    }

    /** True if another shard session than {@code target}'s holds a transaction. */
    static boolean transactionElsewhere(SessionOrBuilder session, Target target) {
        for (Session.ShardSession ss : session.getShardSessionsList()) {
            if (ss.getTransactionId() != 0 && !sameTarget(ss.getTarget(), target)) {
                return true;
            }
        }
        return false;
    }

    /** True if any shard session holds a transaction. */
    static boolean anyTransaction(SessionOrBuilder session) {
        for (Session.ShardSession ss : session.getShardSessionsList()) {
            if (ss.getTransactionId() != 0) {
                return true;
            }
        }
        return false;
    }

    static boolean sameTarget(Target a, Target b) {
        return a.getKeyspace().equals(b.getKeyspace()) && a.getShard().equals(b.getShard())
                && a.getTabletType() == b.getTabletType();
    }

    /** {@code zone1-0000000100}. */
    static String alias(Session.ShardSession ss) {
        return String.format("%s-%010d", ss.getTabletAlias().getCell(),
                Integer.toUnsignedLong(ss.getTabletAlias().getUid()));
    }
}
