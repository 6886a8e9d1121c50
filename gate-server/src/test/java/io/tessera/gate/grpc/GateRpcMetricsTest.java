package io.tessera.gate.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.vtgate.ExecuteRequest;
import io.tessera.proto.vtgate.StreamExecuteRequest;
import io.tessera.proto.vtgate.StreamExecuteResponse;
import io.tessera.proto.vtgateservice.VitessGrpc;
import io.tessera.queryservice.CompactRows;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metrics interceptor in front of the Vitess service: every call counted once, by method and status code. */
class GateRpcMetricsTest {
    private final ScriptedExecutor executor = new ScriptedExecutor();
    private final ExecutorService streamThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private Server server;
    private ManagedChannel channel;
    private VitessGrpc.VitessBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).addService(ServerInterceptors.intercept(
                new VitessGrpcService(executor, streamThreads), VitessGrpcService.metrics(registry)))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        stub = VitessGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        streamThreads.shutdownNow();
    }

    @Test
    void countsCallsByMethodAndCode() {
        ExecuteRequest good = ExecuteRequest.newBuilder().setQuery(BoundQuery.newBuilder().setSql("select 1")).build();
        stub.execute(good);
        stub.execute(good);
        assertThatThrownBy(() -> stub.execute(ExecuteRequest.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class);

        assertThat(calls("Execute", "OK")).isEqualTo(2);
        assertThat(calls("Execute", "INVALID_ARGUMENT")).isEqualTo(1);
        assertThat(observations("Execute", "OK")).isEqualTo(2);
        assertThat(observations("Execute", "INVALID_ARGUMENT")).isEqualTo(1);
    }

    @Test
    void countsACancelledStreamOnce() throws Exception {
        executor.streamed = (session, sql, consumer) -> {
            for (long i = 0; i < Long.MAX_VALUE; i++) {
                consumer.accept(QueryResult.newBuilder().addRows(CompactRows.ofStrings(Long.toString(i))).build());
            }
        };
        Context.CancellableContext context = Context.current().withCancellation();
        Context previous = context.attach();
        try {
            Iterator<StreamExecuteResponse> messages = stub.streamExecute(StreamExecuteRequest.newBuilder()
                    .setQuery(BoundQuery.newBuilder().setSql("select n")).build());
            messages.next();
        } finally {
            context.detach(previous);
            context.cancel(null);
        }
        executor.streamEnded.get(10, TimeUnit.SECONDS);

        await().atMost(10, TimeUnit.SECONDS).until(() -> calls("StreamExecute", "CANCELLED") == 1);
        assertThat(observations("StreamExecute", "CANCELLED")).isEqualTo(1);
        assertThat(registry.scrape().stream().filter(s -> s instanceof CounterSnapshot)
                .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum()).isEqualTo(1);
    }

    private double calls(String method, String code) {
        return ((CounterSnapshot) snapshot("tessera_gate_grpc_rpcs")).getDataPoints().stream()
                .filter(p -> method.equals(p.getLabels().get("method")) && code.equals(p.getLabels().get("code")))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }

    private long observations(String method, String code) {
        return ((HistogramSnapshot) snapshot("tessera_gate_grpc_rpc_seconds")).getDataPoints().stream()
                .filter(p -> method.equals(p.getLabels().get("method")) && code.equals(p.getLabels().get("code")))
                .mapToLong(HistogramSnapshot.HistogramDataPointSnapshot::getCount).sum();
    }

    private MetricSnapshot snapshot(String name) {
        return registry.scrape().stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
