package io.tessera.tablet.manager;

import io.tessera.proto.topodata.TabletType;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.topo.topoproto.TabletTypes;

/**
 * Which tablet types may do what. Only PRIMARY and REPLICA tablets become primary or acknowledge semi-sync
 * commits: an acknowledgement promises that the write survives a failover, which a tablet that is never
 * promoted (RDONLY) cannot keep.
 */
final class TabletRules {
    private TabletRules() {}

    /**
     * @param what what the call would make of the tablet, for the message ("be promoted")
     * @throws TabletManagerException {@code FAILED_PRECONDITION} unless the tablet is PRIMARY or REPLICA
     */
    static void requirePromotable(String alias, TabletType type, String what) {
        if (type != TabletType.PRIMARY && type != TabletType.REPLICA) {
            String why = type == TabletType.RDONLY ? "RDONLY tablets are never promoted"
                    : "only REPLICA tablets are promoted";
            throw TabletManagerException.failedPrecondition("tablet " + alias + " is " + TabletTypes.name(type)
                    + " and cannot " + what + ": " + why + "; change its type to REPLICA first if it should be a "
                    + "candidate");
        }
    }

    /** @throws TabletManagerException {@code FAILED_PRECONDITION} if a tablet of this type is asked to acknowledge */
    static void requireMayAcknowledge(String alias, TabletType type, boolean semiSync) {
        if (semiSync && type != TabletType.REPLICA && type != TabletType.PRIMARY) {
            throw TabletManagerException.failedPrecondition("tablet " + alias + " is " + TabletTypes.name(type)
                    + " and must not acknowledge semi-sync commits: it is never promoted, so a write only it had "
                    + "would be lost in a failover");
        }
    }

    /** The type a tablet has once it replicates: a PRIMARY becomes a REPLICA, other types stay. */
    static TabletType asReplica(TabletType type) {
        return type == TabletType.PRIMARY ? TabletType.REPLICA : type;
    }
}
