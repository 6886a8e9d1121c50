package io.tessera.tablet.registration;

import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.Versioned;
import io.tessera.topo.topoproto.TabletAliases;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a starting tablet in the topology, as a Vitess tablet does: it makes sure its cell, keyspace and shard
 * exist, writes its Tablet record, and adds itself to its shard's replication graph in its cell. A tablet that the
 * Shard record names as primary comes up as primary, with the shard's term start time; any other comes up with its
 * init type.
 */
public final class TabletRegistration {
    private static final Logger log = LoggerFactory.getLogger(TabletRegistration.class);

    private final TopoServer topo;

    public TabletRegistration(TopoServer topo) {
        this.topo = topo;
    }

    /**
     * Registers the tablet and returns the record it wrote.
     *
     * @throws TopoException if the topology cannot be read or written; {@code NODE_EXISTS} is never thrown — a
     *     record left by an earlier run of the same tablet is replaced, but one describing another keyspace or
     *     shard is refused with {@code INVALID_ARGUMENT}, since two tablets may not share an alias
     */
    public Tablet register(TabletIdentity id) throws TopoException {
        return register(id, Map.of());
    }

    /**
     * Registers the tablet as {@link #register(TabletIdentity)} does, with {@code morePorts} in its port map besides
     * {@code vt} and {@code grpc} (ports bound before registering, such as {@code multiplex}).
     */
    public Tablet register(TabletIdentity id, Map<String, Integer> morePorts) throws TopoException {
        topo.ensureCell(id.alias().getCell());
        ensureKeyspace(id.keyspace());
        Shard shard = ensureShard(id.keyspace(), id.shard());

        Tablet.Builder record = Tablet.newBuilder()
                .setAlias(id.alias())
                .setHostname(id.hostname())
                .putPortMap("vt", id.httpPort())
                .putPortMap("grpc", id.grpcPort())
                .putAllPortMap(morePorts)
                .setKeyspace(id.keyspace())
                .setShard(id.shard())
                .setKeyRange(shard.getKeyRange())
                .setType(id.initType())
                .setMysqlHostname(id.mysqlHost())
                .setMysqlPort(id.mysqlPort())
                .putAllTags(id.tags());
        id.dbNameOverride().ifPresent(record::setDbNameOverride);
        if (shard.hasPrimaryAlias() && shard.getPrimaryAlias().equals(id.alias())) {
            // The shard says this tablet is its primary (it was, before this restart): keep serving as primary.
            record.setType(TabletType.PRIMARY).setPrimaryTermStartTime(shard.getPrimaryTermStartTime());
        }
        Tablet tablet = record.build();
        writeTabletRecord(tablet);
        topo.addShardReplicationNode(id.keyspace(), id.shard(), id.alias());
        log.info("registered tablet {} in {}/{} as {}", TabletAliases.format(id.alias()), id.keyspace(), id.shard(),
                tablet.getType());
        return tablet;
    }

    private void ensureKeyspace(String keyspace) throws TopoException {
        try {
            topo.createKeyspace(keyspace, Keyspace.getDefaultInstance());
            log.info("created keyspace {}", keyspace);
        } catch (TopoException e) {
            if (!e.is(TopoException.Code.NODE_EXISTS)) {
                throw e;
            }
        }
    }

    private Shard ensureShard(String keyspace, String shard) throws TopoException {
        try {
            Shard created = topo.createShard(keyspace, shard);
            log.info("created shard {}/{}", keyspace, shard);
            return created;
        } catch (TopoException e) {
            if (!e.is(TopoException.Code.NODE_EXISTS)) {
                throw e;
            }
            return topo.getShard(keyspace, shard).value();
        }
    }

    private void writeTabletRecord(Tablet tablet) throws TopoException {
        Versioned<Tablet> existing;
        try {
            existing = topo.getTablet(tablet.getAlias());
        } catch (TopoException e) {
            if (!e.is(TopoException.Code.NO_NODE)) {
                throw e;
            }
            try {
                topo.createTablet(tablet);
                return;
            } catch (TopoException raced) {
                if (!raced.is(TopoException.Code.NODE_EXISTS)) {
                    throw raced;
                }
                existing = topo.getTablet(tablet.getAlias());
            }
        }
        Tablet old = existing.value();
        if (!old.getKeyspace().equals(tablet.getKeyspace()) || !old.getShard().equals(tablet.getShard())) {
            throw new TopoException(TopoException.Code.INVALID_ARGUMENT, "",
                    "tablet " + TabletAliases.format(tablet.getAlias()) + " is already registered in "
                            + old.getKeyspace() + "/" + old.getShard() + ", not " + tablet.getKeyspace() + "/"
                            + tablet.getShard() + ": use another --tablet-path, or delete the old record first "
                            + "(DeleteTablet)");
        }
        // The same tablet starting again: its record is replaced (compare-and-set, so a concurrent writer wins
        // visibly rather than being overwritten).
        topo.updateTablet(tablet, existing.version());
    }
}
