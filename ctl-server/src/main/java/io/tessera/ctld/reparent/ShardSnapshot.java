package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.tabletmanager.DurabilityPolicy;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import io.tessera.topo.topoproto.TabletTypes;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A shard as a reparent sees it once it holds the lock: the Shard record, its keyspace's durability policy and
 * every tablet of the shard (sorted by alias, so choices between equals are stable).
 */
record ShardSnapshot(String keyspace, String shard, Shard record, DurabilityPolicy policy,
        Map<String, Tablet> tablets) {

    static ShardSnapshot read(TopoServer topo, String keyspace, String shard) {
        Keyspace ks;
        Shard record;
        List<Tablet> list;
        try {
            ks = topo.getKeyspace(keyspace).value();
        } catch (TopoException e) {
            throw Failures.topo("reading keyspace " + keyspace, e);
        }
        try {
            record = topo.getShard(keyspace, shard).value();
            list = topo.getTabletsByShard(keyspace, shard);
        } catch (TopoException e) {
            throw Failures.topo("reading shard " + keyspace + "/" + shard, e);
        }
        DurabilityPolicy policy;
        try {
            policy = DurabilityPolicy.of(ks);
        } catch (IllegalArgumentException e) {
            throw CtldException.failedPrecondition("keyspace " + keyspace + ": " + e.getMessage());
        }
        Map<String, Tablet> tablets = new LinkedHashMap<>();
        list.stream()
                .filter(t -> t.getKeyspace().equals(keyspace) && t.getShard().equals(shard))
                .sorted(Comparator.comparing(t -> TabletAliases.format(t.getAlias())))
                .forEach(t -> tablets.put(TabletAliases.format(t.getAlias()), t));
        return new ShardSnapshot(keyspace, shard, record, policy, Collections.unmodifiableMap(tablets));
    }

    String name() {
        return keyspace + "/" + shard;
    }

    Collection<Tablet> all() {
        return tablets.values();
    }

    /** The tablet the Shard record names as primary, if the record names one. */
    Optional<TabletAlias> primaryAlias() {
        return record.hasPrimaryAlias() && record.getPrimaryAlias().getUid() != 0
                ? Optional.of(record.getPrimaryAlias()) : Optional.empty();
    }

    Optional<Tablet> tablet(TabletAlias alias) {
        return Optional.ofNullable(tablets.get(TabletAliases.format(alias)));
    }

    /**
     * The tablet {@code alias}, which must belong to this shard.
     *
     * @throws CtldException NOT_FOUND if no tablet of the shard has that alias
     */
    Tablet require(TabletAlias alias, String role) {
        return tablet(alias).orElseThrow(() -> CtldException.notFound(role + " " + TabletAliases.format(alias)
                + " is not a tablet of shard " + name() + " (tablets: " + String.join(", ", tablets.keySet())
                + ")"));
    }

    /** Every tablet but {@code alias}. */
    List<Tablet> others(TabletAlias alias) {
        return tablets.values().stream().filter(t -> !t.getAlias().equals(alias)).toList();
    }

    static String alias(Tablet t) {
        return TabletAliases.format(t.getAlias());
    }

    static String describe(Tablet t) {
        return TabletAliases.format(t.getAlias()) + " (" + TabletTypes.name(t.getType()) + ")";
    }

    /** The type a tablet has once it replicates from a new primary: a PRIMARY becomes REPLICA. */
    static TabletType typeAsReplica(Tablet t) {
        return t.getType() == TabletType.PRIMARY ? TabletType.REPLICA : t.getType();
    }
}
