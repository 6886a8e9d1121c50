package io.tessera.topo.etcd;

import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;

/**
 * Keeps one etcd lease alive in the background through jetcd's keep-alive stream, and remembers when jetcd
 * reports the lease gone: etcd said it no longer exists, or no renewal was confirmed for a whole TTL (jetcd then
 * completes the stream). Transient stream errors are not a loss; jetcd reconnects and renews again.
 */
final class LeaseKeeper implements StreamObserver<LeaseKeepAliveResponse> {
    private final long leaseId;
    private volatile CloseableClient keepAlive;
    private volatile String lostReason;

    private LeaseKeeper(long leaseId) {
        this.leaseId = leaseId;
    }

    /** Starts renewing {@code leaseId}. */
    static LeaseKeeper start(Lease leaseClient, long leaseId) {
        LeaseKeeper keeper = new LeaseKeeper(leaseId);
        keeper.keepAlive = leaseClient.keepAlive(leaseId, keeper);
        return keeper;
    }

    long leaseId() {
        return leaseId;
    }

    /** Why the lease is known to be gone, or null while it is believed alive. */
    String lostReason() {
        return lostReason;
    }

    /** Stops renewing; the lease then lives until etcd expires or revokes it. Idempotent. */
    void stop() {
        CloseableClient k = keepAlive;
        if (k != null) {
            k.close();
        }
    }

    @Override
    public void onNext(LeaseKeepAliveResponse response) {
        // A renewal: nothing to do, the lease lives on.
    }

    @Override
    public void onError(Throwable error) {
        if (EtcdCalls.isLeaseNotFound(error)) {
            lostReason = "etcd no longer knows lease " + Long.toHexString(leaseId);
        }
    }

    @Override
    public void onCompleted() {
        lostReason = "lease " + Long.toHexString(leaseId) + " was not renewed within its TTL";
    }
}
