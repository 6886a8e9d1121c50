package io.tessera.topo.local;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Collects one atomic change against the current {@link StoreState} and turns it into {@link Changes}. Every file
 * written in a batch gets the same new revision, as in an etcd transaction.
 */
final class Batch {
    private final StoreState state;
    private final Map<String, NodeRecord> putNodes = new HashMap<>();
    private final Set<String> deletedNodes = new HashSet<>();
    private final Map<Long, LeaseRecord> putLeases = new HashMap<>();
    private final Set<Long> deletedLeases = new HashSet<>();
    private long lastLeaseId;

    Batch(StoreState state) {
        this.state = state;
        this.lastLeaseId = state.lastLeaseId();
    }

    /** The revision files written by this batch carry. */
    long nodeRevision() {
        return state.revision() + 1;
    }

    /** Reserves a lease id that was never used before. */
    long newLeaseId() {
        return ++lastLeaseId;
    }

    Batch putNode(String path, NodeRecord node) {
        deletedNodes.remove(path);
        putNodes.put(path, node);
        return this;
    }

    Batch deleteNode(String path) {
        putNodes.remove(path);
        deletedNodes.add(path);
        return this;
    }

    Batch putLease(LeaseRecord lease) {
        deletedLeases.remove(lease.id());
        putLeases.put(lease.id(), lease);
        return this;
    }

    /** Removes a lease together with every file bound to it. */
    Batch deleteLease(long leaseId) {
        putLeases.remove(leaseId);
        deletedLeases.add(leaseId);
        state.pathsOn(leaseId).forEach(this::deleteNode);
        return this;
    }

    boolean isEmpty() {
        return putNodes.isEmpty() && deletedNodes.isEmpty() && putLeases.isEmpty() && deletedLeases.isEmpty()
                && lastLeaseId == state.lastLeaseId();
    }

    Changes build() {
        boolean touchesNodes = !putNodes.isEmpty() || !deletedNodes.isEmpty();
        long revision = touchesNodes ? nodeRevision() : state.revision();
        return new Changes(revision, lastLeaseId, putNodes, deletedNodes, putLeases, deletedLeases);
    }
}
