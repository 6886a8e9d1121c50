package io.tessera.topo.server;

import io.tessera.topo.LockHandle;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConn;
import io.tessera.topo.TopoException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locks a {@code tessera-topo} holds in its backend on behalf of its remote clients, by lock id.
 *
 * <p>The backend lease of each lock is renewed by this server's own backend connection for as long as the server
 * lives, so the server alone could never notice that a client died. Each client therefore keeps its lock alive
 * with {@link #keepAlive}; a lock not kept alive within its ttl is released by a reaper. If the server itself
 * dies, nobody renews the backend lease and the backend releases the lock once the ttl passes.
 */
public final class HeldLocks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeldLocks.class);

    private final TopoConn backend;
    private final ScheduledExecutorService reaper;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One lock: its backend handle and when the client must next be heard from. */
    private static final class Held {
        final String id;
        final LockHandle handle;
        final long ttlNanos;
        volatile long deadlineNanos;

        Held(String id, LockHandle handle, long ttlNanos, long deadlineNanos) {
            this.id = id;
            this.handle = handle;
            this.ttlNanos = ttlNanos;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** @param backend where the locks are taken */
    public HeldLocks(TopoConn backend) {
        this.backend = backend;
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "topo-lock-reaper");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Takes a lock in the backend, waiting as {@link TopoConn#lock} does, and registers it.
     *
     * @return the id the client uses to keep the lock alive and to release it
     * @throws TopoException as {@link TopoConn#lock} does
     */
    public String acquire(String dirPath, String contents, LockOptions options) throws TopoException {
        LockHandle handle = backend.lock(dirPath, contents, options);
        String id = UUID.randomUUID().toString();
        long ttl = options.ttl().toNanos();
        Held h = new Held(id, handle, ttl, System.nanoTime() + ttl);
        held.put(id, h);
        if (closed) {
            // close() may have run while this lock was being taken and could not see it.
            held.remove(id);
            unlockQuietly(h);
            throw new TopoException(TopoException.Code.UNAVAILABLE, dirPath, "the topo server is shutting down");
        }
        scheduleReap(h, ttl);
        log.debug("lock {} on {} acquired for a client (ttl {} ms)", id, dirPath, options.ttl().toMillis());
        return id;
    }

    /**
     * Extends a lock by its ttl from now, after confirming the backend still holds it.
     *
     * @throws TopoException {@code NO_NODE} if no lock has this id (released, or reaped for lack of keep-alives);
     *     {@code LOCK_LOST} if the backend lost it (then it is forgotten here too); {@code UNAVAILABLE} if the
     *     backend cannot be asked
     */
    public void keepAlive(String lockId) throws TopoException {
        Held h = held.get(lockId);
        if (h == null) {
            throw new TopoException(TopoException.Code.NO_NODE, "",
                    "lock " + lockId + " is not held: it was released, or expired without a keep-alive");
        }
        try {
            h.handle.check();
        } catch (TopoException e) {
            if (e.is(TopoException.Code.LOCK_LOST)) {
                held.remove(lockId, h);
            }
            throw e;
        }
        h.deadlineNanos = System.nanoTime() + h.ttlNanos;
    }

    /**
     * Releases a lock. Idempotent: an unknown id (already released or reaped) is not an error.
     *
     * @throws TopoException {@code UNAVAILABLE} if the backend could not be told (its lease then expires)
     */
    public void release(String lockId) throws TopoException {
        Held h = held.remove(lockId);
        if (h != null) {
            h.handle.unlock();
            log.debug("lock {} on {} released", lockId, h.handle.dirPath());
        }
    }

    /** How many locks are held for clients. */
    public int size() {
        return held.size();
    }

    /** Releases every lock and stops the reaper. */
    @Override
    public void close() {
        closed = true;
        reaper.shutdownNow();
        for (Held h : List.copyOf(held.values())) {
            if (held.remove(h.id, h)) {
                unlockQuietly(h);
            }
        }
    }

    private void scheduleReap(Held h, long delayNanos) {
        try {
            reaper.schedule(() -> reapIfExpired(h), delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing: close() releases every lock itself.
        }
    }

    private void reapIfExpired(Held h) {
        if (held.get(h.id) != h) {
            return;
        }
        long left = h.deadlineNanos - System.nanoTime();
        if (left > 0) {
            scheduleReap(h, left);
            return;
        }
        if (held.remove(h.id, h)) {
            log.info("releasing lock on {}: its holder sent no keep-alive within {} ms", h.handle.dirPath(),
                    TimeUnit.NANOSECONDS.toMillis(h.ttlNanos));
            unlockQuietly(h);
        }
    }

    private static void unlockQuietly(Held h) {
        try {
            h.handle.unlock();
        } catch (TopoException e) {
            log.warn("could not release lock on {} ({}); its backend lease expires by itself", h.handle.dirPath(),
                    e.getMessage());
        }
    }
}
