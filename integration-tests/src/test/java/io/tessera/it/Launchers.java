package io.tessera.it;

import io.tessera.testing.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the top-level {@code bin/} launchers as a user would. */
final class Launchers {
    private Launchers() {}

    /** The checkout's root ({@code tessera.home}, set by the build). */
    static Path home() {
        String home = System.getProperty("tessera.home");
        if (home == null) {
            throw new IllegalStateException("tessera.home is not set: run the integration tests through Maven");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    /** Starts {@code bin/<launcher> args...} with its output in {@code dir/<logName>} and a 128 MB heap. */
    static ManagedProcess start(String launcher, Path dir, String logName, String... args) {
        return startWithJavaOpts("-Xmx128m", launcher, dir, logName, args);
    }

    /** Like {@link #start}, with the given JVM options ({@code TESSERA_JAVA_OPTS}). */
    static ManagedProcess startWithJavaOpts(String javaOpts, String launcher, Path dir, String logName,
            String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(home().resolve("bin").resolve(launcher).toString());
        cmd.addAll(List.of(args));
        return ManagedProcess.start(launcher, cmd, Map.of("TESSERA_JAVA_OPTS", javaOpts), dir, dir.resolve(logName));
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
