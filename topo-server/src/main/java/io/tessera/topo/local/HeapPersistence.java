package io.tessera.topo.local;

import java.util.HashMap;
import java.util.Map;

/** The {@link Persistence#inMemory()} implementation: plain maps, guarded by this object's monitor. */
final class HeapPersistence implements Persistence {
    private final Map<String, NodeRecord> nodes = new HashMap<>();
    private final Map<Long, LeaseRecord> leases = new HashMap<>();
    private long revision;
    private long lastLeaseId;

    @Override
    public synchronized StoreSnapshot load() {
        return new StoreSnapshot(revision, lastLeaseId, nodes, leases);
    }

    @Override
    public synchronized void write(Changes changes) {
        changes.deletedNodes().forEach(nodes::remove);
        nodes.putAll(changes.putNodes());
        changes.deletedLeases().forEach(leases::remove);
        leases.putAll(changes.putLeases());
        revision = changes.revision();
        lastLeaseId = changes.lastLeaseId();
    }

    @Override
    public void close() {
        // Nothing is held open, and the state stays so a later store can load it again.
    }
}
