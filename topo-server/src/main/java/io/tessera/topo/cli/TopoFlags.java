package io.tessera.topo.cli;

import io.tessera.topo.TopoAddress;
import picocli.CommandLine.Option;

/**
 * How a daemon finds the topology: Tessera's one address ({@code --topo-address etcd://h:2379/tessera},
 * {@code grpc://h:15990}), or Vitess's three flags ({@code --topo_implementation etcd2|grpc},
 * {@code --topo_global_server_address}, {@code --topo_global_root}) so existing Vitess command lines keep working.
 * Add to a command with {@code @Mixin TopoFlags topo;}.
 */
public final class TopoFlags {

    @Option(names = "--topo-address", paramLabel = "ADDR",
            description = "The topology: etcd://host:2379[,host:2379]/root or grpc://host:15990 (a tessera-topo).")
    String address;

    @Option(names = "--topo-implementation", paramLabel = "IMPL",
            description = "Vitess form: etcd2 (or etcd) or grpc; with --topo-global-server-address.")
    String implementation;

    @Option(names = "--topo-global-server-address", paramLabel = "HOST:PORT[,HOST:PORT]",
            description = "Vitess form: the topology servers.")
    String globalServerAddress;

    @Option(names = "--topo-global-root", paramLabel = "PATH",
            description = "Vitess form: the key prefix in etcd (default: /tessera).")
    String globalRoot;

    /**
     * The topology address the flags describe.
     *
     * @throws IllegalArgumentException if the flags are missing, conflict, or name an unknown implementation
     */
    public String address() {
        boolean vitessForm = implementation != null || globalServerAddress != null || globalRoot != null;
        if (address != null && vitessForm) {
            throw new IllegalArgumentException("give either --topo-address or the --topo_implementation/"
                    + "--topo_global_server_address/--topo_global_root flags, not both");
        }
        if (address != null) {
            return check(address);
        }
        if (!vitessForm) {
            throw new IllegalArgumentException("--topo-address is required, e.g. --topo-address grpc://localhost:15990 "
                    + "or --topo-address etcd://localhost:2379/tessera");
        }
        if (implementation == null || globalServerAddress == null) {
            throw new IllegalArgumentException("--topo_implementation and --topo_global_server_address go together");
        }
        String scheme = switch (implementation) {
            case "etcd2", "etcd" -> "etcd";
            case "grpc" -> "grpc";
            default -> throw new IllegalArgumentException("unknown --topo_implementation '" + implementation
                    + "': use etcd2 or grpc");
        };
        String root = globalRoot == null ? "" : globalRoot.startsWith("/") ? globalRoot : "/" + globalRoot;
        return check(scheme + "://" + globalServerAddress + (scheme.equals("etcd") ? root : ""));
    }

    private static String check(String address) {
        try {
            TopoAddress.parse(address);
            return address;
        } catch (io.tessera.topo.TopoException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
