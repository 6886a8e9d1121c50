package io.tessera.gate.discovery;

import io.grpc.ManagedChannel;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.queryservice.GrpcQueryServiceClient;
import io.tessera.queryservice.QueryService;
import java.util.concurrent.Future;

/**
 * The gate's link to one tablet: its channel, the query client on that channel and the state of its health stream.
 * The mutable fields belong to the {@link HealthCheck} and change only under its lock; {@link #health()} may be
 * read without it.
 */
final class TabletConnection {
    private final TabletAlias alias;
    private final String address;
    private final ManagedChannel channel;
    private final QueryService client;

    private volatile TabletHealth health;
    /** See {@link TabletPicker.Member#primaryClaim()}. */
    long primaryClaim;
    /** The open health stream, or null between a break and the reconnect. */
    HealthStream stream;
    /** When the stream last showed a sign of life (opened, or delivered a report), in {@link System#nanoTime()}. */
    long lastActivityNanos;
    /** The pending reconnect of a broken stream, if any. */
    Future<?> reconnect;
    boolean closed;

    TabletConnection(Tablet tablet, ManagedChannel channel) {
        this.alias = tablet.getAlias();
        this.address = address(tablet);
        this.channel = channel;
        this.client = new GrpcQueryServiceClient(channel);
        // Until the tablet reports, the topology's word is all there is; not serving keeps it out of rotation.
        Target target = Target.newBuilder().setKeyspace(tablet.getKeyspace()).setShard(tablet.getShard())
                .setTabletType(tablet.getType()).setCell(alias.getCell()).build();
        this.health = new TabletHealth(tablet, target, false, 0, "", 0, null, false);
    }

    /** Where a tablet's gRPC service listens, as {@code host:port}. */
    static String address(Tablet tablet) {
        return tablet.getHostname() + ":" + tablet.getPortMapMap().getOrDefault("grpc", 0);
    }

    TabletAlias alias() {
        return alias;
    }

    String address() {
        return address;
    }

    ManagedChannel channel() {
        return channel;
    }

    QueryService client() {
        return client;
    }

    TabletHealth health() {
        return health;
    }

    void health(TabletHealth value) {
        this.health = value;
    }

    TargetKey targetKey() {
        return TargetKey.of(health.target());
    }
}
