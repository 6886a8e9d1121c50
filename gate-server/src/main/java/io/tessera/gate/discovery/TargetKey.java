package io.tessera.gate.discovery;

import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletType;

/**
 * What the gate routes by: keyspace, shard and tablet type. The cell of a {@link Target} is left out on purpose,
 * since tablets of every watched cell serve the same target and the cell only orders them.
 */
record TargetKey(String keyspace, String shard, TabletType type) {
    static TargetKey of(Target target) {
        return new TargetKey(target.getKeyspace(), target.getShard(), target.getTabletType());
    }

    Target toTarget() {
        return Target.newBuilder().setKeyspace(keyspace).setShard(shard).setTabletType(type).build();
    }

    @Override
    public String toString() {
        return keyspace + "/" + shard + "@" + type.name().toLowerCase(java.util.Locale.ROOT);
    }
}
