package io.tessera.topo.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.LeaseOption;
import io.tessera.topo.LockHandle;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoException.Code;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A held lock: the node {@code <dir>/locks/<lease id>} attached to a lease this process renews. Releasing it
 * deletes the node and revokes the lease; losing the lease makes etcd delete the node, which is what lets the next
 * waiter in.
 */
final class EtcdLock implements LockHandle {
    private final String dirPath;
    private final String contents;
    private final String nodePath;
    private final ByteSequence key;
    private final long createRevision;
    private final LeaseKeeper lease;
    private final Client client;
    private final EtcdCalls calls;
    private final Runnable onReleased;
    private final AtomicBoolean released = new AtomicBoolean();

    EtcdLock(String dirPath, String contents, String nodePath, ByteSequence key, long createRevision,
            LeaseKeeper lease, Client client, EtcdCalls calls, Runnable onReleased) {
        this.dirPath = dirPath;
        this.contents = contents;
        this.nodePath = nodePath;
        this.key = key;
        this.createRevision = createRevision;
        this.lease = lease;
        this.client = client;
        this.calls = calls;
        this.onReleased = onReleased;
    }

    @Override
    public String dirPath() {
        return dirPath;
    }

    @Override
    public String contents() {
        return contents;
    }

    /** The lock node's path, relative to the connection's root. */
    String nodePath() {
        return nodePath;
    }

    @Override
    public void check() throws TopoException {
        if (released.get()) {
            throw lost("it was released");
        }
        String reason = lease.lostReason();
        if (reason != null) {
            throw lost(reason);
        }
        GetResponse node = calls.await(() -> client.getKVClient().get(key), "check lock", dirPath);
        boolean ours = node.getKvs().stream().anyMatch(this::isOurNode);
        if (!ours) {
            throw lost("its node " + nodePath + " is gone");
        }
        LeaseTimeToLiveResponse ttl = calls.await(
                () -> client.getLeaseClient().timeToLive(lease.leaseId(), LeaseOption.DEFAULT), "check lock", dirPath);
        if (ttl.getTTL() <= 0) {
            throw lost("its lease " + Long.toHexString(lease.leaseId()) + " expired");
        }
    }

    @Override
    public void unlock() throws TopoException {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        // Stop renewing first: should etcd be unreachable now, the lease still runs out on its own.
        lease.stop();
        TopoException failure = null;
        try {
            // Deleting the node lets the next waiter in at once; revoking the lease frees etcd's resources.
            calls.await(() -> client.getKVClient().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(createRevision)))
                    .Then(Op.delete(key, DeleteOption.DEFAULT))
                    .commit(), "unlock", dirPath);
        } catch (TopoException e) {
            failure = e;
        }
        try {
            revokeLease();
        } catch (TopoException e) {
            failure = failure == null ? e : failure;
        } finally {
            onReleased.run();
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() throws TopoException {
        unlock();
    }

    private void revokeLease() throws TopoException {
        try {
            calls.await(() -> client.getLeaseClient().revoke(lease.leaseId()), "unlock", dirPath);
        } catch (TopoException e) {
            // A lease that already expired is as good as revoked.
            if (!(e.getCause() != null && EtcdCalls.isLeaseNotFound(e.getCause()))) {
                throw e;
            }
        }
    }

    private boolean isOurNode(KeyValue kv) {
        return kv.getCreateRevision() == createRevision && kv.getLease() == lease.leaseId();
    }

    private TopoException lost(String why) {
        return new TopoException(Code.LOCK_LOST, dirPath,
                "lock on '" + dirPath + "' is no longer held: " + why);
    }

    @Override
    public String toString() {
        return "EtcdLock[" + nodePath + " at revision " + createRevision + "]";
    }
}
