package io.tessera.topo.local;

import java.util.Map;
import java.util.Set;

/**
 * One atomic change to a local topology store, handed to {@link Persistence#write} before the store applies it.
 * A path or lease id appears at most once (either written or deleted).
 *
 * @param revision the store revision once this change is applied (unchanged when no file changes)
 * @param lastLeaseId the highest lease id granted once this change is applied
 * @param putNodes files created or replaced, by path
 * @param deletedNodes paths of files removed
 * @param putLeases leases granted or renewed, by id
 * @param deletedLeases ids of leases removed (revoked or expired)
 */
public record Changes(long revision, long lastLeaseId, Map<String, NodeRecord> putNodes, Set<String> deletedNodes,
        Map<Long, LeaseRecord> putLeases, Set<Long> deletedLeases) {

    public Changes {
        putNodes = Map.copyOf(putNodes);
        deletedNodes = Set.copyOf(deletedNodes);
        putLeases = Map.copyOf(putLeases);
        deletedLeases = Set.copyOf(deletedLeases);
    }
}
