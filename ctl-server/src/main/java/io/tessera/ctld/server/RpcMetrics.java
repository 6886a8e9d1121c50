package io.tessera.ctld.server;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Counts the daemon's RPCs and measures their latency, by method and status code:
 * {@code tessera_ctld_rpcs_total{method,code}} and {@code tessera_ctld_rpc_seconds{method,code}}.
 */
public final class RpcMetrics implements ServerInterceptor {
    private final Counter calls;
    private final Histogram latency;

    public RpcMetrics(PrometheusRegistry registry) {
        calls = Counter.builder().name("tessera_ctld_rpcs_total").help("Control daemon RPCs, by method and code")
                .labelNames("method", "code").register(registry);
        latency = Histogram.builder().classicOnly().name("tessera_ctld_rpc_seconds")
                .help("Control daemon RPC latency, by method and code").labelNames("method", "code")
                .register(registry);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        long start = System.nanoTime();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                String code = status.getCode().name();
                calls.labelValues(method, code).inc();
                latency.labelValues(method, code).observe((System.nanoTime() - start) / 1e9);
                super.close(status, trailers);
            }
        }, headers);
    }
}
