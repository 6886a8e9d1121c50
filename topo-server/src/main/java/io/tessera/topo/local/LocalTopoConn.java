package io.tessera.topo.local;

import io.tessera.topo.DirEntry;
import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import io.tessera.topo.TopoPaths;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.Version;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a {@link LocalStore}: the {@link TopoConn} operations, plus the locks and watches this
 * connection owns, which {@link #close()} releases and cancels. Connections of one store share its data but
 * nothing else, as separate processes sharing one topology server would.
 */
public final class LocalTopoConn implements TopoConn {
    private static final Logger LOG = LoggerFactory.getLogger(LocalTopoConn.class);

    private enum State { OPEN, CLOSED, ABANDONED }

    private final LocalStore store;
    // Guarded by this. The monitor is a leaf lock: nothing is called while it is held.
    private final Set<LocalLockHandle> locks = new HashSet<>();
    private final Set<Watcher> watches = new HashSet<>();
    private volatile State state = State.OPEN;

    LocalTopoConn(LocalStore store) {
        this.store = store;
    }

    @Override
    public Version create(String path, byte[] contents) throws TopoException {
        TopoPaths.checkFile(path);
        ensureUsable(path);
        return store.create(path, copy(path, contents));
    }

    @Override
    public VersionedData get(String path) throws TopoException {
        TopoPaths.checkFile(path);
        ensureUsable(path);
        return store.get(path);
    }

    @Override
    public Version update(String path, byte[] contents, Version expected) throws TopoException {
        TopoPaths.checkFile(path);
        ensureUsable(path);
        return store.update(path, copy(path, contents), expected);
    }

    @Override
    public void delete(String path, Version expected) throws TopoException {
        TopoPaths.checkFile(path);
        ensureUsable(path);
        store.delete(path, expected);
    }

    @Override
    public List<DirEntry> listDir(String dirPath) throws TopoException {
        TopoPaths.checkDir(dirPath);
        ensureUsable(dirPath);
        return store.listDir(dirPath);
    }

    @Override
    public TopoWatch watch(String path, Consumer<WatchEvent> listener) throws TopoException {
        TopoPaths.checkFile(path);
        if (listener == null) {
            throw new TopoException(Code.INVALID_ARGUMENT, path, "a watch needs a listener");
        }
        ensureUsable(path);
        Watcher watcher = store.watch(path, listener, this::forget);
        boolean tracked;
        synchronized (this) {
            tracked = state == State.OPEN && watches.add(watcher);
        }
        if (tracked) {
            // Started only once tracked, so a watch that ends at once is never left behind in this connection.
            watcher.start();
            return watcher;
        }
        watcher.cancel();
        throw goneError(path);
    }

    @Override
    public LockHandle lock(String dirPath, String contents, LockOptions options) throws TopoException {
        TopoPaths.checkDir(dirPath);
        if (contents == null || options == null) {
            throw new TopoException(Code.INVALID_ARGUMENT, dirPath, "a lock needs contents and options");
        }
        ensureUsable(dirPath);
        LocalLockHandle handle = store.enqueueLock(this, dirPath, contents, options);
        try {
            track(handle);
            handle.startRenewing(options.ttl().toMillis());
            store.awaitTurn(this, handle, options.waitTimeout().toNanos());
            return handle;
        } catch (TopoException | RuntimeException e) {
            withdraw(handle);
            throw e;
        }
    }

    /**
     * Takes a lock request that failed out of the queue, unless this connection was abandoned: the request then
     * stays, as a crashed process's would, until its lease expires.
     */
    private void withdraw(LocalLockHandle handle) {
        if (state == State.ABANDONED) {
            return;
        }
        try {
            handle.unlock();
        } catch (TopoException e) {
            LOG.warn("could not withdraw the lock request {}: {}", handle, e.getMessage());
        }
    }

    private void track(LocalLockHandle handle) throws TopoException {
        synchronized (this) {
            if (state == State.OPEN) {
                locks.add(handle);
                return;
            }
        }
        throw goneError(handle.dirPath());
    }

    synchronized void forget(LocalLockHandle handle) {
        locks.remove(handle);
    }

    private synchronized void forget(Watcher watcher) {
        watches.remove(watcher);
    }

    void ensureUsable(String path) throws TopoException {
        if (state != State.OPEN) {
            throw goneError(path);
        }
    }

    private TopoException goneError(String path) {
        return new TopoException(Code.UNAVAILABLE, path, state == State.ABANDONED
                ? "this topology connection was abandoned"
                : "this topology connection is closed");
    }

    private static byte[] copy(String path, byte[] contents) throws TopoException {
        if (contents == null) {
            throw new TopoException(Code.INVALID_ARGUMENT, path, "contents must not be null");
        }
        return contents.clone();
    }

    /**
     * Stops renewing this connection's leases and delivering its watches without releasing anything, as a crashed
     * process would: its locks stay held until their leases expire. Every later call on this connection fails
     * with {@code UNAVAILABLE}, and {@link #close()} then does nothing. Meant for tests that need a dead holder.
     */
    public void abandon() {
        List<LocalLockHandle> held;
        List<Watcher> watching;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.ABANDONED;
            held = new ArrayList<>(locks);
            watching = new ArrayList<>(watches);
            locks.clear();
            watches.clear();
        }
        held.forEach(LocalLockHandle::abandon);
        watching.forEach(Watcher::cancel);
        store.wakeWaiters();
    }

    /** Cancels this connection's watches and releases its locks (including lock requests still waiting). */
    @Override
    public void close() {
        List<LocalLockHandle> held;
        List<Watcher> watching;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSED;
            held = new ArrayList<>(locks);
            watching = new ArrayList<>(watches);
            locks.clear();
            watches.clear();
        }
        watching.forEach(Watcher::cancel);
        for (LocalLockHandle handle : held) {
            try {
                handle.unlock();
            } catch (TopoException e) {
                // The store is gone; its lease will expire instead.
                LOG.debug("could not release {} on close: {}", handle, e.getMessage());
            }
        }
        store.wakeWaiters();
    }
}
