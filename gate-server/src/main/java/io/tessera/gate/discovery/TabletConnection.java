package io.tessera.gate.discovery;

import io.grpc.ManagedChannel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.queryservice.AsyncExecute;
import io.tessera.queryservice.GrpcQueryServiceClient;
import io.tessera.queryservice.MultiplexEndpoint;
import io.tessera.queryservice.QueryService;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * The gate's link to one tablet: its channels, the query clients on them and the state of its health stream.
 * The mutable fields belong to the {@link HealthCheck} and change only under its lock; {@link #health()} may be
 * read without it.
 */
final class TabletConnection {
    /** A query counter series and the target it counts. */
    record Counted(TargetKey key, CounterDataPoint queries) {}

    private final TabletAlias alias;
    private final String address;
    private final TabletChannels channels;
    private final GrpcQueryServiceClient client;
    /** A client per event loop of the gate's MySQL connections, on that loop's channel. */
    private final Map<EventExecutor, GrpcQueryServiceClient> loopClients;

    private volatile TabletHealth health;
    /** The query counter of the target this tablet was last routed at (see {@code DiscoveryGateway.count}). */
    volatile Counted counted;
    /** See {@link TabletPicker.Member#primaryClaim()}. */
    long primaryClaim;
    /** The open health stream, or null between a break and the reconnect. */
    HealthStream stream;
    /** When the stream last showed a sign of life (opened, or delivered a report), in {@link System#nanoTime()}. */
    long lastActivityNanos;
    /** The pending reconnect of a broken stream, if any. */
    Future<?> reconnect;
    boolean closed;

    TabletConnection(Tablet tablet, TabletChannels channels) {
        this.alias = tablet.getAlias();
        this.address = address(tablet);
        this.channels = channels;
        // The main channel may be one loop's own; its client then multiplexes that loop's statements too.
        EventExecutor mainLoop = null;
        for (Map.Entry<EventExecutor, ManagedChannel> e : channels.byLoop().entrySet()) {
            if (e.getValue() == channels.main()) {
                mainLoop = e.getKey();
            }
        }
        this.client = mainLoop == null ? new GrpcQueryServiceClient(channels.main())
                : loopClient(channels.main(), mainLoop, channels.multiplex());
        Map<EventExecutor, GrpcQueryServiceClient> byLoop = new HashMap<>();
        channels.byLoop().forEach((loop, channel) -> byLoop.put(loop, channel == channels.main() ? client
                : loopClient(channel, loop, channels.multiplex())));
        this.loopClients = Map.copyOf(byLoop);
        // Until the tablet reports, the topology's word is all there is; not serving keeps it out of rotation.
        Target target = Target.newBuilder().setKeyspace(tablet.getKeyspace()).setShard(tablet.getShard())
                .setTabletType(tablet.getType()).setCell(alias.getCell()).build();
        this.health = new TabletHealth(tablet, target, false, 0, "", 0, null, false);
    }

    /** A client whose statements made on {@code loop} share a stream: on the framed port when there is one. */
    private static GrpcQueryServiceClient loopClient(ManagedChannel channel, EventExecutor loop,
            MultiplexEndpoint multiplex) {
        return multiplex != null && loop instanceof EventLoop eventLoop
                ? GrpcQueryServiceClient.onLoop(channel, eventLoop, multiplex)
                : GrpcQueryServiceClient.onLoop(channel, loop);
    }

    /** Where a tablet's gRPC service listens, as {@code host:port}. */
    static String address(Tablet tablet) {
        return tablet.getHostname() + ":" + tablet.getPortMapMap().getOrDefault("grpc", 0);
    }

    /**
     * Every endpoint the gate connects to at a tablet: its gRPC address, and its framed multiplex port if it has one.
     * A tablet whose endpoints change is connected anew.
     */
    static String endpoints(Tablet tablet) {
        int multiplex = tablet.getPortMapMap().getOrDefault(MultiplexEndpoint.PORT_NAME, 0);
        return multiplex > 0 ? address(tablet) + " (multiplex port " + multiplex + ")" : address(tablet);
    }

    TabletAlias alias() {
        return alias;
    }

    String address() {
        return address;
    }

    TabletChannels channels() {
        return channels;
    }

    QueryService client() {
        return client;
    }

    /**
     * The client for a call made without blocking by the current thread: on an event loop that has its own channel
     * to this tablet, that channel's (the answer then comes back on the same loop); otherwise the main one.
     */
    AsyncExecute asyncClient() {
        if (!loopClients.isEmpty()) {
            EventExecutor current = ThreadExecutorMap.currentExecutor();
            GrpcQueryServiceClient own = current == null ? null : loopClients.get(current);
            if (own != null) {
                return own;
            }
        }
        return client;
    }

    /**
     * Half-closes the loops' multiplexed streams to this tablet (see {@link GrpcQueryServiceClient#finishStreams}),
     * before its channels are shut down.
     */
    void finishStreams() {
        client.finishStreams();
        loopClients.values().forEach(GrpcQueryServiceClient::finishStreams);
    }

    /** Closes the loops' framed multiplex connections to this tablet that are still open after the grace period. */
    void abandonStreams() {
        client.abandonStreams();
        loopClients.values().forEach(GrpcQueryServiceClient::abandonStreams);
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
