package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.tabletmanagerdata.ReplicaWasPromotedRequest;
import io.tessera.proto.tabletmanagerdata.ReplicaWasRestartedRequest;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.TabletExternallyReparentedRequest;
import io.tessera.proto.vtctldata.TabletExternallyReparentedResponse;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Duration;
import java.util.List;

/**
 * TabletExternallyReparented: a system outside Tessera promoted a tablet's MySQL (it is writable already). The
 * tablet becomes PRIMARY in the topology with a new term, the Shard record names it, and every other tablet that
 * still says PRIMARY is told to become a read-only REPLICA (best effort).
 */
final class ExternalReparent {
    static final String ACTION = "TabletExternallyReparented";

    private final TopoServer topo;
    private final TabletCalls calls;
    private final ShardRecordKeeper records;

    ExternalReparent(TopoServer topo, TabletCalls calls) {
        this.topo = topo;
        this.calls = calls;
        this.records = new ShardRecordKeeper(topo);
    }

    TabletExternallyReparentedResponse run(TabletExternallyReparentedRequest request, Duration timeout) {
        TabletAlias alias = request.getTablet();
        Tablet record;
        try {
            record = topo.getTablet(alias).value();
        } catch (TopoException e) {
            throw Failures.topo("reading tablet " + TabletAliases.format(alias), e);
        }
        String ks = record.getKeyspace();
        String shard = record.getShard();
        StepLog log = new StepLog(ACTION, ks, shard);
        try (ShardLock lock = ShardLock.acquire(topo, ks, shard, ACTION, log)) {
            ShardSnapshot snap = ShardSnapshot.read(topo, ks, shard);
            Tablet tablet = snap.require(alias, "tablet");
            if (!snap.policy().promotable(tablet.getType())) {
                throw CtldException.failedPrecondition("tablet " + ShardSnapshot.describe(tablet) + " cannot be "
                        + "primary: only a REPLICA may (RDONLY never is). Nothing was changed.");
            }
            TabletAlias oldPrimary = snap.primaryAlias().orElse(null);
            TabletExternallyReparentedResponse.Builder response = TabletExternallyReparentedResponse.newBuilder()
                    .setKeyspace(ks).setShard(shard).setNewPrimary(alias);
            if (oldPrimary != null) {
                response.setOldPrimary(oldPrimary);
            }
            if (tablet.getType() != TabletType.PRIMARY || !alias.equals(oldPrimary)) {
                lock.check("recording the promotion");
                calls.callOrFail(tablet, timeout, c -> c.replicaWasPromoted(ReplicaWasPromotedRequest.getDefaultInstance()),
                        "ReplicaWasPromoted on " + ShardSnapshot.alias(tablet), "The topology still names "
                                + (oldPrimary == null ? "no primary" : TabletAliases.format(oldPrimary))
                                + " as primary. Run TabletExternallyReparented again when the tablet answers.");
                log.info(ShardSnapshot.alias(tablet) + " is PRIMARY in the topology");
            } else {
                log.info(ShardSnapshot.alias(tablet) + " is already the primary of the shard");
            }
            lock.check("updating the shard record", ShardSnapshot.alias(tablet) + " is PRIMARY in its record.");
            records.ensure(ks, shard, alias, log);

            List<Tablet> stale = snap.others(alias).stream().filter(t -> t.getType() == TabletType.PRIMARY).toList();
            var demotions = calls.parallel(stale, timeout, t -> c -> c.replicaWasRestarted(
                    ReplicaWasRestartedRequest.newBuilder().setParent(alias).build()));
            demotions.forEach((other, o) -> {
                if (o.ok()) {
                    log.info(other + " said PRIMARY: it is now a read-only REPLICA");
                } else {
                    log.warn(other + " still says PRIMARY and could not be told otherwise ("
                            + Failures.describe(o.error()) + "); the newer term on the shard record tells it when "
                            + "it comes back. Check it with GetTablet.");
                }
            });
            return response.build();
        }
    }
}
