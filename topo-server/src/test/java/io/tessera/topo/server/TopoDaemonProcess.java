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
 * A {@code tessera-topo} daemon as a real OS process (a new JVM running {@link TopoMain}) with the embedded
 * backend, on a free loopback port and a data dir the test owns. {@link #restart()} brings it back on the same
 * port and data dir, as an operator restarting it would. Its log is next to the data dir.
 */
public final class TopoDaemonProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** Small heap and quick startup: tests start many daemons on a small machine. */
    private static final List<String> JVM_ARGS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Path dataDir;
    private final int port;
    private final List<String> extraArgs;
    private final Path log;
    private ManagedProcess process;

    private TopoDaemonProcess(Path dataDir, int port, List<String> extraArgs) {
        this.dataDir = dataDir;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-tessera-topo.log");
    }

    /** Starts a daemon on {@code dataDir} and waits until it reports {@code SERVING}. */
    public static TopoDaemonProcess start(Path dataDir) {
        return start(dataDir, List.of());
    }

    /** Like {@link #start(Path)}, with extra daemon flags. */
    public static TopoDaemonProcess start(Path dataDir, List<String> extraArgs) {
        TopoDaemonProcess daemon = new TopoDaemonProcess(dataDir, FreePorts.next(), extraArgs);
        daemon.launch();
        return daemon;
    }

    /**
     * The command line of a daemon on {@code dataDir} and {@code port}, for tests that start one by hand (for
     * example one expected to fail).
     */
    public static List<String> command(Path dataDir, int port, List<String> extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--port", Integer.toString(port),
                "--bind-address", "127.0.0.1",
                "--backend", "embedded",
                "--data-dir", dataDir.toString()));
        args.addAll(extraArgs);
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
        process = ManagedProcess.start("tessera-topo :" + port, command(dataDir, port, extraArgs), Map.of(),
                dataDir.getParent(), log);
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
