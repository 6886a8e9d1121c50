package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
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
import io.tessera.tabletmanager.TabletManagerDialer;
import io.tessera.topo.TopoServer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The reparent workflows of the control daemon. Each request is validated here and handed to the class that runs
 * its workflow; every workflow holds the shard lock for its whole run (see {@code INVARIANTS.md}).
 */
public final class ReparentService implements Reparenter {
    private final Duration defaultWaitReplicasTimeout;
    private final InitShardPrimaryWorkflow init;
    private final PlannedReparenter planned;
    private final EmergencyReparenter emergency;
    private final ExternalReparent external;
    private final TabletRepoint repoint;

    /**
     * @param topo the topology (shard records, tablet records, shard locks)
     * @param dialer reaches each tablet's manager
     * @param defaultWaitReplicasTimeout how long replicas may take to catch up when a request does not say
     *     (Vitess: 15 s)
     */
    public ReparentService(TopoServer topo, TabletManagerDialer dialer, Duration defaultWaitReplicasTimeout) {
        Objects.requireNonNull(topo, "topo");
        Objects.requireNonNull(dialer, "dialer");
        if (defaultWaitReplicasTimeout == null || defaultWaitReplicasTimeout.isNegative()
                || defaultWaitReplicasTimeout.isZero()) {
            throw new IllegalArgumentException("the default wait-replicas timeout must be positive, got "
                    + defaultWaitReplicasTimeout);
        }
        this.defaultWaitReplicasTimeout = defaultWaitReplicasTimeout;
        // Only fires the deadlines of io.grpc.Context; a daemon thread, so it never keeps the process alive.
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reparent-deadlines");
            t.setDaemon(true);
            return t;
        });
        TabletCalls calls = new TabletCalls(dialer, timer);
        this.init = new InitShardPrimaryWorkflow(topo, calls);
        this.planned = new PlannedReparenter(topo, calls);
        this.emergency = new EmergencyReparenter(topo, calls);
        this.external = new ExternalReparent(topo, calls);
        this.repoint = new TabletRepoint(topo, calls);
    }

    @Override
    public InitShardPrimaryResponse initShardPrimary(InitShardPrimaryRequest request) {
        requireShard(request.getKeyspace(), request.getShard());
        return guard(() -> init.run(request, Durations.orDefault(request.hasWaitReplicasTimeout(),
                request.getWaitReplicasTimeout(), defaultWaitReplicasTimeout, "wait_replicas_timeout")));
    }

    @Override
    public PlannedReparentShardResponse plannedReparentShard(PlannedReparentShardRequest request) {
        requireShard(request.getKeyspace(), request.getShard());
        return guard(() -> planned.run(request, Durations.orDefault(request.hasWaitReplicasTimeout(),
                request.getWaitReplicasTimeout(), defaultWaitReplicasTimeout, "wait_replicas_timeout")));
    }

    @Override
    public EmergencyReparentShardResponse emergencyReparentShard(EmergencyReparentShardRequest request) {
        requireShard(request.getKeyspace(), request.getShard());
        return guard(() -> emergency.run(request, Durations.orDefault(request.hasWaitReplicasTimeout(),
                request.getWaitReplicasTimeout(), defaultWaitReplicasTimeout, "wait_replicas_timeout")));
    }

    @Override
    public TabletExternallyReparentedResponse tabletExternallyReparented(TabletExternallyReparentedRequest request) {
        if (!request.hasTablet() || request.getTablet().getUid() == 0) {
            throw CtldException.invalidArgument("TabletExternallyReparented needs the alias of the new primary");
        }
        return guard(() -> external.run(request, defaultWaitReplicasTimeout));
    }

    @Override
    public ReparentTabletResponse reparentTablet(ReparentTabletRequest request) {
        if (!request.hasTablet() || request.getTablet().getUid() == 0) {
            throw CtldException.invalidArgument("ReparentTablet needs the alias of the tablet to repoint");
        }
        return guard(() -> repoint.run(request, defaultWaitReplicasTimeout));
    }

    /**
     * Runs a workflow; a failure that is not already a {@link CtldException} (a tablet error that escaped a step,
     * a malformed position) keeps its code and is reported as one.
     */
    private static <T> T guard(Supplier<T> workflow) {
        try {
            return workflow.get();
        } catch (CtldException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CtldException(Failures.codeOf(e), "the reparent stopped on an unexpected failure: "
                    + Failures.describe(e) + ". Check the shard with GetShard and the tablets' types before "
                    + "running it again.", e);
        }
    }

    private static void requireShard(String keyspace, String shard) {
        if (keyspace == null || keyspace.isBlank() || shard == null || shard.isBlank()) {
            throw CtldException.invalidArgument("a reparent needs a keyspace and a shard (keyspace/shard), got '"
                    + keyspace + "/" + shard + "'");
        }
    }
}
