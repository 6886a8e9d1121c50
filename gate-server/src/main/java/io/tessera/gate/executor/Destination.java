package io.tessera.gate.executor;

import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletType;

/** Where one statement goes: a keyspace, one of its shards and a tablet type. */
record Destination(String keyspace, String shard, TabletType tabletType) {
    /** The request target for this destination. */
    Target target() {
        return Target.newBuilder().setKeyspace(keyspace).setShard(shard).setTabletType(tabletType).build();
    }

    /** The destination a request target names. */
    static Destination of(Target target) {
        return new Destination(target.getKeyspace(), target.getShard(), target.getTabletType());
    }
}
