package io.tessera.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ports of the local cluster that {@code deploy/local/up.sh --port-offset N} starts: Vitess's local-example
 * defaults, each moved by {@code offset}. Tablet {@code uid} serves HTTP on 15000+uid, gRPC on 16000+uid and runs
 * mysqld on 17000+uid.
 */
record LocalPorts(int offset) {
    /** The tablets up.sh starts. */
    static final List<Integer> TABLET_UIDS = List.of(100, 101, 102, 300, 301, 400, 401);

    int topo() {
        return 15990 + offset;
    }

    int ctldHttp() {
        return 15000 + offset;
    }

    int ctldGrpc() {
        return 15999 + offset;
    }

    int gateMysql() {
        return 15306 + offset;
    }

    int gateHttp() {
        return 15001 + offset;
    }

    int gateGrpc() {
        return 15991 + offset;
    }

    int tabletHttp(int uid) {
        return 15000 + uid + offset;
    }

    int tabletGrpc(int uid) {
        return 16000 + uid + offset;
    }

    int tabletMysql(int uid) {
        return 17000 + uid + offset;
    }

    /** Every port the cluster (with its embedded topology) listens on, by what listens there. */
    Map<String, Integer> all() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("topo", topo());
        ports.put("ctld-http", ctldHttp());
        ports.put("ctld-grpc", ctldGrpc());
        ports.put("gate-mysql", gateMysql());
        ports.put("gate-http", gateHttp());
        ports.put("gate-grpc", gateGrpc());
        for (int uid : TABLET_UIDS) {
            ports.put("tablet-" + uid + "-http", tabletHttp(uid));
            ports.put("tablet-" + uid + "-grpc", tabletGrpc(uid));
            ports.put("tablet-" + uid + "-mysqld", tabletMysql(uid));
        }
        return ports;
    }

    /**
     * An offset whose every port is free on 127.0.0.1 now. Offsets are drawn so that all ports stay between 17401
     * (above a cluster on the default ports) and 32767 (below the kernel's ephemeral range, where client connections
     * would take ports at random).
     */
    static LocalPorts free() {
        for (int attempt = 0; attempt < 50; attempt++) {
            LocalPorts ports = new LocalPorts(2500 + ThreadLocalRandom.current().nextInt(12_800));
            if (ports.all().values().stream().allMatch(LocalPorts::bindable)) {
                return ports;
            }
        }
        throw new AssertionError("no port offset with all the local cluster's ports free after 50 attempts");
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
