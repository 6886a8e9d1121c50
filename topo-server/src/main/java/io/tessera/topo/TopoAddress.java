package io.tessera.topo;

import java.util.Arrays;
import java.util.List;

/**
 * A parsed topology address, the one syntax every process uses to reach the topology:
 * <ul>
 *   <li>{@code etcd://h1:2379,h2:2379/root} — an etcd cluster; keys live under {@code /root}</li>
 *   <li>{@code grpc://host:15990} — a {@code tessera-topo} daemon</li>
 *   <li>{@code memory://} — a private in-memory store (tests only)</li>
 * </ul>
 *
 * @param scheme the backend: {@code etcd}, {@code grpc} or {@code memory}
 * @param hosts the {@code host:port} endpoints (empty for memory)
 * @param root the key prefix ({@code /tessera} when the address has none); meaningful for etcd
 */
public record TopoAddress(String scheme, List<String> hosts, String root) {
    /** The key prefix used when an etcd address names none. */
    public static final String DEFAULT_ROOT = "/tessera";

    public TopoAddress {
        hosts = List.copyOf(hosts);
    }

    /**
     * Parses an address.
     *
     * @throws TopoException {@code INVALID_ARGUMENT} with a message showing the accepted forms
     */
    public static TopoAddress parse(String address) throws TopoException {
        if (address == null || address.isBlank()) {
            throw invalid(address, "empty topology address");
        }
        int sep = address.indexOf("://");
        if (sep <= 0) {
            throw invalid(address, "missing scheme");
        }
        String scheme = address.substring(0, sep);
        String rest = address.substring(sep + 3);
        int slash = rest.indexOf('/');
        String hostPart = slash < 0 ? rest : rest.substring(0, slash);
        String root = slash < 0 ? "" : rest.substring(slash);
        while (root.length() > 1 && root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        if (root.isEmpty() || root.equals("/")) {
            root = DEFAULT_ROOT;
        }
        List<String> hosts = hostPart.isEmpty() ? List.of()
                : Arrays.stream(hostPart.split(",")).map(String::trim).toList();
        switch (scheme) {
            case "memory" -> {
                if (!hosts.isEmpty()) {
                    throw invalid(address, "memory:// takes no host");
                }
            }
            case "etcd", "grpc" -> {
                if (hosts.isEmpty()) {
                    throw invalid(address, scheme + ":// needs at least one host:port");
                }
                for (String h : hosts) {
                    checkHostPort(address, h);
                }
                if (scheme.equals("grpc") && hosts.size() != 1) {
                    throw invalid(address, "grpc:// takes exactly one host:port");
                }
            }
            default -> throw invalid(address, "unknown scheme '" + scheme + "'");
        }
        return new TopoAddress(scheme, hosts, root);
    }

    private static void checkHostPort(String address, String hostPort) throws TopoException {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw invalid(address, "'" + hostPort + "' is not host:port");
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw invalid(address, "port out of range in '" + hostPort + "'");
            }
        } catch (NumberFormatException e) {
            throw invalid(address, "port is not a number in '" + hostPort + "'");
        }
    }

    private static TopoException invalid(String address, String why) {
        return new TopoException(TopoException.Code.INVALID_ARGUMENT, "",
                "bad topology address '" + address + "': " + why
                        + " (expected etcd://host:2379[,host:2379]/root, grpc://host:15990 or memory://)");
    }

    @Override
    public String toString() {
        return scheme + "://" + String.join(",", hosts) + (scheme.equals("etcd") ? root : "");
    }
}
