package io.tessera.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real single-node etcd server from the OS package, started by a test in a fresh temporary data directory with
 * its client and peer URLs on free loopback ports. {@link #close()} stops it and deletes the data directory, so a
 * test leaves nothing behind.
 */
public final class EtcdProcess implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    /** A port handed out by {@link FreePorts} can be taken by another process before etcd binds it; try again. */
    private static final int START_ATTEMPTS = 3;

    private final ManagedProcess process;
    private final Path baseDir;
    private final int clientPort;

    private EtcdProcess(ManagedProcess process, Path baseDir, int clientPort) {
        this.process = process;
        this.baseDir = baseDir;
        this.clientPort = clientPort;
    }

    /**
     * Starts etcd and returns once it reports itself healthy.
     *
     * @throws AssertionError if etcd is not installed, exits during startup or does not become healthy in time
     */
    public static EtcdProcess start() {
        String binary = findBinary();
        Path baseDir;
        try {
            baseDir = Files.createTempDirectory("tessera-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for etcd", e);
        }
        AssertionError last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int clientPort = FreePorts.next();
            int peerPort = FreePorts.next();
            Path dataDir = baseDir.resolve("data-" + attempt);
            ManagedProcess process = ManagedProcess.start("etcd",
                    command(binary, dataDir, clientPort, peerPort), Map.of(), baseDir,
                    baseDir.resolve("etcd-" + attempt + ".log"));
            try {
                process.awaitReady(() -> isHealthy(clientPort), STARTUP_TIMEOUT);
                return new EtcdProcess(process, baseDir, clientPort);
            } catch (AssertionError e) {
                process.close();
                last = e;
                if (!process.logText().contains("address already in use")) {
                    break;
                }
            }
        }
        TempDirs.deleteRecursively(baseDir);
        throw last;
    }

    /** The client endpoint as {@code 127.0.0.1:port}. */
    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    /** The loopback port etcd serves clients on. */
    public int clientPort() {
        return clientPort;
    }

    /** The log file etcd writes to, for failure messages. */
    public Path log() {
        return process.log();
    }

    /** True while the etcd process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills etcd with SIGKILL, as a crash would. The data directory stays until {@link #close()}. */
    public void killHard() {
        process.killHard();
    }

    /** Stops etcd (if it still runs) and deletes its data directory. */
    @Override
    public void close() {
        try {
            process.close();
        } finally {
            TempDirs.deleteRecursively(baseDir);
        }
    }

    private static List<String> command(String binary, Path dataDir, int clientPort, int peerPort) {
        String clientUrl = "http://127.0.0.1:" + clientPort;
        String peerUrl = "http://127.0.0.1:" + peerPort;
        return List.of(binary,
                "--name", "tessera-test",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", clientUrl,
                "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl,
                "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "tessera-test=" + peerUrl,
                "--initial-cluster-state", "new",
                // zap avoids the deprecation warning the default capnslog logger prints on 3.4.
                "--logger", "zap",
                "--log-outputs", "stderr");
    }

    private static String findBinary() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "etcd"))) {
                    return Path.of(dir, "etcd").toString();
                }
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/etcd"))) {
            return "/usr/bin/etcd";
        }
        throw new AssertionError("etcd not found on PATH: install etcd-server (./deploy/test.sh does)");
    }

    private static boolean isHealthy(int clientPort) {
        // A fresh client per probe: probes are few, and no client outlives the fixture.
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clientPort + "/health"))
                    .timeout(Duration.ofSeconds(2))
                    .GET()
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for etcd on port " + clientPort, e);
        }
    }
}
