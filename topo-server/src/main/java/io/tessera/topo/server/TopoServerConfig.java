package io.tessera.topo.server;

import java.net.InetSocketAddress;

/**
 * Everything a {@code tessera-topo} daemon needs to start.
 *
 * @param port the gRPC port ({@value #DEFAULT_PORT} by default; 0 picks a free one)
 * @param bindAddress the address to listen on; empty for every interface
 * @param backend where the topology is stored
 */
public record TopoServerConfig(int port, String bindAddress, BackendConfig backend) {
    /** The Vitess convention for the topology service's gRPC port. */
    public static final int DEFAULT_PORT = 15990;

    public TopoServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        bindAddress = bindAddress == null ? "" : bindAddress.strip();
        if (backend == null) {
            throw new IllegalArgumentException("a backend is required");
        }
    }

    /** The defaults: port {@value #DEFAULT_PORT} on every interface, the embedded store in its default dir. */
    public static TopoServerConfig defaults() {
        return new TopoServerConfig(DEFAULT_PORT, "", new BackendConfig.Embedded(BackendConfig.Embedded.defaultDataDir()));
    }

    /** The socket address to listen on. */
    public InetSocketAddress listenAddress() {
        return bindAddress.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(bindAddress, port);
    }
}
