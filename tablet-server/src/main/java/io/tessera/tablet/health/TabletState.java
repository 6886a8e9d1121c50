package io.tessera.tablet.health;

import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletType;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the tablet means to be right now, as its state manager decided: the health check combines it with what it
 * measures (mysqld reachable, replication lag) to report the serving flag.
 *
 * @param target the keyspace, shard, tablet type and cell the tablet serves
 * @param wantServing whether the tablet intends to serve queries for the target (false, for example, while its
 *     query service is disabled by a tablet control, or for types that never serve such as SPARE or DRAINED)
 * @param primaryTermStart when this tablet last became primary; meaningful only when the target type is PRIMARY
 */
public record TabletState(Target target, boolean wantServing, Optional<Instant> primaryTermStart) {
    public TabletState {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(primaryTermStart, "primaryTermStart");
    }

    /** True when the target's tablet type is PRIMARY. */
    public boolean isPrimary() {
        return target.getTabletType() == TabletType.PRIMARY;
    }
}
