package io.tessera.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real OS process started by a test, with its output in a log file. {@link #close()} stops it (SIGTERM, then
 * SIGKILL) together with its children, so a test never leaves a process behind.
 */
public final class ManagedProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with stdout and stderr appended to {@code log}.
     *
     * @param name a short label used in error messages
     */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
            Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            return new ManagedProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /**
     * The command line that runs {@code mainClass} in a new JVM with this JVM's java binary and class path: how
     * tests start Tessera daemons as real processes before they are packaged.
     */
    public static List<String> javaCommand(String mainClass, List<String> jvmArgs, List<String> args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmArgs);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The whole log so far, for assertions and failure messages. */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "<cannot read " + log + ": " + e + ">";
        }
    }

    /** Waits for the process to exit and returns its exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + "; log:\n" + tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name, e);
        }
    }

    /**
     * Polls {@code ready} until it holds; fails (with the log's tail) if the process exits or the time runs out.
     */
    public void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready; log:\n"
                        + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " not ready within " + timeout + "; log:\n" + tail());
            }
            sleep(50);
        }
    }

    /** Kills the process at once with SIGKILL (no clean shutdown), as a crash would, and waits for it to go. */
    public void killHard() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitGone(Duration.ofSeconds(10));
    }

    /** SIGTERM, a grace period, then SIGKILL; children too. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        waitGone(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    /** The last lines of the log, for failure messages. */
    public String tail() {
        String text = logText();
        return text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
    }

    private void waitGone(Duration timeout) {
        try {
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
