package io.tessera.topo.server;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.tessera.testing.FreePorts;
import io.tessera.testing.ManagedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code tessera-topo} daemon as a real OS process (a new JVM running {@link TopoMain}) on a free loopback port,
 * with the embedded backend on a data dir the test owns (or in front of an etcd the test runs).
 * {@link #restart()} brings it back on the same port and data, as an operator restarting it would. Its log is next
 * to the data dir.
 */
public final class TopoDaemonProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** Small heap and quick startup: tests start many daemons on a small machine. */
    private static final List<String> JVM_ARGS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Path dataDir;
    private final int port;
    private final List<String> backendArgs;
    private final Path log;
    private ManagedProcess process;

    private TopoDaemonProcess(Path dataDir, int port, List<String> backendArgs) {
        this.dataDir = dataDir;
        this.port = port;
        this.backendArgs = List.copyOf(backendArgs);
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-tessera-topo.log");
    }

    /** Starts a daemon with the embedded store in {@code dataDir} and waits until it reports {@code SERVING}. */
    public static TopoDaemonProcess start(Path dataDir) {
        return launched(new TopoDaemonProcess(dataDir, FreePorts.next(), embeddedArgs(dataDir)));
    }

    /**
     * Starts a daemon in front of etcd at {@code endpoint} with keys under {@code root}; {@code workDir} only holds
     * its log.
     */
    public static TopoDaemonProcess startEtcd(Path workDir, String endpoint, String root) {
        return launched(new TopoDaemonProcess(workDir, FreePorts.next(),
                List.of("--backend", "etcd", "--etcd-endpoints", endpoint, "--etcd-root", root)));
    }

    private static TopoDaemonProcess launched(TopoDaemonProcess daemon) {
        daemon.launch();
        return daemon;
    }

    private static List<String> embeddedArgs(Path dataDir) {
        return List.of("--backend", "embedded", "--data-dir", dataDir.toString());
    }

    /**
     * The command line of a daemon with the embedded store in {@code dataDir} on {@code port}, for tests that
     * start one by hand (for example one expected to fail).
     */
    public static List<String> command(Path dataDir, int port) {
        return command(port, embeddedArgs(dataDir));
    }

    private static List<String> command(int port, List<String> backendArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--port", Integer.toString(port),
                "--bind-address", "127.0.0.1"));
        args.addAll(backendArgs);
        return ManagedProcess.javaCommand(TopoMain.class.getName(), JVM_ARGS, args);
    }

    /** The process's command line for any arguments (such as {@code --help}). */
    public static List<String> commandWithArgs(List<String> args) {
        return ManagedProcess.javaCommand(TopoMain.class.getName(), JVM_ARGS, args);
    }

    /** The topo address clients use: {@code grpc://127.0.0.1:<port>}. */
    public String address() {
        return "grpc://" + hostPort();
    }

    /** {@code 127.0.0.1:<port>}. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The embedded store's data dir (for an etcd-backed daemon: the directory its log is next to). */
    public Path dataDir() {
        return dataDir;
    }

    /** The daemon's output so far, across restarts. */
    public String logText() {
        return process.logText();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Kills the daemon with SIGKILL, as a crash or power loss would. */
    public void killHard() {
        process.killHard();
    }

    /**
     * Stops the daemon with SIGTERM and waits for it to exit.
     *
     * @return its exit code
     */
    public int stop() {
        process.stop(STOP_GRACE);
        return process.waitFor(Duration.ofSeconds(10));
    }

    /** Starts the daemon again on the same port and data dir (stopping it first if it still runs). */
    public void restart() {
        if (isAlive()) {
            stop();
        }
        launch();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    private void launch() {
        process = ManagedProcess.start("tessera-topo :" + port, command(port, backendArgs), Map.of(),
                dataDir.toAbsolutePath().getParent(), log);
        ManagedChannel channel = null;
        try {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            process.awaitReady(() -> FreePorts.isListening(port), READY_TIMEOUT);
            channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
            ManagedChannel probe = channel;
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            process.awaitReady(() -> serving(probe), left);
        } catch (RuntimeException | AssertionError e) {
            process.close();
            throw e;
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
        }
    }

    private static boolean serving(ManagedChannel channel) {
        channel.resetConnectBackoff();
        try {
            return HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(2, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(TopoGrpcServer.SERVICE_NAME).build())
                    .getStatus() == HealthCheckResponse.ServingStatus.SERVING;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }
}
