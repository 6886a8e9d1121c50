package io.tessera.gate.discovery;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.tessera.queryservice.MultiplexEndpoint;
import java.net.InetSocketAddress;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.tessera.common.net.EventLoops;
import io.tessera.proto.topodata.Tablet;
import io.tessera.queryservice.GrpcQueryServiceClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Plaintext gRPC channels to tablets (see {@link TabletConnector#plaintext()}). Without event loops, one channel per
 * tablet on gRPC's own transport threads; with the gate's event loops, one channel per loop, running on it.
 */
final class PlaintextTabletConnector implements TabletConnector {
    /**
     * A gRPC server refuses pings more frequent than every 5 minutes unless configured otherwise, and closes the
     * connection of a client that sends them; the tablets keep that default, so ping a little less often. A silent
     * tablet is noticed much sooner anyway, by its health stream falling quiet (--healthcheck_timeout).
     */
    private static final long KEEPALIVE_MINUTES = 6;
    private static final long KEEPALIVE_TIMEOUT_SECONDS = 20;

    /** Null for channels on gRPC's own transport threads. */
    private final EventLoops loops;

    PlaintextTabletConnector(EventLoops loops) {
        this.loops = loops;
    }

    @Override
    public ManagedChannel connect(Tablet tablet) {
        int port = port(tablet);
        if (loops != null) {
            return onLoop(tablet, loops.loops().getFirst());
        }
        return configure(Grpc.newChannelBuilderForAddress(tablet.getHostname(), port,
                InsecureChannelCredentials.create())).build();
    }

    @Override
    public TabletChannels open(Tablet tablet) {
        if (loops == null) {
            return TabletChannels.of(connect(tablet));
        }
        List<EventLoop> all = loops.loops();
        Map<EventExecutor, ManagedChannel> byLoop = new HashMap<>();
        ManagedChannel main = null;
        try {
            for (EventLoop loop : all) {
                ManagedChannel channel = onLoop(tablet, loop);
                byLoop.put(loop, channel);
                if (main == null) {
                    main = channel;
                }
            }
        } catch (RuntimeException e) {
            byLoop.values().forEach(ManagedChannel::shutdownNow);
            throw e;
        }
        int multiplexPort = tablet.getPortMapMap().getOrDefault(MultiplexEndpoint.PORT_NAME, 0);
        // Resolved here, on the health check's thread, not by the loop when it connects.
        MultiplexEndpoint multiplex = multiplexPort <= 0 ? null : new MultiplexEndpoint(
                new InetSocketAddress(tablet.getHostname(), multiplexPort), loops.socketChannelType());
        return new TabletChannels(main, byLoop, multiplex);
    }

    private ManagedChannel onLoop(Tablet tablet, EventLoop loop) {
        return configure(NettyChannelBuilder.forAddress(tablet.getHostname(), port(tablet))
                .usePlaintext()
                .eventLoopGroup(loop)
                .channelType(loops.socketChannelType()))
                .build();
    }

    private static ManagedChannelBuilder<?> configure(ManagedChannelBuilder<?> builder) {
        return builder.maxInboundMessageSize(GrpcQueryServiceClient.MAX_INBOUND_MESSAGE_BYTES)
                .keepAliveTime(KEEPALIVE_MINUTES, TimeUnit.MINUTES)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static int port(Tablet tablet) {
        return tablet.getPortMapMap().getOrDefault("grpc", 0);
    }
}
