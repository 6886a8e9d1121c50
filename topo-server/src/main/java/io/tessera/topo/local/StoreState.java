package io.tessera.topo.local;

import io.tessera.topo.DirEntry;
import io.tessera.topo.TopoPaths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The working copy of a local store's tables: files by path, leases by id, and the counters. Not thread-safe:
 * the owning {@link LocalStore} guards it with its lock.
 */
final class StoreState {
    private final TreeMap<String, NodeRecord> nodes = new TreeMap<>();
    private final Map<Long, LeaseRecord> leases = new HashMap<>();
    /** Which files live on each lease, so expiring a lease does not scan every file. */
    private final Map<Long, Set<String>> pathsByLease = new HashMap<>();
    private long revision;
    private long lastLeaseId;

    StoreState(StoreSnapshot snapshot) {
        revision = snapshot.revision();
        lastLeaseId = snapshot.lastLeaseId();
        leases.putAll(snapshot.leases());
        snapshot.nodes().forEach(this::putNode);
    }

    long revision() {
        return revision;
    }

    long lastLeaseId() {
        return lastLeaseId;
    }

    NodeRecord node(String path) {
        return nodes.get(path);
    }

    LeaseRecord lease(long id) {
        return leases.get(id);
    }

    /** Paths of the files bound to a lease. */
    Set<String> pathsOn(long leaseId) {
        return Set.copyOf(pathsByLease.getOrDefault(leaseId, Set.of()));
    }

    /** Whether any file lives below {@code dir} ({@code ""} is the root): that is what makes a directory exist. */
    boolean hasDescendants(String dir) {
        if (dir.isEmpty()) {
            return !nodes.isEmpty();
        }
        String prefix = dir + "/";
        String next = nodes.ceilingKey(prefix);
        return next != null && next.startsWith(prefix);
    }

    /**
     * The entries directly under {@code dir}, sorted by name; empty when nothing lives below it. A name that is
     * both a file and a prefix of other files is listed once, as a directory.
     */
    List<DirEntry> children(String dir) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        // Keys are sorted as whole paths, so "a.b" sorts between "a" and "a/x": collect first, then sort by name.
        TreeMap<String, Boolean> byName = new TreeMap<>();
        for (String path : nodes.tailMap(prefix, true).keySet()) {
            if (!path.startsWith(prefix)) {
                break;
            }
            String rest = path.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                byName.merge(rest, false, Boolean::logicalOr);
            } else {
                byName.put(rest.substring(0, slash), true);
            }
        }
        List<DirEntry> out = new ArrayList<>(byName.size());
        byName.forEach((name, isDir) -> out.add(new DirEntry(name, isDir)));
        return out;
    }

    /**
     * The lock file under {@code lockedDir} that was created last before {@code createRevision}: the one a waiter
     * with that creation revision waits for. Null when none is older, that is, when the waiter holds the lock.
     */
    String lockAhead(String lockedDir, long createRevision) {
        String prefix = TopoPaths.join(lockedDir, TopoPaths.LOCKS_DIR) + "/";
        String ahead = null;
        long aheadRevision = 0;
        for (Map.Entry<String, NodeRecord> e : nodes.tailMap(prefix, true).entrySet()) {
            String path = e.getKey();
            if (!path.startsWith(prefix)) {
                break;
            }
            long created = e.getValue().createRevision();
            boolean directChild = path.indexOf('/', prefix.length()) < 0;
            if (directChild && created < createRevision && created > aheadRevision) {
                ahead = path;
                aheadRevision = created;
            }
        }
        return ahead;
    }

    /** Leases whose deadline has passed at {@code nowMillis}. */
    List<LeaseRecord> leasesExpiredAt(long nowMillis) {
        List<LeaseRecord> out = new ArrayList<>();
        for (LeaseRecord lease : leases.values()) {
            if (lease.expiredAt(nowMillis)) {
                out.add(lease);
            }
        }
        return out;
    }

    /** Files bound to a lease the store no longer has (left behind by a damaged store); they must go. */
    Set<String> orphanedPaths() {
        Set<String> out = new HashSet<>();
        pathsByLease.forEach((leaseId, paths) -> {
            if (!leases.containsKey(leaseId)) {
                out.addAll(paths);
            }
        });
        return out;
    }

    void apply(Changes changes) {
        for (String path : changes.deletedNodes()) {
            removeNode(path);
        }
        changes.putNodes().forEach(this::putNode);
        changes.deletedLeases().forEach(leases::remove);
        leases.putAll(changes.putLeases());
        revision = changes.revision();
        lastLeaseId = changes.lastLeaseId();
    }

    private void putNode(String path, NodeRecord node) {
        removeNode(path);
        nodes.put(path, node);
        if (node.leaseId() != 0) {
            pathsByLease.computeIfAbsent(node.leaseId(), id -> new HashSet<>()).add(path);
        }
    }

    private void removeNode(String path) {
        NodeRecord old = nodes.remove(path);
        if (old != null && old.leaseId() != 0) {
            Set<String> paths = pathsByLease.get(old.leaseId());
            paths.remove(path);
            if (paths.isEmpty()) {
                pathsByLease.remove(old.leaseId());
            }
        }
    }
}
