package io.tessera.tabletmanager;

import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * gRPC clients of tablet managers, with one long-lived channel per tablet address (HTTP/2 multiplexes every call
 * to a tablet over it). Close it to shut the channels down.
 *
 * <pre>{@code
 * try (TabletManagerClients clients = new TabletManagerClients(Duration.ofSeconds(30))) {
 *     TabletManagerClient tm = clients.dial(topo.getTablet(alias).value());
 *     String position = tm.primaryPosition(PrimaryPositionRequest.getDefaultInstance()).getPosition();
 * }
 * }</pre>
 */
public final class TabletManagerClients implements TabletManagerDialer, AutoCloseable {
    /** The deadline of each call unless the caller's {@link io.grpc.Context} has an earlier one. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    /** The name of the tablet port that serves gRPC in {@code Tablet.port_map}. */
    public static final String GRPC_PORT_NAME = "grpc";

    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final Duration callTimeout;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Clients whose calls time out after {@link #DEFAULT_CALL_TIMEOUT}. */
    public TabletManagerClients() {
        this(DEFAULT_CALL_TIMEOUT);
    }

    /** Clients whose calls time out after {@code callTimeout}, unless the caller's context ends sooner. */
    public TabletManagerClients(Duration callTimeout) {
        this.callTimeout = checkTimeout(callTimeout);
    }

    @Override
    public TabletManagerClient dial(Tablet tablet) {
        Objects.requireNonNull(tablet, "tablet");
        if (closed) {
            throw new IllegalStateException("these tablet manager clients are closed");
        }
        String alias = format(tablet.getAlias());
        Integer port = tablet.getPortMapMap().get(GRPC_PORT_NAME);
        if (tablet.getHostname().isBlank() || port == null || port <= 0) {
            throw TabletManagerException.failedPrecondition("tablet " + alias + " has no gRPC address in its "
                    + "record (hostname '" + tablet.getHostname() + "', port_map " + tablet.getPortMapMap()
                    + "); is the tablet registered?");
        }
        String address = hostPort(tablet.getHostname(), port);
        ManagedChannel channel = channels.computeIfAbsent(address,
                a -> Grpc.newChannelBuilderForAddress(tablet.getHostname(), port, InsecureChannelCredentials.create())
                        .build());
        return new GrpcTabletManagerClient(channel, alias + " (" + address + ")", callTimeout);
    }

    /**
     * A client over a channel the caller owns, for example an in-process channel in tests.
     *
     * @param target how messages name the tablet
     */
    public static TabletManagerClient overChannel(Channel channel, String target, Duration callTimeout) {
        return new GrpcTabletManagerClient(Objects.requireNonNull(channel, "channel"), target,
                checkTimeout(callTimeout));
    }

    /** Shuts every channel down, waiting a few seconds for calls in flight. */
    @Override
    public void close() {
        closed = true;
        List<ManagedChannel> open = new ArrayList<>(channels.values());
        channels.clear();
        for (ManagedChannel c : open) {
            c.shutdown();
        }
        try {
            for (ManagedChannel c : open) {
                if (!c.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    c.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            open.forEach(ManagedChannel::shutdownNow);
            Thread.currentThread().interrupt();
        }
    }

    private static Duration checkTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the call timeout must be positive, got " + timeout);
        }
        return timeout;
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code <cell>-<uid as 10 digits>}, as TabletAliases prints it (common cannot depend on the topology). */
    private static String format(TabletAlias alias) {
        return alias.getCell() + "-" + String.format("%010d", Integer.toUnsignedLong(alias.getUid()));
    }
}
