package io.tessera.topo.local;

import java.util.Map;

/**
 * Everything a local topology store holds, as a {@link Persistence} hands it back when the store opens.
 *
 * @param revision the store-wide revision of the last committed change to a file (0 for a new store)
 * @param lastLeaseId the highest lease id ever granted (0 for none), so new leases never reuse an id
 * @param nodes every file by path
 * @param leases every live lease by id
 */
public record StoreSnapshot(long revision, long lastLeaseId, Map<String, NodeRecord> nodes,
        Map<Long, LeaseRecord> leases) {

    public StoreSnapshot {
        if (revision < 0 || lastLeaseId < 0) {
            throw new IllegalArgumentException("counters are never negative");
        }
        nodes = Map.copyOf(nodes);
        leases = Map.copyOf(leases);
    }

    /** The state of a store that has never been written. */
    public static StoreSnapshot empty() {
        return new StoreSnapshot(0, 0, Map.of(), Map.of());
    }
}
