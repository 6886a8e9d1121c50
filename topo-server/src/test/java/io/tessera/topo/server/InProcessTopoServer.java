package io.tessera.topo.server;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.tessera.topo.TopoConn;
import io.tessera.topo.memory.MemoryTopoStore;
import io.tessera.topo.remote.RemoteTopoConn;
import io.tessera.topo.remote.RemoteTopoOptions;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link TopoGrpcServer} over a memory store, reached through in-process gRPC: the service and the
 * remote client exercised end to end without sockets. Closes every channel and client it handed out.
 */
public final class InProcessTopoServer implements AutoCloseable {
    private final String name = "tessera-topo-" + UUID.randomUUID();
    private final MemoryTopoStore store = new MemoryTopoStore();
    private final TopoConn backend = store.connect();
    private final TopoGrpcServer server;
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    private final List<RemoteTopoConn> clients = new CopyOnWriteArrayList<>();

    public InProcessTopoServer() throws IOException {
        server = TopoGrpcServer.start(InProcessServerBuilder.forName(name), backend);
    }

    /** The backend the server serves, for checking what clients did. */
    public TopoConn backend() {
        return backend;
    }

    /** A new channel to the server. */
    public ManagedChannel channel() {
        ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
        channels.add(ch);
        return ch;
    }

    /** A new remote client with the default options. */
    public RemoteTopoConn client() {
        return client(RemoteTopoOptions.DEFAULT);
    }

    /** A new remote client. */
    public RemoteTopoConn client(RemoteTopoOptions options) {
        RemoteTopoConn c = RemoteTopoConn.over(InProcessChannelBuilder.forName(name).build(), options);
        clients.add(c);
        return c;
    }

    /** Stops the gRPC server (the store stays), as a daemon going away would look to its clients. */
    public void stopServer() {
        server.close();
    }

    @Override
    public void close() throws InterruptedException {
        for (RemoteTopoConn c : clients) {
            c.close();
        }
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
            ch.awaitTermination(5, TimeUnit.SECONDS);
        }
        server.close();
        backend.close();
        store.close();
    }
}
