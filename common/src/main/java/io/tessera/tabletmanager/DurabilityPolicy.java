package io.tessera.tabletmanager;

import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.TabletType;
import java.util.Locale;

/**
 * A keyspace's durability policy ({@code Keyspace.durability_policy}, Vitess's names): how many replicas must
 * acknowledge a commit before the primary reports it, and which tablets may acknowledge. The control daemon asks
 * it which flags to send in reparent calls; the tablet asks it so that a primary never runs without the
 * acknowledgements its keyspace requires.
 *
 * <p>Only tablets that may be promoted acknowledge: an acknowledgement is a promise that the write survives a
 * failover, and a write held only by a tablet that is never promoted (RDONLY) would be lost in one.
 */
public sealed interface DurabilityPolicy permits DurabilityPolicy.None, DurabilityPolicy.SemiSync {

    /** {@code none}: asynchronous replication, no acknowledgements (Vitess's default). */
    DurabilityPolicy NONE = new None();

    /** {@code semi_sync}: each commit waits for one acknowledgement from a REPLICA. */
    DurabilityPolicy SEMI_SYNC = new SemiSync();

    /** The policy's name as stored in the keyspace record. */
    String name();

    /** Acknowledgements a primary waits for on each commit; 0 means the primary does not use semi-sync. */
    int requiredAcks();

    /** True if a replica of this type acknowledges commits to its primary. */
    boolean acks(TabletType type);

    /** True if a tablet of this type may be promoted to primary: PRIMARY and REPLICA only, in every policy. */
    default boolean promotable(TabletType type) {
        return type == TabletType.PRIMARY || type == TabletType.REPLICA;
    }

    /**
     * The policy named {@code name}; empty means {@code none}, the default.
     *
     * @throws IllegalArgumentException for any other name, listing the supported ones
     */
    static DurabilityPolicy parse(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "", "none" -> NONE;
            case "semi_sync" -> SEMI_SYNC;
            default -> throw new IllegalArgumentException("durability policy '" + name + "' is not supported: use "
                    + "'none' or 'semi_sync' (Vitess's cross_cell and *_with_rdonly_ack policies are not available)");
        };
    }

    /** The policy of {@code keyspace}. */
    static DurabilityPolicy of(Keyspace keyspace) {
        return parse(keyspace.getDurabilityPolicy());
    }

    /** Asynchronous replication. */
    record None() implements DurabilityPolicy {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public int requiredAcks() {
            return 0;
        }

        @Override
        public boolean acks(TabletType type) {
            return false;
        }
    }

    /** One acknowledgement per commit, from a PRIMARY- or REPLICA-typed tablet, never from RDONLY. */
    record SemiSync() implements DurabilityPolicy {
        @Override
        public String name() {
            return "semi_sync";
        }

        @Override
        public int requiredAcks() {
            return 1;
        }

        @Override
        public boolean acks(TabletType type) {
            return promotable(type);
        }
    }
}
