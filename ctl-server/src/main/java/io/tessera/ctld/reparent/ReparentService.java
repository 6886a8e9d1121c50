package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.vtctldata.EmergencyReparentShardRequest;
import io.tessera.proto.vtctldata.EmergencyReparentShardResponse;
import io.tessera.proto.vtctldata.InitShardPrimaryRequest;
import io.tessera.proto.vtctldata.InitShardPrimaryResponse;
import io.tessera.proto.vtctldata.PlannedReparentShardRequest;
import io.tessera.proto.vtctldata.PlannedReparentShardResponse;
import io.tessera.proto.vtctldata.TabletExternallyReparentedRequest;
import io.tessera.proto.vtctldata.TabletExternallyReparentedResponse;
import io.tessera.proto.vtrpc.Code;
import io.tessera.tabletmanager.TabletManagerDialer;
import io.tessera.topo.TopoServer;
import java.time.Duration;

/** Placeholder until the reparent workflows land; every workflow answers UNIMPLEMENTED. */
public final class ReparentService implements Reparenter {

    public ReparentService(TopoServer topo, TabletManagerDialer dialer, Duration defaultWaitReplicasTimeout) {}

    @Override
    public InitShardPrimaryResponse initShardPrimary(InitShardPrimaryRequest request) {
        throw unimplemented();
    }

    @Override
    public PlannedReparentShardResponse plannedReparentShard(PlannedReparentShardRequest request) {
        throw unimplemented();
    }

    @Override
    public EmergencyReparentShardResponse emergencyReparentShard(EmergencyReparentShardRequest request) {
        throw unimplemented();
    }

    @Override
    public TabletExternallyReparentedResponse tabletExternallyReparented(TabletExternallyReparentedRequest request) {
        throw unimplemented();
    }

    private static CtldException unimplemented() {
        return new CtldException(Code.UNIMPLEMENTED, "the reparent workflows are not available in this build");
    }
}
