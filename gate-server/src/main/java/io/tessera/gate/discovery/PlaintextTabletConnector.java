package io.tessera.gate.discovery;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.tessera.proto.topodata.Tablet;
import io.tessera.queryservice.GrpcQueryServiceClient;
import java.util.concurrent.TimeUnit;

/** Plaintext gRPC channels to tablets (see {@link TabletConnector#plaintext()}). */
final class PlaintextTabletConnector implements TabletConnector {
    /**
     * A gRPC server refuses pings more frequent than every 5 minutes unless configured otherwise, and closes the
     * connection of a client that sends them; the tablets keep that default, so ping a little less often. A silent
     * tablet is noticed much sooner anyway, by its health stream falling quiet (--healthcheck_timeout).
     */
    private static final long KEEPALIVE_MINUTES = 6;
    private static final long KEEPALIVE_TIMEOUT_SECONDS = 20;

    @Override
    public ManagedChannel connect(Tablet tablet) {
        int port = tablet.getPortMapMap().getOrDefault("grpc", 0);
        return Grpc.newChannelBuilderForAddress(tablet.getHostname(), port, InsecureChannelCredentials.create())
                .maxInboundMessageSize(GrpcQueryServiceClient.MAX_INBOUND_MESSAGE_BYTES)
                .keepAliveTime(KEEPALIVE_MINUTES, TimeUnit.MINUTES)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .build();
    }
}
