package io.tessera.client;

import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.tessera.proto.vtgateservice.VitessGrpc;
import io.tessera.proto.vtrpc.CallerID;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a gate's gRPC {@code Vitess} service (port 15991 by default). One client serves any number of
 * sessions and threads: gRPC carries every concurrent call over the one channel. Sessions hold no resources on the
 * client, so make one per unit of work with {@link #session(String)}.
 */
public final class GateClient implements AutoCloseable {
    /** The largest message accepted from the gate; an Execute result is limited by rows, not bytes, so be generous. */
    public static final int MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final ManagedChannel ownedChannel;
    private final VitessGrpc.VitessBlockingStub stub;
    private final CallerID caller;

    /**
     * A client on {@code channel}, which the caller keeps and shuts down; calls carry no caller id (the gate then
     * names the caller "grpc-client").
     */
    public GateClient(Channel channel) {
        this(channel, CallerID.getDefaultInstance());
    }

    /**
     * A client on {@code channel}, which the caller keeps and shuts down, whose calls carry {@code caller}. The gate
     * uses the caller id for logs and per-user statistics; it is not authenticated.
     */
    public GateClient(Channel channel, CallerID caller) {
        this(channel, caller, null);
    }

    private GateClient(Channel channel, CallerID caller, ManagedChannel owned) {
        Objects.requireNonNull(channel, "channel");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.ownedChannel = owned;
        this.stub = VitessGrpc.newBlockingStub(channel).withMaxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES);
    }

    /**
     * A client with its own plaintext channel to the gate at {@code host:port}; {@link #close()} shuts it down.
     * Connecting is lazy: an unreachable gate shows as a {@link GateException} with code UNAVAILABLE on the first
     * call.
     */
    public static GateClient connect(String host, int port) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                .build();
        return new GateClient(channel, CallerID.getDefaultInstance(), channel);
    }

    /**
     * A new session whose statements go to {@code target} by default: a keyspace, optionally with a shard and a
     * tablet type, as in {@code "commerce"}, {@code "commerce@replica"}, {@code "commerce:-80@rdonly"}; an empty
     * target leaves the choice to the gate's default keyspace. Creating a session costs nothing on the gate.
     */
    public GateSession session(String target) {
        return new GateSession(stub, caller, Objects.requireNonNull(target, "target"));
    }

    /** Shuts down the channel if this client opened it ({@link #connect}); a channel given to it is left alone. */
    @Override
    public void close() {
        if (ownedChannel == null) {
            return;
        }
        ownedChannel.shutdown();
        try {
            if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
                ownedChannel.shutdownNow();
            }
        } catch (InterruptedException e) {
            ownedChannel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
