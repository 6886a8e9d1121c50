package io.tessera.ctld.command;

import io.tessera.proto.replicationdata.Status;
import io.tessera.proto.tabletmanagerdata.PrimaryStatusRequest;
import io.tessera.proto.tabletmanagerdata.ReplicationStatusRequest;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.ShardReplicationPositionsRequest;
import io.tessera.proto.vtctldata.ShardReplicationPositionsResponse;
import io.tessera.tabletmanager.TabletManagerDialer;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ShardReplicationPositions: asks every tablet of a shard, all at once, where its replication is. The primary
 * reports its own position (PrimaryStatus), the others their replication status. A tablet that fails or does not
 * answer within the fan-out timeout is left out of {@code replication_statuses} but stays in {@code tablet_map}.
 */
public final class ShardReplicationPositions {
    private static final Logger log = LoggerFactory.getLogger(ShardReplicationPositions.class);

    private final TopoServer topo;
    private final TabletManagerDialer dialer;
    private final CommandSettings settings;

    public ShardReplicationPositions(TopoServer topo, TabletManagerDialer dialer, CommandSettings settings) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public ShardReplicationPositionsResponse run(ShardReplicationPositionsRequest request) throws TopoException {
        Topo.shard(topo, request.getKeyspace(), request.getShard());
        List<Tablet> tablets = topo.getTabletsByShard(request.getKeyspace(), request.getShard());
        ShardReplicationPositionsResponse.Builder b = ShardReplicationPositionsResponse.newBuilder();
        for (Tablet t : tablets) {
            b.putTabletMap(TabletAliases.format(t.getAlias()), t);
        }
        for (Fanout.Outcome<Tablet, Status> o : Fanout.run(tablets, tablets.size(), settings.tabletFanoutTimeout(),
                this::status)) {
            String alias = TabletAliases.format(o.item().getAlias());
            if (o.ok()) {
                b.putReplicationStatuses(alias, o.value());
            } else {
                log.warn("ShardReplicationPositions {}/{}: {} did not answer: {}", request.getKeyspace(),
                        request.getShard(), alias, Topo.reason(o.error()));
            }
        }
        return b.build();
    }

    private Status status(Tablet t) {
        if (t.getType() == TabletType.PRIMARY) {
            var primary = dialer.dial(t).primaryStatus(PrimaryStatusRequest.getDefaultInstance()).getStatus();
            return Status.newBuilder().setPosition(primary.getPosition()).setFilePosition(primary.getFilePosition())
                    .build();
        }
        return dialer.dial(t).replicationStatus(ReplicationStatusRequest.getDefaultInstance()).getStatus();
    }
}
