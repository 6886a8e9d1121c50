package io.tessera.gate.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the gate's gRPC calls and measures how long they take, by method and gRPC status code:
 * {@code tessera_gate_grpc_rpcs_total{method,code}} and {@code tessera_gate_grpc_rpc_seconds{method,code}}.
 *
 * <p>The code is the call's gRPC status. A statement that fails inside Execute or ExecuteBatch is reported in the
 * response body with status OK (the session must reach the client), so it counts as {@code OK} here; a call the
 * client cancels counts as {@code CANCELLED}. Each call is counted exactly once.
 */
public final class GateRpcMetrics implements ServerInterceptor {
    private final Counter calls;
    private final Histogram latency;

    /** Registers both metrics in {@code registry}; register one instance per registry. */
    public GateRpcMetrics(PrometheusRegistry registry) {
        calls = Counter.builder().name("tessera_gate_grpc_rpcs_total")
                .help("gRPC calls served by the gate, by method and status code")
                .labelNames("method", "code").register(registry);
        latency = Histogram.builder().classicOnly().name("tessera_gate_grpc_rpc_seconds")
                .help("Duration of gRPC calls served by the gate, by method and status code")
                .labelNames("method", "code").register(registry);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        long start = System.nanoTime();
        AtomicBoolean recorded = new AtomicBoolean();
        Runnable cancelled = () -> record(recorded, method, Status.Code.CANCELLED, start);
        ServerCall.Listener<Q> listener = next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                record(recorded, method, status.getCode(), start);
                super.close(status, trailers);
            }
        }, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                // A cancelled call is never closed by the service, so this is the only place it can be counted.
                cancelled.run();
                super.onCancel();
            }
        };
    }

    private void record(AtomicBoolean recorded, String method, Status.Code code, long start) {
        if (recorded.compareAndSet(false, true)) {
            calls.labelValues(method, code.name()).inc();
            latency.labelValues(method, code.name()).observe((System.nanoTime() - start) / 1e9);
        }
    }
}
