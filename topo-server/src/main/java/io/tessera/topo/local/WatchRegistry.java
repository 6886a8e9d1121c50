package io.tessera.topo.local;

import io.tessera.topo.TopoException;
import io.tessera.topo.Version;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live watches of a store by path, and the turning of committed changes into their events. Guarded by the
 * store's lock, which is what keeps every watch's events in revision order.
 */
final class WatchRegistry {
    private final Map<String, Set<Watcher>> byPath = new HashMap<>();

    void add(Watcher watcher) {
        byPath.computeIfAbsent(watcher.path(), p -> new LinkedHashSet<>()).add(watcher);
    }

    void remove(Watcher watcher) {
        Set<Watcher> set = byPath.get(watcher.path());
        if (set != null && set.remove(watcher) && set.isEmpty()) {
            byPath.remove(watcher.path());
        }
    }

    /** Queues the events of one committed change for the watches it concerns. */
    void publish(Changes changes) {
        changes.deletedNodes().forEach(path -> offer(path, new WatchEvent.Deleted()));
        changes.putNodes().forEach((path, node) -> {
            if (byPath.containsKey(path)) {
                offer(path, changed(node));
            }
        });
    }

    /** Ends every watch with {@code Failed}: the store is going away. */
    void failAll(TopoException error) {
        List<Watcher> all = new ArrayList<>();
        byPath.values().forEach(all::addAll);
        byPath.clear();
        all.forEach(w -> w.offer(new WatchEvent.Failed(error)));
    }

    private void offer(String path, WatchEvent event) {
        Set<Watcher> set = byPath.get(path);
        if (set == null) {
            return;
        }
        set.removeIf(w -> !w.offer(copyFor(event)));
        if (set.isEmpty()) {
            byPath.remove(path);
        }
    }

    /** Each watcher gets its own array, so one listener cannot change what another sees. */
    private static WatchEvent copyFor(WatchEvent event) {
        if (event instanceof WatchEvent.Changed c) {
            return new WatchEvent.Changed(new VersionedData(c.data().contents().clone(), c.data().version()));
        }
        return event;
    }

    static WatchEvent.Changed changed(NodeRecord node) {
        return new WatchEvent.Changed(new VersionedData(node.contents(), new Version(node.modRevision())));
    }
}
