package io.tessera.ctld.web;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.tessera.proto.query.StreamHealthRequest;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.queryservice.QueryGrpc;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last health report of every tablet, for the status page. A periodic scan of the topology keeps one
 * StreamHealth stream open to each tablet that has a gRPC port: new tablets get a stream, tablets that were deleted
 * or moved lose theirs, and a stream that ended is reopened at the next scan. {@link #close()} ends every stream.
 */
public final class TabletHealthCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TabletHealthCache.class);

    /** What the page shows about one tablet's health. */
    public record TabletHealth(boolean serving, long replicationLagSeconds, String healthError, Instant received) {}

    private record Stream(String target, ManagedChannel channel) {}

    private final TopoServer topo;
    private final Map<TabletAlias, Stream> streams = new ConcurrentHashMap<>();
    private final Map<TabletAlias, TabletHealth> latest = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ctld-health-scan").daemon(true).factory());
    private volatile boolean closed;

    /** Starts scanning the topology every {@code interval}. */
    public TabletHealthCache(TopoServer topo, Duration interval) {
        this.topo = topo;
        scanner.scheduleWithFixedDelay(this::scanQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last report of a tablet, if one arrived on its current stream. */
    public Optional<TabletHealth> health(TabletAlias alias) {
        return Optional.ofNullable(latest.get(alias));
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (Exception e) {
            log.debug("tablet health scan failed: {}", e.toString());
        }
    }

    synchronized void scan() throws Exception {
        if (closed) {
            return;
        }
        Set<TabletAlias> seen = new HashSet<>();
        List<String> cells;
        try {
            cells = topo.getCellInfoNames();
        } catch (io.tessera.topo.TopoException e) {
            if (!e.is(io.tessera.topo.TopoException.Code.NO_NODE)) {
                throw e;
            }
            cells = List.of();
        }
        for (String cell : cells) {
            for (Tablet t : topo.getTabletsByCell(cell)) {
                Integer port = t.getPortMapMap().get("grpc");
                if (port == null || port == 0 || t.getHostname().isEmpty()) {
                    continue;
                }
                seen.add(t.getAlias());
                String target = t.getHostname() + ":" + port;
                Stream s = streams.get(t.getAlias());
                if (s != null && (!s.target().equals(target) || s.channel().isShutdown())) {
                    stop(t.getAlias());
                    s = null;
                }
                if (s == null) {
                    start(t.getAlias(), t.getHostname(), port);
                }
            }
        }
        for (TabletAlias alias : Set.copyOf(streams.keySet())) {
            if (!seen.contains(alias)) {
                stop(alias);
            }
        }
    }

    private void start(TabletAlias alias, String host, int port) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
                .build();
        Stream s = new Stream(host + ":" + port, channel);
        streams.put(alias, s);
        QueryGrpc.newStub(channel).streamHealth(StreamHealthRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(StreamHealthResponse r) {
                latest.put(alias, new TabletHealth(r.getServing(), r.getRealtimeStats().getReplicationLagSeconds(),
                        r.getRealtimeStats().getHealthError(), Instant.now()));
            }

            @Override
            public void onError(Throwable t) {
                ended(alias, s, "health stream failed: " + io.grpc.Status.fromThrowable(t).getCode());
            }

            @Override
            public void onCompleted() {
                ended(alias, s, "health stream ended");
            }
        });
    }

    private void ended(TabletAlias alias, Stream s, String why) {
        if (streams.remove(alias, s)) {
            s.channel().shutdownNow();
            latest.put(alias, new TabletHealth(false, 0, why, Instant.now()));
            log.debug("tablet {}: {}", TabletAliases.format(alias), why);
        }
    }

    private void stop(TabletAlias alias) {
        Stream s = streams.remove(alias);
        latest.remove(alias);
        if (s != null) {
            s.channel().shutdownNow();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        scanner.shutdownNow();
        for (TabletAlias alias : Set.copyOf(streams.keySet())) {
            stop(alias);
        }
    }
}
