package io.tessera.gate.discovery;

import static io.tessera.gate.discovery.FakeCluster.execute;
import static io.tessera.gate.discovery.FakeCluster.inRotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.gate.buffer.BufferConfig;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.queryservice.QueryServiceGrpcAdapter;
import io.tessera.testing.FreePorts;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gateway's own connector over real plaintext gRPC to a tablet listening on a loopback port. */
class PlaintextConnectorTest {
    @Test
    void theGatewayReachesATabletOverTcp() throws Exception {
        TabletAlias alias = TabletAlias.newBuilder().setCell("zone1").setUid(101).build();
        FakeQueryService queries = new FakeQueryService(TabletAliases.format(alias));
        FakeHealthStreams health = new FakeHealthStreams();
        int port = FreePorts.next();
        ExecutorService streams = Executors.newVirtualThreadPerTaskExecutor();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new QueryServiceGrpcAdapter(queries, streams, health)).build().start();
        try (TopoServer topo = TopoServer.open("memory://")) {
            topo.ensureCell("zone1");
            topo.createTablet(Tablet.newBuilder().setAlias(alias).setHostname("127.0.0.1").putPortMap("grpc", port)
                    .setKeyspace(FakeCluster.KEYSPACE).setShard(FakeCluster.SHARD).setType(TabletType.REPLICA)
                    .build());
            FakeTablet.reportServing(health, alias, TabletType.REPLICA);

            try (DiscoveryGateway gateway = DiscoveryGateway.connect(topo, FakeCluster.config(),
                    BufferConfig.defaults(), new PrometheusRegistry())) {
                await().until(() -> inRotation(gateway, TabletType.REPLICA).contains(alias));
                assertThat(execute(gateway, TabletType.REPLICA)).isEqualTo(TabletAliases.format(alias));
            }
            await().until(() -> health.openStreams() == 0); // closing the gateway ended its stream
        } finally {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
            streams.shutdownNow();
        }
    }
}
