package io.tessera.gate.discovery;

import io.grpc.ManagedChannel;
import io.tessera.proto.topodata.Tablet;

/**
 * Opens the one long-lived gRPC channel the gate keeps to a tablet; the tablet's health stream and all of its query
 * calls share it. The health check owns every channel it gets and shuts it down when it drops the tablet.
 * {@link #plaintext()} dials real tablets; tests hand in a connector that makes in-process channels.
 */
@FunctionalInterface
public interface TabletConnector {
    /**
     * A channel to {@code tablet}, at its {@code hostname} and {@code port_map["grpc"]} (the health check only asks
     * for tablets that have both). Must not block: gRPC connects lazily, on the first call.
     */
    ManagedChannel connect(Tablet tablet);

    /**
     * Plaintext channels to the tablets' gRPC ports, accepting messages up to
     * {@link io.tessera.queryservice.GrpcQueryServiceClient#MAX_INBOUND_MESSAGE_BYTES}, with keepalive pings that a
     * tablet's gRPC server accepts by default.
     */
    static TabletConnector plaintext() {
        return new PlaintextTabletConnector();
    }
}
