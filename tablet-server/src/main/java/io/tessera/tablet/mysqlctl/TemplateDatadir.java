package io.tessera.tablet.mysqlctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One initialised datadir per template root, copied for every tablet. Running {@code mariadb-install-db} takes
 * about a second and several in parallel are erratic; copying the result takes a few milliseconds.
 *
 * <p>Layout: {@code <root>/mysqld-template/} with {@code data/}, {@code my.cnf} and {@code install.log}, guarded by
 * {@code <root>/mysqld-template.lock}. The template is initialised into {@code data.tmp} and renamed to
 * {@code data} when complete, so a crash midway never leaves a half-made template that looks finished.
 */
final class TemplateDatadir {
    private static final Logger log = LoggerFactory.getLogger(TemplateDatadir.class);

    /** The outcome of {@link #ensure()}. */
    record Result(Path dataDir, boolean createdNow) {}

    private final Path root;
    private final MysqldBinaries binaries;
    private final OsUser osUser;
    private final Duration installTimeout;

    TemplateDatadir(Path templateRoot, MysqldBinaries binaries, OsUser osUser, Duration installTimeout) {
        this.root = templateRoot;
        this.binaries = binaries;
        this.osUser = osUser;
        this.installTimeout = installTimeout;
    }

    Path dir() {
        return root.resolve("mysqld-template");
    }

    Path dataDir() {
        return dir().resolve("data");
    }

    Path lockFile() {
        return root.resolve("mysqld-template.lock");
    }

    /**
     * Returns the template datadir, initialising it first if nobody has. Safe to call concurrently from several
     * threads and processes: the first initialises under a file lock, the others wait and reuse the result.
     *
     * @throws MysqldException if the install tool fails or takes too long; the message holds its output
     */
    Result ensure() {
        if (Files.isDirectory(dataDir())) {
            return new Result(dataDir(), false);
        }
        try {
            Files.createDirectories(root);
            try (FileChannel channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = acquire(channel)) {
                if (Files.isDirectory(dataDir())) {
                    return new Result(dataDir(), false);
                }
                install();
                return new Result(dataDir(), true);
            }
        } catch (IOException e) {
            throw new MysqldException("cannot create the template datadir under " + dir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the template datadir to {@code target}, which must not exist. The copy goes to a temporary sibling
     * first and is renamed at the end, so an interrupted copy is never mistaken for a datadir.
     */
    void copyTo(Path target) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            deleteTree(tmp);
            copyTree(dataDir(), tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new MysqldException("cannot copy the template datadir " + dataDir() + " to " + target + ": "
                    + e.getMessage(), e);
        }
    }

    private FileLock acquire(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + installTimeout.multipliedBy(2).toNanos();
        while (true) {
            try {
                // Blocks while another process holds the lock.
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                // Another thread of this JVM holds it; file locks belong to the process, so wait here instead.
                if (System.nanoTime() > deadline) {
                    throw new MysqldException("timed out waiting for " + lockFile()
                            + ", held by another thread creating the template datadir");
                }
                sleep(20);
            }
        }
    }

    private void install() throws IOException {
        Path dir = dir();
        Path tmpData = dir.resolve("data.tmp");
        Path tmpDir = dir.resolve("tmp");
        Path myCnf = dir.resolve("my.cnf");
        Path installLog = dir.resolve("install.log");
        deleteTree(tmpData);
        Files.createDirectories(tmpDir);
        Files.writeString(myCnf, MyCnf.renderTemplate(tmpData, tmpDir, osUser.root()));
        List<String> command = new ArrayList<>();
        // --defaults-file must come first.
        command.add(binaries.installDb().toString());
        command.add("--defaults-file=" + myCnf);
        command.add("--basedir=" + binaries.basedir());
        command.add("--skip-test-db");
        command.add("--auth-root-authentication-method=socket");
        command.add("--auth-root-socket-user=" + osUser.name());
        if (osUser.root()) {
            command.add("--user=root");
        }
        log.info("initialising template datadir {} with {}", dataDir(), binaries.installDb());
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(installLog.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        boolean exited;
        try {
            exited = process.waitFor(installTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MysqldException("interrupted while initialising the template datadir " + dataDir());
        }
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new MysqldException(binaries.installDb() + " did not finish within " + installTimeout
                    + "; last lines of " + installLog + ":\n" + LogTail.of(installLog, 30));
        }
        if (process.exitValue() != 0) {
            throw new MysqldException(binaries.installDb() + " failed with exit code " + process.exitValue()
                    + "; last lines of " + installLog + ":\n" + LogTail.of(installLog, 30));
        }
        Files.move(tmpData, dataDir(), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MysqldException("interrupted while waiting for the template datadir lock");
        }
    }
}
