package io.tessera.queryservice;

import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * Where a tablet's framed multiplex port listens (its record's {@code port_map["multiplex"]}) and the Netty channel
 * type that connects to it from the caller's event loops.
 */
public record MultiplexEndpoint(SocketAddress address, Class<? extends Channel> channelType) {
    /** The name of the framed multiplex port in a tablet record's {@code port_map}. */
    public static final String PORT_NAME = "multiplex";

    public MultiplexEndpoint {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(channelType, "channelType");
    }
}
