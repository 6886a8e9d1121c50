package io.tessera.topo.server;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.tessera.proto.topo.TopoGrpc;
import io.tessera.topo.TopoConn;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one {@link TopoConn} as the {@code topo.Topo} gRPC service, with the standard gRPC health service
 * ({@code SERVING} once started, {@code NOT_SERVING} while stopping) and server reflection.
 *
 * <p>Calls run on virtual threads: a {@code Lock} call may wait a long time for its holder and a watch holds its
 * backend's delivery thread while the client is slow, and neither should tie up a platform thread.
 */
public final class TopoGrpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopoGrpcServer.class);
    /** The service name clients probe with the health service; {@code ""} (the whole server) works too. */
    public static final String SERVICE_NAME = TopoGrpc.SERVICE_NAME;

    private final Server server;
    private final HeldLocks locks;
    private final HealthStatusManager health;
    private final ExecutorService executor;
    private boolean closed;

    private TopoGrpcServer(Server server, HeldLocks locks, HealthStatusManager health, ExecutorService executor) {
        this.server = server;
        this.locks = locks;
        this.health = health;
        this.executor = executor;
    }

    /**
     * Starts serving {@code backend} on a server built from {@code builder} (a Netty builder bound to an address,
     * or an in-process builder for tests).
     *
     * @throws IOException if the server cannot bind
     */
    public static TopoGrpcServer start(ServerBuilder<?> builder, TopoConn backend) throws IOException {
        HeldLocks locks = new HeldLocks(backend);
        HealthStatusManager health = new HealthStatusManager();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        Server server = builder
                .executor(executor)
                .addService(new TopoGrpcService(backend, locks))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            locks.close();
            executor.shutdownNow();
            throw e;
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(SERVICE_NAME, ServingStatus.SERVING);
        return new TopoGrpcServer(server, locks, health, executor);
    }

    /** The port the server listens on (-1 for an in-process server). */
    public int port() {
        return server.getPort();
    }

    /** Waits until the server has stopped. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /**
     * Stops serving: reports {@code NOT_SERVING}, refuses new calls, gives running calls a moment, ends the rest
     * (open watches and lock waits) and releases the locks held for clients. Idempotent. Does not close the
     * backend, which belongs to the caller.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
                if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("gRPC server did not stop within 7s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        locks.close();
        executor.shutdownNow();
    }
}
