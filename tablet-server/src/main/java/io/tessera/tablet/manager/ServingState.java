package io.tessera.tablet.manager;

import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the tablet manager has decided the tablet's query service should do. The manager publishes a new one to
 * its {@link TabletStateListener} after every change it makes (type, demotion, tablet controls).
 *
 * @param tablet the tablet's record as the manager last wrote or read it: alias, keyspace, shard, type and, for a
 *     primary, its {@code primary_term_start_time}
 * @param serving whether the query service should accept queries for the tablet's type
 * @param reason why the tablet is not serving, for errors and status pages; empty when serving
 * @param deniedTables tables the query service must refuse, from the shard's tablet controls for this type
 * @param queryServiceDisabled whether a tablet control of the shard disables the query service for this type (a
 *     client then gets that error rather than a plain "not serving")
 */
public record ServingState(Tablet tablet, boolean serving, String reason, List<String> deniedTables,
        boolean queryServiceDisabled) {
    public ServingState {
        Objects.requireNonNull(tablet, "tablet");
        Objects.requireNonNull(reason, "reason");
        deniedTables = List.copyOf(deniedTables);
    }

    /** The tablet type the query service serves as. */
    public TabletType type() {
        return tablet.getType();
    }

    /** When this tablet's term as primary began; empty unless it is a primary. */
    public Optional<Instant> primaryTermStart() {
        if (tablet.getType() != TabletType.PRIMARY || !tablet.hasPrimaryTermStartTime()) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(tablet.getPrimaryTermStartTime().getSeconds(),
                tablet.getPrimaryTermStartTime().getNanoseconds()));
    }

    /**
     * True only for a serving primary. A primary being demoted stays PRIMARY but stops serving, so that gates
     * hold its writes until the new primary is ready instead of sending them to a server that will refuse them.
     */
    public boolean acceptsWrites() {
        return serving && tablet.getType() == TabletType.PRIMARY;
    }
}
