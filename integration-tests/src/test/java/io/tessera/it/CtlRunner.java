package io.tessera.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/tessera-ctl --server <ctld> args...} as an operator would, capturing its output and exit code. */
final class CtlRunner {
    /** One run of the command line. */
    record Result(int exitCode, String stdout, String stderr) {
        /** The non-empty stdout lines. */
        List<String> lines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final String server;
    private final Path dir;
    private int runs;

    CtlRunner(String server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** Runs the command and returns what it printed, whatever its exit code. */
    synchronized Result run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Launchers.home().resolve("bin").resolve("tessera-ctl").toString());
        cmd.add("--server");
        cmd.add(server);
        cmd.addAll(List.of(args));
        int n = ++runs;
        Path out = dir.resolve("ctl-" + n + ".out");
        Path err = dir.resolve("ctl-" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(Map.of("TESSERA_JAVA_OPTS", "-Xmx64m"));
        try {
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("tessera-ctl " + String.join(" ", args) + " did not finish in 5 minutes");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new AssertionError("cannot run tessera-ctl: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs the command and fails the test unless it exits 0. */
    Result ok(String... args) {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("tessera-ctl " + String.join(" ", args) + " failed: " + r);
        }
        return r;
    }
}
