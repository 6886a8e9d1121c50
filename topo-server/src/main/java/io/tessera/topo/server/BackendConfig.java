package io.tessera.topo.server;

import java.nio.file.Path;
import java.util.List;

/** Where a {@code tessera-topo} keeps the topology: the closed set of backends it can serve. */
public sealed interface BackendConfig {

    /** A human-readable account of where the data lives, for the startup log. */
    String describe();

    /**
     * The embedded durable store in a local directory: one machine, no other service needed.
     *
     * @param dataDir the store's directory (made absolute); only one process may use it at a time
     */
    record Embedded(Path dataDir) implements BackendConfig {
        public Embedded {
            if (dataDir == null) {
                throw new IllegalArgumentException("the embedded backend needs a data dir");
            }
            dataDir = dataDir.toAbsolutePath().normalize();
        }

        /** {@code ~/.tessera/topo}. */
        public static Path defaultDataDir() {
            return Path.of(System.getProperty("user.home"), ".tessera", "topo");
        }

        @Override
        public String describe() {
            return "embedded store in " + dataDir;
        }
    }

    /**
     * An etcd cluster: the production backend, shared by many machines.
     *
     * @param endpoints the etcd members, {@code host:port} (or URLs) each
     * @param root the key prefix all topology keys live under, starting with {@code /}
     */
    record Etcd(List<String> endpoints, String root) implements BackendConfig {
        /** Where Tessera keeps its keys in etcd unless told otherwise. */
        public static final String DEFAULT_ROOT = "/tessera";

        public Etcd {
            if (endpoints == null || endpoints.isEmpty()) {
                throw new IllegalArgumentException("the etcd backend needs --etcd-endpoints host:port[,host:port...]");
            }
            endpoints = endpoints.stream().map(String::strip).toList();
            if (endpoints.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException("empty etcd endpoint in " + endpoints);
            }
            if (root == null || !root.startsWith("/")) {
                throw new IllegalArgumentException("the etcd root must start with '/', got '" + root + "'");
            }
        }

        @Override
        public String describe() {
            return "etcd " + String.join(",", endpoints) + " under " + root;
        }
    }
}
