package io.tessera.tablet.mysqlctl;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mysqld OS process: either a child this JVM started or a server found running through its pid file (after a
 * tablet restart the server may still be up). Signals go by pid, never by process name.
 */
final class MysqldProcess {
    private static final Logger log = LoggerFactory.getLogger(MysqldProcess.class);
    private static final Duration AFTER_KILL_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 50;

    private final ProcessHandle handle;
    private final Optional<Process> child;

    private MysqldProcess(ProcessHandle handle, Optional<Process> child) {
        this.handle = handle;
        this.child = child;
    }

    /**
     * Starts {@code mysqld --defaults-file=<my.cnf>} as a child with stdin from /dev/null and its output appended
     * to the tablet's {@code mysqld.out}.
     */
    static MysqldProcess launch(Path mysqld, TabletDir dir) {
        List<String> command = List.of(mysqld.toString(), "--defaults-file=" + dir.myCnf());
        try {
            Process process = new ProcessBuilder(command).directory(dir.path().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.stdoutLog().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            log.info("started mysqld pid {} for {}", process.pid(), dir.path());
            return new MysqldProcess(process.toHandle(), Optional.of(process));
        } catch (IOException e) {
            throw new MysqldException("cannot start " + command + ": " + e.getMessage(), e);
        }
    }

    /**
     * The mysqld of tablet directory {@code dir} according to its pid file, if that process is alive and is a
     * mysqld started with this directory's my.cnf. A stale pid file (after a crash or a reboot, possibly naming an
     * unrelated process by now) yields empty.
     */
    static Optional<MysqldProcess> fromPidFile(TabletDir dir) {
        long pid;
        try {
            if (!Files.exists(dir.pidFile())) {
                return Optional.empty();
            }
            pid = Long.parseLong(Files.readString(dir.pidFile()).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> isMysqldOf(h, dir))
                .map(h -> new MysqldProcess(h, Optional.empty()));
    }

    private static boolean isMysqldOf(ProcessHandle h, TabletDir dir) {
        ProcessHandle.Info info = h.info();
        boolean namedLikeMysqld = info.command().map(c -> Path.of(c).getFileName().toString())
                .map(name -> name.contains("mysqld") || name.contains("mariadbd")).orElse(false);
        if (!namedLikeMysqld) {
            return false;
        }
        // Where the arguments are visible (always for our own user's processes on Linux), insist on our my.cnf.
        return info.arguments().map(args -> List.of(args).contains("--defaults-file=" + dir.myCnf())).orElse(true);
    }

    long pid() {
        return handle.pid();
    }

    boolean isAlive() {
        return handle.isAlive();
    }

    boolean isChild() {
        return child.isPresent();
    }

    /**
     * Waits until the server answers {@code SELECT 1} through {@code probe}.
     *
     * @throws MysqldException if the process exits or the time runs out; the message holds the tail of the
     *     error log
     */
    void awaitAnswering(DbConnector probe, Duration timeout, TabletDir dir) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (true) {
            if (!handle.isAlive()) {
                String exit = child.map(p -> " with exit code " + p.exitValue()).orElse("");
                throw new MysqldException("mysqld (pid " + pid() + ") exited" + exit + " before it answered; last lines of "
                        + dir.errorLog() + ":\n" + LogTail.of(dir.errorLog(), 25) + tailOfStdout(dir));
            }
            try (Connection c = probe.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                return;
            } catch (SQLException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new MysqldException("mysqld (pid " + pid() + ") did not answer through " + probe.describe()
                        + " within " + timeout + " (last error: " + (last == null ? "none" : last.getMessage())
                        + "); last lines of " + dir.errorLog() + ":\n" + LogTail.of(dir.errorLog(), 25));
            }
            sleep(POLL_MILLIS);
        }
    }

    /**
     * Clean shutdown: SIGTERM, then wait up to {@code grace} for the process to go; if it does not, SIGKILL with a
     * warning, since a server that ignores SIGTERM that long is stuck.
     *
     * @throws MysqldException if the process survives even SIGKILL
     */
    void stop(Duration grace) {
        if (!handle.isAlive()) {
            return;
        }
        log.info("stopping mysqld pid {} (SIGTERM)", pid());
        handle.destroy();
        if (waitGone(grace)) {
            return;
        }
        log.warn("mysqld pid {} still running {} after SIGTERM; sending SIGKILL", pid(), grace);
        kill();
    }

    /**
     * SIGKILL, as a crash would, and wait for the process to go.
     *
     * @throws MysqldException if the process is still there afterwards
     */
    void kill() {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroyForcibly();
        if (!waitGone(AFTER_KILL_WAIT)) {
            throw new MysqldException("mysqld pid " + pid() + " is still running " + AFTER_KILL_WAIT + " after SIGKILL");
        }
    }

    private boolean waitGone(Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !handle.isAlive();
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MysqldException("interrupted while waiting for mysqld pid " + pid() + " to exit");
        }
    }

    private static String tailOfStdout(TabletDir dir) {
        try {
            if (Files.exists(dir.stdoutLog()) && Files.size(dir.stdoutLog()) > 0) {
                return "\nlast lines of " + dir.stdoutLog() + ":\n" + LogTail.of(dir.stdoutLog(), 10);
            }
        } catch (IOException e) {
            // The error log above is what matters; a missing stdout log is no news.
        }
        return "";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MysqldException("interrupted while waiting for mysqld to answer");
        }
    }
}
