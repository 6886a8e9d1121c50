package io.tessera.topo.embedded;

import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exclusive ownership of a data directory: an OS lock on {@code <dataDir>/LOCK}, which also names the owner's pid
 * so a second server can say who is in the way.
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE_NAME = "LOCK";

    /**
     * Data directories this process holds. OS file locks belong to the whole process, and closing any channel on
     * a locked file drops the process's lock on it, so a second attempt from this process must be refused before
     * it opens the file at all; that is why this one registry is process-wide.
     */
    private static final Set<Path> HELD_BY_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DataDirLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the data directory (created if missing) for this process.
     *
     * @throws TopoException {@code UNAVAILABLE} if another process, or another store in this one, holds it, or if
     *     the directory cannot be created or locked
     */
    static DataDirLock acquire(Path dataDir) throws TopoException {
        Path dir;
        try {
            Files.createDirectories(dataDir);
            dir = dataDir.toRealPath();
        } catch (IOException e) {
            throw new TopoException(Code.UNAVAILABLE, "",
                    "cannot create topology data dir " + dataDir + ": " + e.getMessage(), e);
        }
        if (!HELD_BY_THIS_PROCESS.add(dir)) {
            throw inUseHere(dir);
        }
        try {
            return lock(dir);
        } catch (TopoException | RuntimeException e) {
            HELD_BY_THIS_PROCESS.remove(dir);
            throw e;
        }
    }

    private static DataDirLock lock(Path dir) throws TopoException {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String owner = readOwner(channel);
                channel.close();
                throw new TopoException(Code.UNAVAILABLE, "", "topology data dir " + dir
                        + " is in use by another process" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                        + ": stop it or use another --data-dir");
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(true);
            return new DataDirLock(dir, channel, lock);
        } catch (OverlappingFileLockException e) {
            // Some other code in this JVM locked the file without going through this class.
            closeQuietly(channel);
            throw inUseHere(dir);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new TopoException(Code.UNAVAILABLE, "",
                    "cannot lock topology data dir " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String readOwner(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
    }

    private static TopoException inUseHere(Path dir) {
        return new TopoException(Code.UNAVAILABLE, "", "topology data dir " + dir
                + " is already open in this process (pid " + ProcessHandle.current().pid()
                + "): close that store first or use another --data-dir");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was written through it.
            }
        }
    }

    Path dir() {
        return dir;
    }

    /** Releases the directory. The LOCK file stays; only the OS lock on it means anything. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel drops the OS lock in any case.
        } finally {
            HELD_BY_THIS_PROCESS.remove(dir);
        }
    }
}
