package io.tessera.gate.discovery;

import io.tessera.proto.topodata.KeyRange;
import io.tessera.proto.topodata.ShardReference;
import io.tessera.proto.topodata.SrvKeyspace;
import io.tessera.proto.topodata.TabletType;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.KeyRanges;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving graph of the watched cells as last read: which keyspaces have a SrvKeyspace, and which shards serve
 * each tablet type. Read periodically, so that answering {@link #keyspaces()} and {@link #shards} never touches the
 * topology. A fresh topology, where these records do not exist yet, simply has none.
 */
final class ServingKeyspaces {
    private static final Logger log = LoggerFactory.getLogger(ServingKeyspaces.class);

    /** Shards in key range order ({@code -80} before {@code 80-}); names that are not ranges after, by name. */
    static final Comparator<String> SHARD_ORDER = ServingKeyspaces::compareShards;

    /** One keyspace's partitions: the shards serving each tablet type. */
    private record Partitions(Map<TabletType, Set<String>> byType) {}

    private final TopoServer topo;
    private final List<String> cells;
    private volatile Map<String, Partitions> keyspaces = Map.of();

    ServingKeyspaces(TopoServer topo, List<String> cells) {
        this.topo = topo;
        this.cells = List.copyOf(cells);
    }

    /** Re-reads the serving graph; on a failure the previous picture stays. */
    void refresh() {
        Map<String, Map<TabletType, Set<String>>> next = new HashMap<>();
        try {
            for (String cell : cells) {
                for (String keyspace : namesOrNone(cell)) {
                    Map<TabletType, Set<String>> byType = next.computeIfAbsent(keyspace, k -> new HashMap<>());
                    SrvKeyspace srv = srvKeyspaceOrNull(cell, keyspace);
                    if (srv == null) {
                        continue;
                    }
                    for (SrvKeyspace.KeyspacePartition p : srv.getPartitionsList()) {
                        Set<String> shards = byType.computeIfAbsent(p.getServedType(), t -> new TreeSet<>(SHARD_ORDER));
                        for (ShardReference ref : p.getShardReferencesList()) {
                            shards.add(ref.getName());
                        }
                    }
                }
            }
        } catch (TopoException e) {
            log.warn("cannot read the serving graph: {}", e.getMessage());
            return;
        }
        Map<String, Partitions> snapshot = new HashMap<>();
        next.forEach((ks, byType) -> snapshot.put(ks, new Partitions(Map.copyOf(byType))));
        keyspaces = Map.copyOf(snapshot);
    }

    /** The keyspaces with a SrvKeyspace in a watched cell. */
    Set<String> keyspaces() {
        return keyspaces.keySet();
    }

    /** Every shard of {@code keyspace} that serves some tablet type, in shard order. */
    Set<String> shards(String keyspace) {
        Partitions p = keyspaces.get(keyspace);
        TreeSet<String> out = new TreeSet<>(SHARD_ORDER);
        if (p != null) {
            p.byType().values().forEach(out::addAll);
        }
        return out;
    }

    /** The shards of {@code keyspace} that serve {@code type}. */
    Set<String> shards(String keyspace, TabletType type) {
        Partitions p = keyspaces.get(keyspace);
        return p == null ? Set.of() : p.byType().getOrDefault(type, Set.of());
    }

    private Collection<String> namesOrNone(String cell) throws TopoException {
        try {
            return topo.getSrvKeyspaceNames(cell);
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                return List.of();
            }
            throw e;
        }
    }

    private SrvKeyspace srvKeyspaceOrNull(String cell, String keyspace) throws TopoException {
        try {
            return topo.getSrvKeyspace(cell, keyspace).value();
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                return null; // deleted between the listing and the read
            }
            throw e;
        }
    }

    private static int compareShards(String a, String b) {
        KeyRange ra = rangeOrNull(a);
        KeyRange rb = rangeOrNull(b);
        if (ra == null || rb == null) {
            return ra != null ? -1 : rb != null ? 1 : a.compareTo(b);
        }
        int c = KeyRanges.compare(ra.getStart().toByteArray(), rb.getStart().toByteArray());
        if (c != 0) {
            return c;
        }
        // An empty end is plus infinity.
        byte[] ea = ra.getEnd().toByteArray();
        byte[] eb = rb.getEnd().toByteArray();
        if (ea.length == 0 || eb.length == 0) {
            c = Boolean.compare(ea.length == 0, eb.length == 0);
        } else {
            c = KeyRanges.compare(ea, eb);
        }
        return c != 0 ? c : a.compareTo(b);
    }

    private static KeyRange rangeOrNull(String shard) {
        try {
            return KeyRanges.parseShardName(shard);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
