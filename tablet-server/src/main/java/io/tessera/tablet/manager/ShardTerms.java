package io.tessera.tablet.manager;

import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.Timestamp;

/**
 * Primary terms: which of two claims to be a shard's primary is newer. A term is the {@code
 * primary_term_start_time} written when a tablet becomes PRIMARY; the shard record carries the term of the
 * primary it names. The newest term wins, as in Vitess.
 */
public final class ShardTerms {
    private ShardTerms() {}

    /** Orders two term start times; an unset time is the oldest. */
    public static int compare(Timestamp a, Timestamp b) {
        int bySeconds = Long.compare(a.getSeconds(), b.getSeconds());
        return bySeconds != 0 ? bySeconds : Integer.compare(a.getNanoseconds(), b.getNanoseconds());
    }

    /**
     * True if {@code shard} names another tablet than {@code self} as primary with a term newer than the one
     * {@code self} holds (a tablet with no term is superseded by any named primary).
     */
    public static boolean supersededBy(Tablet self, Shard shard) {
        if (!shard.hasPrimaryAlias() || shard.getPrimaryAlias().equals(self.getAlias())) {
            return false;
        }
        if (!self.hasPrimaryTermStartTime()) {
            return true;
        }
        return shard.hasPrimaryTermStartTime()
                && compare(shard.getPrimaryTermStartTime(), self.getPrimaryTermStartTime()) > 0;
    }
}
