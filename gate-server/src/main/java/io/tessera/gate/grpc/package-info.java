/**
 * The gate's gRPC {@code Vitess} service for applications that prefer gRPC to the MySQL protocol
 * ({@link io.tessera.gate.grpc.VitessGrpcService}), and the interceptor that counts its calls
 * ({@link io.tessera.gate.grpc.GateRpcMetrics}).
 *
 * <p>The gate keeps no state for gRPC clients: a client sends its {@code Session} with every call and keeps the one
 * that comes back, so any gate behind a load balancer can serve its next call.
 */
package io.tessera.gate.grpc;
