package io.tessera.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds loopback ports nobody is listening on, so tests never depend on fixed ports.
 *
 * <p>Ports come from below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}), never from it: a
 * port handed out there can be taken, before the process it was meant for binds it, as the local port of any
 * outgoing connection on the machine (a gRPC client dialing the topology, a JDBC pool), and the process then fails
 * with "Address already in use". The same port is also never handed out twice by one JVM, which asking the kernel
 * for port 0 does not promise. The ports used by a cluster of {@code deploy/local/up.sh} on its default ports
 * (15000-17400) and the offsets the local-cluster test draws (17401 and up) are left out.
 */
public final class FreePorts {
    /** Lowest port handed out. */
    static final int LOW = 10_000;
    /** One past the highest port handed out. */
    static final int HIGH = 15_000;

    /**
     * The next candidate port. Process-wide on purpose: uniqueness across every test class of the JVM is the point.
     * Starts at a random place so that two test JVMs running at once rarely walk the same ports.
     */
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(HIGH - LOW));

    private FreePorts() {}

    /** A port that was free on 127.0.0.1 a moment ago, below the ephemeral range and not handed out before. */
    public static int next() {
        int high = Math.min(HIGH, ephemeralLow());
        int span = high - LOW;
        if (span < 1_000) {
            return kernelChosen(); // an ephemeral range reaching this low leaves nothing safer
        }
        for (int attempt = 0; attempt < span; attempt++) {
            int port = LOW + Math.floorMod(NEXT.getAndIncrement(), span);
            if (bindable(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free loopback port in " + LOW + "-" + (high - 1)));
    }

    /** True if something accepts TCP connections on 127.0.0.1:port. */
    public static boolean isListening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int kernelChosen() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range; Linux's default when it cannot be read. */
    static int ephemeralLow() {
        try {
            // Read by lines: procfs reports a size the JDK's whole-file reads trust, and they return a fragment.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
