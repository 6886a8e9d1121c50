package io.tessera.topo.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent.EventType;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import io.tessera.topo.TopoPaths;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Takes locks on directories, served in arrival order.
 *
 * <p>Each locker puts its own node {@code <dir>/locks/<lease id>} on a fresh lease. etcd gives every key the
 * revision of the write that created it, so arrival order is creation-revision order: the node with the lowest
 * creation revision holds the lock. Every other locker watches only the node just ahead of it and looks again
 * when that node vanishes, so a release wakes one waiter, not all of them.
 */
final class EtcdLocker {
    private final Client client;
    private final KeySpace keys;
    private final EtcdCalls calls;
    /** Leases of lock attempts still waiting for their turn, so that closing can withdraw them. */
    private final Set<Long> waitingLeases = ConcurrentHashMap.newKeySet();

    EtcdLocker(Client client, KeySpace keys, EtcdCalls calls) {
        this.client = client;
        this.keys = keys;
        this.calls = calls;
    }

    /**
     * Locks {@code dirPath}, waiting up to {@code options.waitTimeout()} for the holders ahead.
     *
     * @param onReleased run once when the returned lock is released
     * @param onAcquired told the held lock before it is returned, so the connection can release it on close
     */
    EtcdLock lock(String dirPath, String contents, LockOptions options, Consumer<EtcdLock> onAcquired,
            Consumer<EtcdLock> onReleased) throws TopoException {
        long deadline = System.nanoTime() + options.waitTimeout().toNanos();
        requireDirectory(dirPath);
        long leaseId = calls.await(() -> client.getLeaseClient().grant(ttlSeconds(options.ttl())),
                "lock (grant lease)", dirPath).getID();
        // Renew from the start: a wait longer than the TTL must not lose the place in the queue.
        LeaseKeeper lease;
        try {
            lease = LeaseKeeper.start(client.getLeaseClient(), leaseId);
        } catch (RuntimeException e) {
            throw calls.failure(e, "lock (keep lease alive)", dirPath);
        }
        String nodePath = TopoPaths.join(dirPath, TopoPaths.LOCKS_DIR, Long.toHexString(leaseId));
        ByteSequence key = keys.file(nodePath);
        waitingLeases.add(leaseId);
        long createRevision = 0;
        try {
            createRevision = createNode(dirPath, key, contents, leaseId);
            waitForTurn(dirPath, key, createRevision, deadline, options.waitTimeout());
            EtcdLock[] self = new EtcdLock[1];
            self[0] = new EtcdLock(dirPath, contents, nodePath, key, createRevision, lease, client, calls,
                    () -> onReleased.accept(self[0]));
            // Handed over before leaving the waiting set, so a concurrent close sees the lock in one place or
            // the other.
            onAcquired.accept(self[0]);
            waitingLeases.remove(leaseId);
            return self[0];
        } catch (TopoException | RuntimeException e) {
            waitingLeases.remove(leaseId);
            abandon(lease, key, createRevision, dirPath);
            throw e;
        }
    }

    /**
     * Withdraws every lock attempt still waiting, by revoking its lease: etcd deletes its node at once, so the
     * lockers queued behind it do not wait for the lease to run out. The waiting calls then fail.
     */
    void withdrawWaiting() {
        for (long leaseId : List.copyOf(waitingLeases)) {
            try {
                calls.await(() -> client.getLeaseClient().revoke(leaseId), "withdraw lock attempt", "");
            } catch (TopoException e) {
                // Unreachable etcd: the lease runs out by itself.
            }
        }
    }

    private void requireDirectory(String dirPath) throws TopoException {
        GetResponse below = calls.await(() -> client.getKVClient().get(KeySpace.bytes(keys.dirPrefix(dirPath)),
                GetOption.builder().isPrefix(true).withCountOnly(true).build()), "lock", dirPath);
        if (below.getCount() == 0) {
            throw new TopoException(Code.NO_NODE, dirPath,
                    "cannot lock '" + dirPath + "': the directory does not exist (nothing lives below it)");
        }
    }

    private long createNode(String dirPath, ByteSequence key, String contents, long leaseId)
            throws TopoException {
        TxnResponse created = calls.await(() -> client.getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, KeySpace.bytes(contents), PutOption.builder().withLeaseId(leaseId).build()))
                .commit(), "lock (create node)", dirPath);
        if (!created.isSucceeded()) {
            // Lease ids are unique, so only a stray key written by hand can be in the way.
            throw new TopoException(Code.UNAVAILABLE, dirPath,
                    "cannot lock '" + dirPath + "': lock node " + KeySpace.string(key) + " already exists");
        }
        return created.getHeader().getRevision();
    }

    /** Returns once no node created before ours remains; fails if ours vanished or the wait runs out. */
    private void waitForTurn(String dirPath, ByteSequence key, long createRevision, long deadline,
            Duration waitTimeout) throws TopoException {
        ByteSequence locksPrefix = KeySpace.bytes(keys.locksPrefix(dirPath));
        GetOption lastBefore = GetOption.builder()
                .isPrefix(true)
                .withMaxCreateRevision(createRevision - 1)
                .withSortField(GetOption.SortTarget.CREATE)
                .withSortOrder(GetOption.SortOrder.DESCEND)
                .withLimit(1)
                .build();
        while (true) {
            // One transaction answers both "is my node still there?" and "who is just ahead of me?" at one
            // revision, so the watch below can start right after it and miss nothing.
            TxnResponse look = calls.await(() -> client.getKVClient().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(createRevision)))
                    .Then(Op.get(locksPrefix, lastBefore))
                    .commit(), "lock", dirPath);
            if (!look.isSucceeded()) {
                // Its lease ended under it: expired, or revoked because the connection is closing.
                throw calls.failure(new IllegalStateException("the waiting lock node " + KeySpace.string(key)
                        + " vanished with its lease"), "lock", dirPath);
            }
            GetResponse ahead = look.getGetResponses().getFirst();
            if (ahead.getKvs().isEmpty()) {
                return;
            }
            KeyValue holder = ahead.getKvs().getFirst();
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timeout(dirPath, waitTimeout, holder);
            }
            waitUntilDeleted(dirPath, holder, look.getHeader().getRevision() + 1, remaining, waitTimeout);
        }
    }

    private void waitUntilDeleted(String dirPath, KeyValue holder, long fromRevision, long remainingNanos,
            Duration waitTimeout) throws TopoException {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        Watch.Watcher watcher;
        try {
            watcher = client.getWatchClient().watch(holder.getKey(),
                    WatchOption.builder().withRevision(fromRevision).withNoPut(true).build(),
                    Watch.listener(response -> {
                        if (response.getEvents().stream().anyMatch(e -> e.getEventType() == EventType.DELETE)) {
                            gone.complete(null);
                        }
                    }, gone::completeExceptionally, () -> gone.completeExceptionally(
                            new IllegalStateException("the watch on the lock node ahead ended"))));
        } catch (RuntimeException e) {
            throw calls.failure(e, "lock", dirPath);
        }
        try {
            calls.await(() -> gone, "lock", dirPath, Duration.ofNanos(remainingNanos));
        } catch (TopoException e) {
            throw e.is(Code.TIMEOUT) ? timeout(dirPath, waitTimeout, holder) : e;
        } finally {
            watcher.close();
        }
    }

    /** Gives up a place in the queue: nobody may wait behind a node whose owner left. */
    private void abandon(LeaseKeeper lease, ByteSequence key, long createRevision, String dirPath) {
        lease.stop();
        // Keep the caller's interrupt for later: the clean-up calls below must not be cut short by it.
        boolean interrupted = Thread.interrupted();
        try {
            if (createRevision > 0) {
                calls.await(() -> client.getKVClient().txn()
                        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(createRevision)))
                        .Then(Op.delete(key, DeleteOption.DEFAULT))
                        .commit(), "lock (give up)", dirPath);
            }
        } catch (TopoException e) {
            // Revoking the lease below deletes the node as well.
        }
        try {
            calls.await(() -> client.getLeaseClient().revoke(lease.leaseId()), "lock (give up)", dirPath);
        } catch (TopoException e) {
            // The lease runs out by itself; etcd then deletes the node.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private TopoException timeout(String dirPath, Duration waitTimeout, KeyValue holder) {
        return new TopoException(Code.TIMEOUT, dirPath, "lock on '" + dirPath + "' still held after " + waitTimeout
                + " by " + KeySpace.string(holder.getKey()) + " (" + KeySpace.string(holder.getValue()) + ")");
    }

    /** etcd leases count whole seconds; round up so a lock never lives shorter than asked. */
    private static long ttlSeconds(Duration ttl) {
        return Math.max(1, (ttl.toMillis() + 999) / 1000);
    }
}
