package io.tessera.tablet.daemon;

import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.tablet.registration.TabletIdentity;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import java.util.Optional;

/**
 * What the topology says about this tablet's role as it starts, read before mysqld starts: whether the shard
 * record names it as primary, and which other tablet it names otherwise.
 *
 * @param primary true if the shard record names this tablet as its primary (registration keeps it PRIMARY)
 * @param shardPrimary the primary the shard record names when that is another tablet
 */
record StartRole(boolean primary, Optional<TabletAlias> shardPrimary) {

    /** Reads the shard record; a shard that does not exist yet has no primary. */
    static StartRole read(TopoServer topo, TabletIdentity id) throws TopoException {
        Shard shard;
        try {
            shard = topo.getShard(id.keyspace(), id.shard()).value();
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                return new StartRole(false, Optional.empty());
            }
            throw e;
        }
        if (!shard.hasPrimaryAlias()) {
            return new StartRole(false, Optional.empty());
        }
        boolean self = shard.getPrimaryAlias().equals(id.alias());
        return new StartRole(self, self ? Optional.empty() : Optional.of(shard.getPrimaryAlias()));
    }
}
