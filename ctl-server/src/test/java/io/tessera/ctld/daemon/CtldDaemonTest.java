package io.tessera.ctld.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.tessera.ctld.reparent.ReparentService;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.AddCellInfoRequest;
import io.tessera.proto.vtctldata.CreateKeyspaceRequest;
import io.tessera.proto.vtctldata.CreateShardRequest;
import io.tessera.proto.vtctldata.InitTabletRequest;
import io.tessera.proto.vtctlservice.VtctldGrpc;
import io.tessera.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A whole daemon on free ports over a memory topology: gRPC, the status page, health and metrics. */
class CtldDaemonTest {

    @Test
    void servesGrpcStatusPageAndMetrics() throws Exception {
        CtldConfig config = new CtldConfig("memory://", "127.0.0.1", FreePorts.next(), FreePorts.next(), false,
                Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofMillis(200));
        try (CtldDaemon daemon = CtldDaemon.start(config,
                (topo, dialer) -> new ReparentService(topo, dialer, config.waitReplicasTimeout()))) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", daemon.grpcPort(),
                    InsecureChannelCredentials.create()).build();
            try {
                var stub = VtctldGrpc.newBlockingStub(channel);
                stub.addCellInfo(AddCellInfoRequest.newBuilder().setName("zone1").build());
                stub.createKeyspace(CreateKeyspaceRequest.newBuilder().setName("commerce").build());
                stub.createShard(CreateShardRequest.newBuilder().setKeyspace("commerce").setShardName("0").build());
                stub.initTablet(InitTabletRequest.newBuilder().setTablet(Tablet.newBuilder()
                        .setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(100)).setKeyspace("commerce")
                        .setShard("0").setType(TabletType.REPLICA).setHostname("<script>")
                        .putPortMap("grpc", FreePorts.next())).build());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }

            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + daemon.httpPort();
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + "/debug/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("commerce", "zone1-0000000100", "replica", "&lt;script&gt;")
                    .doesNotContain("<script>");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("tessera_ctld_rpcs_total{code=\"OK\",method=\"CreateKeyspace\"} 1");
            assertThat(metrics.body()).contains("tessera_ctld_rpc_seconds");
        }
    }
}
