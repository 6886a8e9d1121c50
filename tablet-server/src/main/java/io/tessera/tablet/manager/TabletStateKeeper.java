package io.tessera.tablet.manager;

import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.topodata.Timestamp;
import io.tessera.tabletmanager.DurabilityPolicy;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import io.tessera.topo.topoproto.TabletTypes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet's state as the manager sees it: its topology record, whether it is a primary being demoted, and its
 * shard's tablet controls. Writes type changes to the topology and publishes the resulting {@link ServingState}
 * to the listener.
 *
 * <p>Changes happen under the manager's action lock; reads may come from any thread.
 */
final class TabletStateKeeper {
    private static final Logger log = LoggerFactory.getLogger(TabletStateKeeper.class);

    private final TopoServer topo;
    private final TabletAlias alias;
    private final Clock clock;
    private final TabletStateListener listener;

    private volatile Tablet tablet;
    private volatile List<Shard.TabletControl> controls = List.of();
    private volatile boolean demoted;
    private volatile ServingState published;

    private TabletStateKeeper(TopoServer topo, TabletAlias alias, Clock clock, TabletStateListener listener,
            Tablet tablet) {
        this.topo = topo;
        this.alias = alias;
        this.clock = clock;
        this.listener = listener;
        this.tablet = tablet;
        this.published = computeState();
    }

    /**
     * Loads the tablet's record and its shard's tablet controls.
     *
     * @throws TabletManagerException {@code NOT_FOUND} if the tablet is not registered
     */
    static TabletStateKeeper load(TopoServer topo, TabletAlias alias, Clock clock, TabletStateListener listener) {
        TabletStateKeeper keeper = new TabletStateKeeper(topo, alias, clock, listener, readTablet(topo, alias));
        keeper.controls = keeper.readControls(keeper.tablet);
        return keeper;
    }

    Tablet tablet() {
        return tablet;
    }

    TabletType type() {
        return tablet.getType();
    }

    String aliasText() {
        return TabletAliases.format(alias);
    }

    /** The state last published. */
    ServingState current() {
        return published;
    }

    /** Marks a primary as demoted (not taking writes) or not; takes effect at the next {@link #publish()}. */
    void setDemoted(boolean value) {
        demoted = value;
    }

    /** The durability policy of the tablet's keyspace, read now so a changed policy applies at once. */
    DurabilityPolicy durability() {
        String keyspace = tablet.getKeyspace();
        Keyspace record;
        try {
            record = topo.getKeyspace(keyspace).value();
        } catch (TopoException e) {
            throw TopoErrors.of("reading the durability policy of keyspace " + keyspace, e);
        }
        try {
            return DurabilityPolicy.of(record);
        } catch (IllegalArgumentException e) {
            throw TabletManagerException.failedPrecondition("keyspace " + keyspace + ": " + e.getMessage());
        }
    }

    /** Another tablet's record, for example the primary to replicate from. */
    Tablet lookup(TabletAlias other) {
        return readTablet(topo, other);
    }

    /**
     * Writes the new type to the topology. A PRIMARY gets a new term start time, later than any it had; other
     * types have none. A new primary also claims its shard record (see {@link #claimShard()}).
     */
    Tablet changeType(TabletType type) {
        Tablet updated;
        try {
            updated = topo.updateTabletFields(alias, t -> {
                Tablet.Builder b = t.toBuilder().setType(type);
                if (type == TabletType.PRIMARY) {
                    b.setPrimaryTermStartTime(newTerm(t));
                } else {
                    b.clearPrimaryTermStartTime();
                }
                return b.build();
            }).value();
        } catch (TopoException e) {
            throw TopoErrors.of("changing the type of tablet " + aliasText() + " to " + TabletTypes.name(type), e);
        }
        log.info("tablet {} is now {}", aliasText(), TabletTypes.name(type));
        tablet = updated;
        if (type == TabletType.PRIMARY) {
            claimShard();
        }
        return updated;
    }

    /** Re-reads the tablet record and the shard's tablet controls; a primary re-claims its shard record. */
    void refresh() {
        Tablet fresh = readTablet(topo, alias);
        controls = readControls(fresh);
        tablet = fresh;
        if (fresh.getType() != TabletType.PRIMARY) {
            demoted = false;
        } else {
            claimShard();
        }
    }

    /** Computes the serving state from what is known now and hands it to the listener. */
    ServingState publish() {
        ServingState state = computeState();
        published = state;
        try {
            listener.stateChanged(state);
        } catch (RuntimeException e) {
            throw TabletManagerException.internal("the query service did not take the new state (type "
                    + TabletTypes.name(state.type()) + ", serving " + state.serving() + "): " + e.getMessage(), e);
        }
        return state;
    }

    /**
     * Makes the shard record name this tablet as primary, unless it already names a primary with a newer term.
     * As in Vitess, the new primary does this itself, so the record follows however the promotion came about.
     * A failure is only logged: the promotion has happened on MySQL already, and the next
     * {@link #refresh() RefreshState} tries again.
     */
    private void claimShard() {
        Tablet self = tablet;
        try {
            topo.updateShardFields(self.getKeyspace(), self.getShard(), shard -> {
                if (shard.hasPrimaryTermStartTime()
                        && compare(shard.getPrimaryTermStartTime(), self.getPrimaryTermStartTime()) >= 0) {
                    if (!shard.getPrimaryAlias().equals(alias)) {
                        log.warn("shard {}/{} names {} as primary with a term as new as ours; leaving it",
                                self.getKeyspace(), self.getShard(), TabletAliases.format(shard.getPrimaryAlias()));
                    }
                    return shard;
                }
                return shard.toBuilder().setPrimaryAlias(alias)
                        .setPrimaryTermStartTime(self.getPrimaryTermStartTime()).build();
            });
        } catch (TopoException e) {
            log.warn("could not record tablet {} as primary of shard {}/{}: {}", aliasText(), self.getKeyspace(),
                    self.getShard(), e.getMessage());
        }
    }

    private ServingState computeState() {
        Tablet t = tablet;
        List<String> denied = new ArrayList<>();
        boolean disabled = false;
        for (Shard.TabletControl control : controls) {
            if (control.getTabletType() == t.getType() && appliesToCell(control, t.getAlias().getCell())) {
                denied.addAll(control.getDeniedTablesList());
                disabled |= control.getDisableQueryService();
            }
        }
        Set<String> uniqueDenied = new LinkedHashSet<>(denied);
        String reason;
        if (!TabletTypes.isServing(t.getType())) {
            reason = "tablet type " + TabletTypes.name(t.getType()) + " does not serve queries";
        } else if (t.getType() == TabletType.PRIMARY && demoted) {
            reason = "the primary is being demoted: a reparent is in progress";
        } else if (disabled) {
            reason = "the query service is disabled for " + TabletTypes.name(t.getType())
                    + " tablets by a tablet control on shard " + t.getKeyspace() + "/" + t.getShard();
        } else {
            reason = "";
        }
        return new ServingState(t, reason.isEmpty(), reason, List.copyOf(uniqueDenied), disabled);
    }

    private static boolean appliesToCell(Shard.TabletControl control, String cell) {
        return control.getCellsCount() == 0 || control.getCellsList().contains(cell);
    }

    private List<Shard.TabletControl> readControls(Tablet t) {
        if (t.getKeyspace().isEmpty() || t.getShard().isEmpty()) {
            return List.of();
        }
        try {
            return List.copyOf(topo.getShard(t.getKeyspace(), t.getShard()).value().getTabletControlsList());
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                return List.of();
            }
            throw TopoErrors.of("reading shard " + t.getKeyspace() + "/" + t.getShard(), e);
        }
    }

    private static Tablet readTablet(TopoServer topo, TabletAlias alias) {
        Objects.requireNonNull(alias, "alias");
        try {
            return topo.getTablet(alias).value();
        } catch (TopoException e) {
            throw TopoErrors.of("reading the record of tablet " + TabletAliases.format(alias), e);
        }
    }

    /** Now, or just after the previous term if the clock has not moved past it, so terms only grow. */
    private Timestamp newTerm(Tablet previous) {
        Instant now = clock.instant();
        if (previous.hasPrimaryTermStartTime()) {
            Timestamp old = previous.getPrimaryTermStartTime();
            Instant oldInstant = Instant.ofEpochSecond(old.getSeconds(), old.getNanoseconds());
            if (!now.isAfter(oldInstant)) {
                now = oldInstant.plusNanos(1);
            }
        }
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanoseconds(now.getNano()).build();
    }

    private static int compare(Timestamp a, Timestamp b) {
        return ShardTerms.compare(a, b);
    }
}
