package io.tessera.gate.discovery;

import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import io.tessera.proto.query.RealtimeStats;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.queryservice.QueryServiceGrpcAdapter;
import io.tessera.topo.topoproto.TabletAliases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tablet served over in-process gRPC: the real {@link QueryServiceGrpcAdapter} in front of a
 * {@link FakeQueryService} and {@link FakeHealthStreams}. Its topology record names an in-process server (a unique
 * host name and the uid as the gRPC port), which {@link InProcessConnector} dials.
 */
final class FakeTablet implements AutoCloseable {
    final TabletAlias alias;
    final String keyspace;
    final String shard;
    final FakeQueryService queries;
    final FakeHealthStreams health = new FakeHealthStreams();
    private final String host = "inproc-" + UUID.randomUUID();
    private final ExecutorService streams = Executors.newVirtualThreadPerTaskExecutor();
    private final Server server;
    private TabletType type;

    FakeTablet(String cell, int uid, String keyspace, String shard, TabletType type) {
        this.alias = TabletAlias.newBuilder().setCell(cell).setUid(uid).build();
        this.keyspace = keyspace;
        this.shard = shard;
        this.type = type;
        this.queries = new FakeQueryService(TabletAliases.format(alias));
        try {
            this.server = InProcessServerBuilder.forName(host + ":" + uid)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .addService(new QueryServiceGrpcAdapter(queries, streams, health))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The topology record. */
    Tablet record() {
        return Tablet.newBuilder().setAlias(alias).setHostname(host).putPortMap("grpc", alias.getUid())
                .setKeyspace(keyspace).setShard(shard).setType(type).build();
    }

    String name() {
        return TabletAliases.format(alias);
    }

    /** Reports a healthy, serving tablet of {@code type} with this lag. */
    void serving(TabletType type, long lagSeconds) {
        report(type, true, lagSeconds, "", 0);
    }

    /** Reports a serving primary of this term. */
    void primary(long term) {
        report(TabletType.PRIMARY, true, 0, "", term);
    }

    /** Reports the current type, not serving. */
    void notServing() {
        report(type, false, 0, "", 0);
    }

    void report(TabletType type, boolean serving, long lagSeconds, String healthError, long term) {
        this.type = type;
        health.publish(response(alias, keyspace, shard, type, serving, lagSeconds, healthError, term));
    }

    /** Publishes a healthy serving report of a {@link FakeCluster#KEYSPACE} tablet on {@code health}. */
    static void reportServing(FakeHealthStreams health, TabletAlias alias, TabletType type) {
        health.publish(response(alias, FakeCluster.KEYSPACE, FakeCluster.SHARD, type, true, 0, "", 0));
    }

    private static StreamHealthResponse response(TabletAlias alias, String keyspace, String shard, TabletType type,
            boolean serving, long lagSeconds, String healthError, long term) {
        return StreamHealthResponse.newBuilder()
                .setTarget(Target.newBuilder().setKeyspace(keyspace).setShard(shard).setTabletType(type))
                .setServing(serving)
                .setPrimaryTermStartTimestamp(term)
                .setRealtimeStats(RealtimeStats.newBuilder().setHealthError(healthError)
                        .setReplicationLagSeconds((int) lagSeconds))
                .setTabletAlias(alias)
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
        streams.shutdownNow();
    }
}
