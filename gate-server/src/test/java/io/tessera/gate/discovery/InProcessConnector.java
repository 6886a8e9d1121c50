package io.tessera.gate.discovery;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Dials {@link FakeTablet}s over in-process gRPC and remembers every channel it opened, per tablet. */
final class InProcessConnector implements TabletConnector {
    private final Map<TabletAlias, List<ManagedChannel>> opened = new ConcurrentHashMap<>();

    @Override
    public ManagedChannel connect(Tablet tablet) {
        ManagedChannel channel = InProcessChannelBuilder
                .forName(tablet.getHostname() + ":" + tablet.getPortMapMap().get("grpc")).build();
        opened.computeIfAbsent(tablet.getAlias(), a -> new ArrayList<>()).add(channel);
        return channel;
    }

    /** The channels opened to a tablet so far, oldest first. */
    List<ManagedChannel> channels(TabletAlias alias) {
        return List.copyOf(opened.getOrDefault(alias, List.of()));
    }
}
