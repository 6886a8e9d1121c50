package io.tessera.gate.discovery;

import io.grpc.ManagedChannel;
import io.tessera.common.net.EventLoops;
import io.tessera.proto.topodata.Tablet;
import java.util.Objects;

/**
 * Opens the long-lived gRPC channels the gate keeps to a tablet: a main one, which the tablet's health stream and
 * blocking query calls share, and optionally one per event loop of the gate's MySQL connections
 * ({@link TabletChannels}). The health check owns every channel it gets and shuts it down when it drops the tablet.
 * {@link #plaintext()} dials real tablets; tests hand in a connector that makes in-process channels.
 */
@FunctionalInterface
public interface TabletConnector {
    /**
     * A channel to {@code tablet}, at its {@code hostname} and {@code port_map["grpc"]} (the health check only asks
     * for tablets that have both). Must not block: gRPC connects lazily, on the first call.
     */
    ManagedChannel connect(Tablet tablet);

    /** Every channel the gate keeps to {@code tablet}; just {@link #connect} unless the connector has loops. */
    default TabletChannels open(Tablet tablet) {
        return TabletChannels.of(connect(tablet));
    }

    /**
     * Plaintext channels to the tablets' gRPC ports, accepting messages up to
     * {@link io.tessera.queryservice.GrpcQueryServiceClient#MAX_INBOUND_MESSAGE_BYTES}, with keepalive pings that a
     * tablet's gRPC server accepts by default.
     */
    static TabletConnector plaintext() {
        return new PlaintextTabletConnector(null);
    }

    /**
     * Plaintext channels as {@link #plaintext()}, one per loop of {@code loops} (the first doubling as the main
     * channel), each running on its loop.
     */
    static TabletConnector plaintext(EventLoops loops) {
        return new PlaintextTabletConnector(Objects.requireNonNull(loops, "loops"));
    }
}
