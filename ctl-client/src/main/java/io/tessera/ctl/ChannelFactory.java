package io.tessera.ctl;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/**
 * Opens the channel to {@code tessera-ctld}. The command line dials {@code --server} in plaintext; tests pass a
 * factory that returns an in-process channel, so the whole command line runs against a fake daemon.
 */
@FunctionalInterface
public interface ChannelFactory {

    /**
     * @param server the {@code --server} value, {@code host:port}
     */
    ManagedChannel open(String server);

    /** Plaintext gRPC over TCP to {@code host:port}. */
    static ChannelFactory plaintext() {
        return server -> NettyChannelBuilder.forTarget(server).usePlaintext().build();
    }
}
