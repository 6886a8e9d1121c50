package io.tessera.topo.local;

import io.tessera.topo.LockHandle;
import io.tessera.topo.TopoException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A lock of a {@link LocalTopoConn}: a lock file on its own lease, renewed every third of the ttl. */
final class LocalLockHandle implements LockHandle {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLockHandle.class);

    private final LocalStore store;
    private final LocalTopoConn conn;
    private final String dirPath;
    private final String nodePath;
    private final String contents;
    private final long leaseId;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile ScheduledFuture<?> renewal;
    private volatile boolean abandoned;

    LocalLockHandle(LocalStore store, LocalTopoConn conn, String dirPath, String nodePath, String contents,
            long leaseId) {
        this.store = store;
        this.conn = conn;
        this.dirPath = dirPath;
        this.nodePath = nodePath;
        this.contents = contents;
        this.leaseId = leaseId;
    }

    @Override
    public String dirPath() {
        return dirPath;
    }

    @Override
    public String contents() {
        return contents;
    }

    String nodePath() {
        return nodePath;
    }

    long leaseId() {
        return leaseId;
    }

    /** Starts renewing the lease every {@code ttlMillis / 3}, which leaves two renewals of slack before it expires. */
    void startRenewing(long ttlMillis) throws TopoException {
        renewal = store.scheduleRenewal(this::renewOnce, Math.max(1, ttlMillis / 3));
    }

    private void renewOnce() {
        try {
            if (!store.renew(leaseId)) {
                stopRenewing();
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again; keep renewing instead.
            LOG.warn("renewing the lock on {} failed", dirPath, e);
        }
    }

    private void stopRenewing() {
        ScheduledFuture<?> r = renewal;
        if (r != null) {
            r.cancel(false);
        }
    }

    /** Stops renewing and forgets the lock without releasing it, as a crashed holder would. */
    void abandon() {
        abandoned = true;
        stopRenewing();
    }

    @Override
    public void check() throws TopoException {
        store.checkHeld(this);
    }

    /** Releases the lock. A lock of an abandoned connection is left for its lease to expire. */
    @Override
    public void unlock() throws TopoException {
        if (abandoned || !released.compareAndSet(false, true)) {
            return;
        }
        stopRenewing();
        conn.forget(this);
        store.revoke(leaseId, dirPath);
    }

    @Override
    public void close() throws TopoException {
        unlock();
    }

    @Override
    public String toString() {
        return "lock on " + dirPath + " (" + nodePath + ")";
    }
}
