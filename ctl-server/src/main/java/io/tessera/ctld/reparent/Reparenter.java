package io.tessera.ctld.reparent;

import io.tessera.proto.vtctldata.EmergencyReparentShardRequest;
import io.tessera.proto.vtctldata.EmergencyReparentShardResponse;
import io.tessera.proto.vtctldata.InitShardPrimaryRequest;
import io.tessera.proto.vtctldata.InitShardPrimaryResponse;
import io.tessera.proto.vtctldata.PlannedReparentShardRequest;
import io.tessera.proto.vtctldata.PlannedReparentShardResponse;
import io.tessera.proto.vtctldata.ReparentTabletRequest;
import io.tessera.proto.vtctldata.ReparentTabletResponse;
import io.tessera.proto.vtctldata.TabletExternallyReparentedRequest;
import io.tessera.proto.vtctldata.TabletExternallyReparentedResponse;

/**
 * The reparent workflows of the control daemon, with the semantics of Vitess's reparentutil. Every workflow holds
 * the shard lock for its whole run and re-checks it between steps; the rules each one keeps are listed in
 * {@code INVARIANTS.md} beside this interface.
 *
 * <p>Failures are {@link io.tessera.ctld.CtldException}s whose code says what kind of failure it was. A workflow
 * that fails midway says in its message what state it left the shard in.
 */
public interface Reparenter {

    /** Makes a tablet the first primary of a shard and points every other tablet at it (destructive: resets). */
    InitShardPrimaryResponse initShardPrimary(InitShardPrimaryRequest request);

    /** Moves the primary role gracefully while the current primary is healthy. */
    PlannedReparentShardResponse plannedReparentShard(PlannedReparentShardRequest request);

    /** Fails over from a dead or unreachable primary to the most advanced REPLICA. */
    EmergencyReparentShardResponse emergencyReparentShard(EmergencyReparentShardRequest request);

    /** Records a promotion done outside Tessera and demotes any other tablet that thinks it is primary. */
    TabletExternallyReparentedResponse tabletExternallyReparented(TabletExternallyReparentedRequest request);

    /**
     * Points one replica at the primary its shard record names (force-starting replication); refuses a shard
     * without a primary and the primary itself. Changes no record, so active reparents being disabled does not
     * stop it.
     */
    ReparentTabletResponse reparentTablet(ReparentTabletRequest request);
}
