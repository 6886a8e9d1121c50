package io.tessera.topo.server;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.tessera.topo.TopoException;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code tessera-topo}: the backend opened from the config and served on its port. Opening the backend
 * comes first, so a daemon that cannot have its data (another process holds the data dir, etcd is unreachable)
 * never starts listening.
 */
public final class TopoDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopoDaemon.class);

    private final TopoBackend backend;
    private final TopoGrpcServer server;
    private boolean closed;

    private TopoDaemon(TopoBackend backend, TopoGrpcServer server) {
        this.backend = backend;
        this.server = server;
    }

    /**
     * Opens the backend and starts serving it.
     *
     * @throws TopoException if the backend cannot be opened ({@code UNAVAILABLE}: for example the data dir is in
     *     use by another process)
     * @throws IOException if the port cannot be bound
     */
    public static TopoDaemon start(TopoServerConfig config) throws TopoException, IOException {
        TopoBackend backend = TopoBackends.open(config.backend());
        log.info("topology data: {}", backend.describe());
        InetSocketAddress listen = config.listenAddress();
        TopoGrpcServer server;
        try {
            server = TopoGrpcServer.start(NettyServerBuilder.forAddress(listen), backend.conn());
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw new IOException("cannot listen on " + describe(config) + ": " + e.getMessage(), e);
        }
        log.info("serving gRPC on {}:{}", config.bindAddress().isEmpty() ? "*" : config.bindAddress(), server.port());
        return new TopoDaemon(backend, server);
    }

    /** The port the daemon listens on. */
    public int port() {
        return server.port();
    }

    /** Blocks until the daemon has been closed. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops serving, then closes the backend so the store is left consistent. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("stopping");
        server.close();
        backend.close();
        log.info("stopped");
    }

    private static String describe(TopoServerConfig config) {
        return (config.bindAddress().isEmpty() ? "*" : config.bindAddress()) + ":" + config.port();
    }
}
