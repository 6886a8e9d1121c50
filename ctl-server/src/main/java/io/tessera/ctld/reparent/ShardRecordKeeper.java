package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtrpc.Code;
import io.tessera.proto.topodata.Timestamp;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.util.Comparator;

/**
 * Makes sure, at the end of a reparent and still under the shard lock, that the Shard record names the new
 * primary with the term its tablet record carries. The promoted tablet claims the record itself (as in Vitess);
 * this is the check that it did, and the fix when its claim failed. The newer term on the Shard record is what
 * tells a returning old primary that it is no longer primary.
 */
final class ShardRecordKeeper {
    private static final Comparator<Timestamp> TIME_ORDER = Comparator.comparingLong(Timestamp::getSeconds)
            .thenComparingInt(Timestamp::getNanoseconds);

    private final TopoServer topo;

    ShardRecordKeeper(TopoServer topo) {
        this.topo = topo;
    }

    /**
     * Verifies (or sets) that shard {@code keyspace/shard} names {@code primary} with its term.
     *
     * @throws CtldException FAILED_PRECONDITION if the tablet record is not PRIMARY or the Shard record names a
     *     newer term; the topology's code if it cannot be read or written
     */
    void ensure(String keyspace, String shard, TabletAlias primary, StepLog log) {
        String name = TabletAliases.format(primary);
        Tablet tablet;
        try {
            tablet = topo.getTablet(primary).value();
        } catch (TopoException e) {
            throw Failures.topo("reading tablet " + name + " after its promotion", e);
        }
        if (tablet.getType() != TabletType.PRIMARY || !tablet.hasPrimaryTermStartTime()) {
            throw CtldException.failedPrecondition("tablet " + name + " was promoted on MySQL but its tablet record "
                    + "says " + tablet.getType() + " without a primary term; the shard's record was not updated. "
                    + "Run RefreshState on " + name + ", then check GetShard " + keyspace + "/" + shard + ".");
        }
        Timestamp term = tablet.getPrimaryTermStartTime();
        Shard before;
        try {
            before = topo.getShard(keyspace, shard).value();
        } catch (TopoException e) {
            throw Failures.topo("reading shard " + keyspace + "/" + shard, e);
        }
        if (before.getPrimaryAlias().equals(primary) && before.getPrimaryTermStartTime().equals(term)) {
            log.info("shard record names " + name + " as primary (term started " + format(term) + ")");
            return;
        }
        try {
            topo.updateShardFields(keyspace, shard, current -> {
                if (current.hasPrimaryTermStartTime() && !current.getPrimaryAlias().equals(primary)
                        && TIME_ORDER.compare(current.getPrimaryTermStartTime(), term) > 0) {
                    throw new TopoException(TopoException.Code.BAD_VERSION, "",
                            "the shard record names " + TabletAliases.format(current.getPrimaryAlias())
                                    + " with a newer term (" + format(current.getPrimaryTermStartTime()) + ")");
                }
                return current.toBuilder().setPrimaryAlias(primary).setPrimaryTermStartTime(term).build();
            });
        } catch (TopoException e) {
            throw new CtldException(e.is(TopoException.Code.BAD_VERSION) ? Code.FAILED_PRECONDITION
                    : Code.UNAVAILABLE, "tablet " + name + " is primary on MySQL, but the shard record of "
                    + keyspace + "/" + shard + " could not be made to name it: " + e.getMessage()
                    + ". Check GetShard and the tablets' types before anything else.", e);
        }
        log.warn("the shard record did not name " + name + " yet (the tablet's own claim did not land); set it "
                + "under the shard lock (term started " + format(term) + ")");
    }

    static String format(Timestamp t) {
        return java.time.Instant.ofEpochSecond(t.getSeconds(), t.getNanoseconds()).toString();
    }
}
