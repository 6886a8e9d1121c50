package io.tessera.topo.embedded;

import com.google.common.util.concurrent.Uninterruptibles;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import io.tessera.topo.local.Changes;
import io.tessera.topo.local.LeaseRecord;
import io.tessera.topo.local.NodeRecord;
import io.tessera.topo.local.Persistence;
import io.tessera.topo.local.StoreSnapshot;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Persistence} in one H2 MVStore file. Each change is one MVStore commit followed by an fsync, so a write
 * that returned survives a crash of the process or of the machine.
 *
 * <p>Every MVStore call runs on one dedicated thread. File channels close for good when a thread using them is
 * interrupted, and callers of the store may be interrupted at any time (a lock wait being cancelled); keeping the
 * file on a thread nobody interrupts is what keeps one cancelled caller from breaking the store for all.
 *
 * <p>After a failed write the file may or may not hold the change, so this persistence refuses every later write:
 * the server must be restarted, and then reads back exactly what reached the disk.
 */
final class MvStorePersistence implements Persistence {
    private static final Logger LOG = LoggerFactory.getLogger(MvStorePersistence.class);

    static final String FILE_NAME = "topology.mv.db";
    private static final long FORMAT = 1;
    private static final String META_FORMAT = "format";
    private static final String META_REVISION = "revision";
    private static final String META_LAST_LEASE_ID = "lastLeaseId";

    private final Path file;
    private final StorageTuning tuning;
    private final ExecutorService writer;
    private MVStore store; // confined to the writer thread
    private MVMap<String, byte[]> nodes;
    private MVMap<Long, long[]> leases;
    private MVMap<String, Long> meta;
    private int writesSinceCompaction;
    private volatile TopoException failure;

    private MvStorePersistence(Path file, StorageTuning tuning) {
        this.file = file;
        this.tuning = tuning;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "topo-embedded-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens (or creates) the store file.
     *
     * @throws TopoException {@code UNAVAILABLE} if the file cannot be opened or holds an unknown format
     */
    static MvStorePersistence open(Path file, StorageTuning tuning) throws TopoException {
        MvStorePersistence p = new MvStorePersistence(file, tuning);
        try {
            p.onWriter(p::openStore);
        } catch (TopoException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private Void openStore() throws TopoException {
        store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        store.setRetentionTime(tuning.retentionMillis());
        nodes = store.openMap("nodes");
        leases = store.openMap("leases");
        meta = store.openMap("meta");
        Long format = meta.get(META_FORMAT);
        if (format == null && nodes.isEmpty() && leases.isEmpty()) {
            meta.put(META_FORMAT, FORMAT);
            commitDurably();
        } else if (format == null || format != FORMAT) {
            throw new TopoException(Code.UNAVAILABLE, "", "topology store file " + file + " has format " + format
                    + ", this server reads format " + FORMAT);
        }
        return null;
    }

    @Override
    public StoreSnapshot load() throws TopoException {
        return onWriter(() -> {
            Map<String, NodeRecord> n = new HashMap<>();
            nodes.forEach((path, bytes) -> n.put(path, NodeCodec.decode(bytes)));
            Map<Long, LeaseRecord> l = new HashMap<>();
            leases.forEach((id, value) -> l.put(id, NodeCodec.decode(id, value)));
            return new StoreSnapshot(meta.getOrDefault(META_REVISION, 0L), meta.getOrDefault(META_LAST_LEASE_ID, 0L),
                    n, l);
        });
    }

    @Override
    public void write(Changes changes) throws TopoException {
        TopoException failed = failure;
        if (failed != null) {
            throw new TopoException(Code.UNAVAILABLE, "", "the topology store stopped writing after an earlier "
                    + "failure; restart the server: " + failed.getMessage(), failed);
        }
        try {
            onWriter(() -> {
                changes.deletedNodes().forEach(nodes::remove);
                changes.putNodes().forEach((path, node) -> nodes.put(path, NodeCodec.encode(node)));
                changes.deletedLeases().forEach(leases::remove);
                changes.putLeases().forEach((id, lease) -> leases.put(id, NodeCodec.encode(lease)));
                meta.put(META_REVISION, changes.revision());
                meta.put(META_LAST_LEASE_ID, changes.lastLeaseId());
                commitDurably();
                return null;
            });
        } catch (TopoException e) {
            stopWriting(e);
            throw e;
        }
        try {
            // After the change is on disk: a failure here must not report the change itself as failed.
            onWriter(this::compactNowAndThen);
        } catch (TopoException e) {
            LOG.error("compacting {} failed; no further writes will be accepted", file, e);
            stopWriting(e);
        }
    }

    private void stopWriting(TopoException cause) {
        failure = cause;
        onWriterQuietly(() -> store.closeImmediately());
    }

    /** Writes the pending changes to the file and forces them to the disk. */
    private void commitDurably() {
        store.commit();
        store.sync();
    }

    private Void compactNowAndThen() {
        if (++writesSinceCompaction < tuning.compactEveryWrites()) {
            return null;
        }
        writesSinceCompaction = 0;
        // Chunks of the file stay allocated while any page in them is live; rewriting the sparse ones lets the
        // space of the many small commits be reused instead of growing the file.
        if (store.compact(50, 1 << 20)) {
            commitDurably();
            LOG.debug("compacted {}: fill rate now {}%", file, store.getFillRate());
        }
        return null;
    }

    private <T> T onWriter(Callable<T> task) throws TopoException {
        try {
            return Uninterruptibles.getUninterruptibly(writer.submit(task));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TopoException te) {
                throw te;
            }
            throw new TopoException(Code.UNAVAILABLE, "",
                    "topology store file " + file + " failed: " + cause, cause);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new TopoException(Code.UNAVAILABLE, "", "topology store file " + file + " is closed", e);
        }
    }

    private void onWriterQuietly(Runnable task) {
        try {
            onWriter(() -> {
                task.run();
                return null;
            });
        } catch (TopoException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    /** Closes the file (every change was already committed) and stops the writer thread. Idempotent. */
    @Override
    public void close() {
        if (writer.isShutdown()) {
            return;
        }
        onWriterQuietly(() -> {
            if (store != null && !store.isClosed()) {
                store.close();
            }
        });
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("topology store writer did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
