package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.tabletmanagerdata.SetReplicationSourceRequest;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.ReparentTabletRequest;
import io.tessera.proto.vtctldata.ReparentTabletResponse;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Duration;

/**
 * ReparentTablet: points one replica at the primary its Shard record names, as Vitess does. Nothing is promoted or
 * demoted and no record is written; only the tablet's replication source changes, so it is an operator's repair for
 * a replica that lost or never had its source, and it runs even with active reparents disabled.
 *
 * <p>It holds the shard lock while it reads the shard and repoints the tablet, so it never races a reparent that is
 * moving the primary.
 */
final class TabletRepoint {
    static final String ACTION = "ReparentTablet";

    private final TopoServer topo;
    private final TabletCalls calls;

    TabletRepoint(TopoServer topo, TabletCalls calls) {
        this.topo = topo;
        this.calls = calls;
    }

    ReparentTabletResponse run(ReparentTabletRequest request, Duration timeout) {
        TabletAlias alias = request.getTablet();
        String name = TabletAliases.format(alias);
        Tablet record;
        try {
            record = topo.getTablet(alias).value();
        } catch (TopoException e) {
            throw Failures.topo("reading tablet " + name, e);
        }
        String ks = record.getKeyspace();
        String shard = record.getShard();
        StepLog log = new StepLog(ACTION, ks, shard);
        try (ShardLock lock = ShardLock.acquire(topo, ks, shard, ACTION, log)) {
            ShardSnapshot snap = ShardSnapshot.read(topo, ks, shard);
            Tablet tablet = snap.require(alias, "tablet");
            TabletAlias primaryAlias = snap.primaryAlias().orElseThrow(() -> CtldException.failedPrecondition(
                    "shard " + snap.name() + " has no primary, so there is nothing to point " + name + " at. "
                            + "Nothing was changed; elect one with InitShardPrimary or PlannedReparentShard."));
            if (primaryAlias.equals(alias)) {
                throw CtldException.failedPrecondition("tablet " + name + " is the primary of shard " + snap.name()
                        + "; ReparentTablet only points a replica at its primary. Nothing was changed; to move the "
                        + "primary role use PlannedReparentShard.");
            }
            Tablet primary = snap.require(primaryAlias, "primary");
            if (primary.getType() != TabletType.PRIMARY) {
                throw CtldException.failedPrecondition("the topology is inconsistent: shard " + snap.name()
                        + " names " + ShardSnapshot.describe(primary) + " as primary but that tablet is not "
                        + "PRIMARY. Nothing was changed; repair the shard with a reparent first.");
            }
            boolean semiSync = snap.policy().acks(ShardSnapshot.typeAsReplica(tablet));
            lock.check("pointing " + name + " at " + ShardSnapshot.alias(primary));
            calls.callOrFail(tablet, timeout, c -> c.setReplicationSource(SetReplicationSourceRequest.newBuilder()
                            .setParent(primaryAlias).setSemiSync(semiSync).setForceStartReplication(true).build()),
                    "SetReplicationSource on " + ShardSnapshot.describe(tablet), "Its replication may be stopped "
                            + "or still use its previous source; check it with GetFullStatus and run ReparentTablet "
                            + "again when it answers.");
            log.info(ShardSnapshot.describe(tablet) + " replicates from " + ShardSnapshot.alias(primary)
                    + " (semi-sync acknowledgements: " + (semiSync ? "on" : "off") + ")");
            return ReparentTabletResponse.newBuilder().setKeyspace(ks).setShard(shard).setPrimary(primaryAlias)
                    .build();
        }
    }
}
