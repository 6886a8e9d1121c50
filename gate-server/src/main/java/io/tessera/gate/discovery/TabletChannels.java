package io.tessera.gate.discovery;

import io.grpc.ManagedChannel;
import io.tessera.queryservice.MultiplexEndpoint;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gRPC channels the gate keeps to one tablet.
 *
 * @param main the channel of the health stream and of calls made from threads that may block
 * @param byLoop a channel per event loop of the gate's MySQL connections, carrying the calls a statement run on
 *     that loop makes and answering them there (it may include {@code main}); empty when the connector has no
 *     such loops
 * @param multiplex the tablet's framed multiplex port, which the loops' clients send their shared streams to instead
 *     of gRPC; null when the tablet has none or there are no loops
 */
public record TabletChannels(ManagedChannel main, Map<EventExecutor, ManagedChannel> byLoop,
        MultiplexEndpoint multiplex) {
    public TabletChannels {
        Objects.requireNonNull(main, "main");
        byLoop = Map.copyOf(byLoop);
    }

    /** Channels without a framed multiplex port. */
    public TabletChannels(ManagedChannel main, Map<EventExecutor, ManagedChannel> byLoop) {
        this(main, byLoop, null);
    }

    /** Just one channel for everything. */
    public static TabletChannels of(ManagedChannel main) {
        return new TabletChannels(main, Map.of());
    }

    /** Every channel once, to shut them down. */
    public List<ManagedChannel> all() {
        List<ManagedChannel> out = new ArrayList<>();
        out.add(main);
        for (ManagedChannel c : byLoop.values()) {
            if (c != main) {
                out.add(c);
            }
        }
        return out;
    }
}
