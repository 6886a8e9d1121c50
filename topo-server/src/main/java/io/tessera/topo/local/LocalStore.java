package io.tessera.topo.local;

import io.tessera.topo.DirEntry;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import io.tessera.topo.TopoPaths;
import io.tessera.topo.Version;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind the in-process topology stores ({@code memory} and {@code embedded}): versioned files in a
 * tree, a store-wide revision counter, leases, watches and locks, with the {@link io.tessera.topo.TopoConn}
 * semantics. Durability is left to a {@link Persistence}, which records every change before the store applies it.
 *
 * <p>Every change happens under one lock: topology traffic is light, and a single order of changes is what keeps
 * revisions, watch events and lock order consistent. A background task expires leases whose deadline passed
 * (roughly every 100 ms), deleting the files bound to them.
 *
 * <p>Callers use the store through {@link #connect()}; closing the store ends every watch with
 * {@link WatchEvent.Failed} and stops every renewal, but releases no lock: like a crash, it leaves leases to expire.
 */
public final class LocalStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStore.class);

    /** How many undelivered events a watch may have before it fails. */
    static final int DEFAULT_WATCH_QUEUE_CAPACITY = 10_000;
    private static final long REAP_INTERVAL_MILLIS = 100;

    private final ReentrantLock mutex = new ReentrantLock();
    /** Signalled whenever a file is deleted or a connection goes away, which is what lock waiters wait for. */
    private final Condition nodesDeleted = mutex.newCondition();
    private final Persistence persistence;
    private final InstantSource clock;
    private final int watchQueueCapacity;
    private final StoreState state;
    private final WatchRegistry watches = new WatchRegistry();
    private final ScheduledExecutorService scheduler;
    private boolean closed; // guarded by mutex

    private LocalStore(Persistence persistence, InstantSource clock, int watchQueueCapacity, StoreState state) {
        this.persistence = persistence;
        this.clock = clock;
        this.watchQueueCapacity = watchQueueCapacity;
        this.state = state;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "topo-leases");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
    }

    /**
     * Opens a store over what {@code persistence} holds. Leases whose deadline has already passed (on
     * {@code clock}) are expired before this returns, deleting their files; the others keep their deadline. The
     * store owns {@code persistence} from now on: it closes it in {@link #close()}, or before throwing if it cannot
     * open.
     *
     * @param clock the wall clock lease deadlines are read against
     * @throws TopoException {@code UNAVAILABLE} if the persistence cannot be read or written
     */
    public static LocalStore open(Persistence persistence, InstantSource clock) throws TopoException {
        return open(persistence, clock, DEFAULT_WATCH_QUEUE_CAPACITY);
    }

    static LocalStore open(Persistence persistence, InstantSource clock, int watchQueueCapacity)
            throws TopoException {
        StoreState state;
        try {
            state = new StoreState(persistence.load());
        } catch (TopoException | RuntimeException e) {
            persistence.close();
            throw e;
        }
        LocalStore store = new LocalStore(persistence, clock, watchQueueCapacity, state);
        try {
            store.removeOrphans();
            store.expireLeases();
        } catch (TopoException | RuntimeException e) {
            store.close();
            throw e;
        }
        store.scheduler.scheduleWithFixedDelay(store::reap, REAP_INTERVAL_MILLIS, REAP_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        return store;
    }

    /** Opens a new, independent connection (its own locks and watches) over this store's data. */
    public LocalTopoConn connect() {
        return new LocalTopoConn(this);
    }

    // ---- files ----

    VersionedData get(String path) throws TopoException {
        mutex.lock();
        try {
            ensureOpen(path);
            NodeRecord node = existing(path);
            return new VersionedData(node.contents().clone(), new Version(node.modRevision()));
        } finally {
            mutex.unlock();
        }
    }

    Version create(String path, byte[] contents) throws TopoException {
        mutex.lock();
        try {
            ensureOpen(path);
            if (state.node(path) != null) {
                throw TopoException.nodeExists(path);
            }
            Batch batch = new Batch(state);
            long revision = batch.nodeRevision();
            commit(batch.putNode(path, new NodeRecord(contents, revision, revision, 0)));
            return new Version(revision);
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Writes a file. A file bound to a lease (a lock file) stays bound to it, so rewriting a lock's contents does not
     * make the lock outlive its holder.
     */
    Version update(String path, byte[] contents, Version expected) throws TopoException {
        mutex.lock();
        try {
            ensureOpen(path);
            NodeRecord old = state.node(path);
            if (expected != null) {
                checkVersion(path, old, expected);
            }
            Batch batch = new Batch(state);
            long revision = batch.nodeRevision();
            NodeRecord node = old == null
                    ? new NodeRecord(contents, revision, revision, 0)
                    : new NodeRecord(contents, revision, old.createRevision(), old.leaseId());
            commit(batch.putNode(path, node));
            return new Version(revision);
        } finally {
            mutex.unlock();
        }
    }

    void delete(String path, Version expected) throws TopoException {
        mutex.lock();
        try {
            ensureOpen(path);
            NodeRecord old = existing(path);
            if (expected != null) {
                checkVersion(path, old, expected);
            }
            commit(new Batch(state).deleteNode(path));
        } finally {
            mutex.unlock();
        }
    }

    List<DirEntry> listDir(String dirPath) throws TopoException {
        mutex.lock();
        try {
            ensureOpen(dirPath);
            List<DirEntry> entries = state.children(dirPath);
            if (entries.isEmpty()) {
                throw TopoException.noNode(dirPath);
            }
            return entries;
        } finally {
            mutex.unlock();
        }
    }

    // ---- watches ----

    /**
     * Registers a watch; the caller starts its delivery with {@link Watcher#start()}. Reading the current value and
     * registering for changes happen under one lock, so no change falls between them.
     */
    Watcher watch(String path, Consumer<WatchEvent> listener, Consumer<Watcher> onFinish) throws TopoException {
        mutex.lock();
        try {
            ensureOpen(path);
            NodeRecord node = existing(path);
            VersionedData initial = new VersionedData(node.contents().clone(), new Version(node.modRevision()));
            Watcher watcher = new Watcher(path, initial, listener, watchQueueCapacity, this::forget, onFinish);
            watches.add(watcher);
            return watcher;
        } finally {
            mutex.unlock();
        }
    }

    private void forget(Watcher watcher) {
        mutex.lock();
        try {
            watches.remove(watcher);
        } finally {
            mutex.unlock();
        }
    }

    // ---- leases and locks ----

    /**
     * Queues for a lock on {@code dirPath}: grants a lease and creates {@code dirPath/locks/<lease id>} on it, in
     * one change. The caller then waits with {@link #awaitTurn}.
     */
    LocalLockHandle enqueueLock(LocalTopoConn conn, String dirPath, String contents, LockOptions options)
            throws TopoException {
        long ttlMillis = options.ttl().toMillis();
        mutex.lock();
        try {
            ensureOpen(dirPath);
            if (!state.hasDescendants(dirPath)) {
                throw new TopoException(Code.NO_NODE, dirPath,
                        "cannot lock " + (dirPath.isEmpty() ? "the root" : dirPath) + ": nothing exists below it");
            }
            Batch batch = new Batch(state);
            long leaseId = batch.newLeaseId();
            String nodePath = TopoPaths.join(dirPath, TopoPaths.LOCKS_DIR, String.format("%016x", leaseId));
            long revision = batch.nodeRevision();
            batch.putLease(new LeaseRecord(leaseId, ttlMillis, clock.millis() + ttlMillis));
            batch.putNode(nodePath,
                    new NodeRecord(contents.getBytes(StandardCharsets.UTF_8), revision, revision, leaseId));
            commit(batch);
            return new LocalLockHandle(this, conn, dirPath, nodePath, contents, leaseId);
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Waits until {@code handle}'s lock file is the oldest under its directory, that is, until every lock file
     * created before it is gone.
     *
     * @param waitNanos how long to wait in all ({@link System#nanoTime()} based, unlike lease deadlines)
     * @throws TopoException {@code TIMEOUT}, {@code INTERRUPTED}, or {@code UNAVAILABLE} when the store, the
     *     connection or the queued lock file went away; the caller removes its lock file
     */
    void awaitTurn(LocalTopoConn conn, LocalLockHandle handle, long waitNanos) throws TopoException {
        long deadline = System.nanoTime() + waitNanos;
        String dir = handle.dirPath();
        mutex.lock();
        try {
            while (true) {
                ensureOpen(dir);
                conn.ensureUsable(dir);
                NodeRecord mine = state.node(handle.nodePath());
                if (mine == null || mine.leaseId() != handle.leaseId()) {
                    throw new TopoException(Code.UNAVAILABLE, dir,
                            "the queued lock request " + handle.nodePath() + " was removed while waiting");
                }
                String ahead = state.lockAhead(dir, mine.createRevision());
                if (ahead == null) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    String holder = new String(state.node(ahead).contents(), StandardCharsets.UTF_8);
                    throw new TopoException(Code.TIMEOUT, dir, "timed out after " + waitNanos / 1_000_000
                            + " ms waiting for the lock on " + dir + " (ahead in line: " + holder + ")");
                }
                nodesDeleted.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            throw TopoException.interrupted(dir);
        } finally {
            mutex.unlock();
        }
    }

    ScheduledFuture<?> scheduleRenewal(Runnable task, long periodMillis) throws TopoException {
        try {
            return scheduler.scheduleAtFixedRate(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            throw closedError("");
        }
    }

    /**
     * Pushes a lease's deadline one ttl into the future.
     *
     * @return false if the lease is gone or already expired: it cannot be brought back, the lock is lost
     */
    boolean renew(long leaseId) {
        mutex.lock();
        try {
            if (closed) {
                return false;
            }
            long now = clock.millis();
            LeaseRecord lease = state.lease(leaseId);
            if (lease == null || lease.expiredAt(now)) {
                return false;
            }
            commit(new Batch(state).putLease(lease.renewedAt(now)));
            return true;
        } catch (TopoException e) {
            // The lease keeps its old deadline; the next renewal tries again.
            LOG.warn("could not renew lease {}: {}", leaseId, e.getMessage());
            return true;
        } finally {
            mutex.unlock();
        }
    }

    /** Removes a lease and the files on it (a released lock). Does nothing if the lease is already gone. */
    void revoke(long leaseId, String path) throws TopoException {
        mutex.lock();
        try {
            ensureOpen(path);
            if (state.lease(leaseId) != null) {
                commit(new Batch(state).deleteLease(leaseId));
            }
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Confirms a lock is still held: its lease is alive (deadline not passed, even if the reaper has not run yet)
     * and its file still exists on that lease.
     */
    void checkHeld(LocalLockHandle handle) throws TopoException {
        String dir = handle.dirPath();
        mutex.lock();
        try {
            ensureOpen(dir);
            LeaseRecord lease = state.lease(handle.leaseId());
            NodeRecord node = state.node(handle.nodePath());
            if (lease == null || lease.expiredAt(clock.millis())) {
                throw new TopoException(Code.LOCK_LOST, dir, "lock on " + dir + " lost: its lease expired");
            }
            if (node == null || node.leaseId() != handle.leaseId()) {
                throw new TopoException(Code.LOCK_LOST, dir,
                        "lock on " + dir + " lost: its lock file " + handle.nodePath() + " is gone");
            }
        } finally {
            mutex.unlock();
        }
    }

    /** Wakes lock waiters so they notice that their connection went away. */
    void wakeWaiters() {
        mutex.lock();
        try {
            nodesDeleted.signalAll();
        } finally {
            mutex.unlock();
        }
    }

    // ---- expiry ----

    private void reap() {
        try {
            expireLeases();
        } catch (TopoException | RuntimeException e) {
            LOG.warn("could not expire leases: {}", e.getMessage());
        }
    }

    /** Expires every lease whose deadline has passed, deleting the files bound to it, in one change. */
    void expireLeases() throws TopoException {
        mutex.lock();
        try {
            if (closed) {
                return;
            }
            Batch batch = new Batch(state);
            state.leasesExpiredAt(clock.millis()).forEach(lease -> batch.deleteLease(lease.id()));
            if (!batch.isEmpty()) {
                commit(batch);
            }
        } finally {
            mutex.unlock();
        }
    }

    private void removeOrphans() throws TopoException {
        mutex.lock();
        try {
            Batch batch = new Batch(state);
            state.orphanedPaths().forEach(batch::deleteNode);
            if (!batch.isEmpty()) {
                LOG.warn("removing files bound to leases the store no longer has: {}", state.orphanedPaths());
                commit(batch);
            }
        } finally {
            mutex.unlock();
        }
    }

    // ---- plumbing ----

    /** Records a change, then applies it and tells watchers and lock waiters. Called with the mutex held. */
    private void commit(Batch batch) throws TopoException {
        Changes changes = batch.build();
        persistence.write(changes);
        state.apply(changes);
        watches.publish(changes);
        if (!changes.deletedNodes().isEmpty()) {
            nodesDeleted.signalAll();
        }
    }

    private NodeRecord existing(String path) throws TopoException {
        NodeRecord node = state.node(path);
        if (node == null) {
            throw TopoException.noNode(path);
        }
        return node;
    }

    private static void checkVersion(String path, NodeRecord node, Version expected) throws TopoException {
        if (node == null) {
            throw TopoException.noNode(path);
        }
        if (node.modRevision() != expected.value()) {
            throw TopoException.badVersion(path);
        }
    }

    private void ensureOpen(String path) throws TopoException {
        if (closed) {
            throw closedError(path);
        }
    }

    private static TopoException closedError(String path) {
        return new TopoException(Code.UNAVAILABLE, path, "the topology store is closed");
    }

    /**
     * Closes the store: ends every watch with {@code Failed}, stops lease renewal and expiry, and closes the
     * persistence. Locks are not released; with a durable persistence their leases keep running and expire after a
     * restart unless renewed. Idempotent.
     */
    @Override
    public void close() {
        mutex.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            watches.failAll(closedError(""));
            nodesDeleted.signalAll();
        } finally {
            mutex.unlock();
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("lease thread did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        persistence.close();
    }
}
