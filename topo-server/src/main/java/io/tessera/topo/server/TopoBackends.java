package io.tessera.topo.server;

import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import io.tessera.topo.embedded.EmbeddedTopoStore;
import io.tessera.topo.etcd.EtcdTopoConn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the backend a {@link BackendConfig} names. */
final class TopoBackends {
    private static final Logger log = LoggerFactory.getLogger(TopoBackends.class);

    private TopoBackends() {}

    /**
     * Opens a backend for serving.
     *
     * @throws TopoException {@code UNAVAILABLE} if the store cannot be opened (for the embedded store: the data
     *     dir is held by another process or unreadable); {@code INVALID_ARGUMENT} for a malformed etcd endpoint
     */
    static TopoBackend open(BackendConfig config) throws TopoException {
        return switch (config) {
            case BackendConfig.Embedded embedded -> openEmbedded(embedded);
            case BackendConfig.Etcd etcd -> openEtcd(etcd);
        };
    }

    private static TopoBackend openEmbedded(BackendConfig.Embedded config) throws TopoException {
        EmbeddedTopoStore store = EmbeddedTopoStore.open(config.dataDir());
        TopoConn conn = store.connect();
        return new Opened(conn, "embedded store in " + store.dataDir(), () -> {
            // The connection first, so the locks it holds for clients are released, then the store.
            conn.close();
            store.close();
        });
    }

    private static TopoBackend openEtcd(BackendConfig.Etcd config) throws TopoException {
        EtcdTopoConn conn;
        try {
            conn = EtcdTopoConn.connect(config.endpoints(), config.root());
        } catch (IllegalArgumentException e) {
            throw new TopoException(TopoException.Code.INVALID_ARGUMENT, "", "bad etcd endpoints: " + e.getMessage(), e);
        }
        probe(conn, config);
        return new Opened(conn, config.describe(), conn::close);
    }

    /**
     * etcd connects lazily; asking it something once at startup puts an unreachable cluster in the log right away.
     * The daemon still starts: clients get {@code UNAVAILABLE} until etcd is back, as with any later outage.
     */
    private static void probe(TopoConn conn, BackendConfig.Etcd config) {
        try {
            conn.listDir("");
        } catch (TopoException e) {
            if (!e.is(TopoException.Code.NO_NODE)) {
                log.warn("etcd at {} does not answer yet ({}): serving UNAVAILABLE until it does",
                        String.join(",", config.endpoints()), e.getMessage());
            }
        }
    }

    /** An opened backend and how to close it. */
    private record Opened(TopoConn conn, String describe, Runnable closer) implements TopoBackend {
        @Override
        public void close() {
            closer.run();
        }
    }
}
