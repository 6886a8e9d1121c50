package io.tessera.ctld.command;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.KeyspaceType;
import io.tessera.proto.topodata.Timestamp;
import io.tessera.proto.vtctldata.CreateKeyspaceRequest;
import io.tessera.proto.vtctldata.CreateKeyspaceResponse;
import io.tessera.proto.vtctldata.DeleteKeyspaceRequest;
import io.tessera.proto.vtctldata.DeleteKeyspaceResponse;
import io.tessera.proto.vtctldata.GetKeyspaceRequest;
import io.tessera.proto.vtctldata.GetKeyspaceResponse;
import io.tessera.proto.vtctldata.GetKeyspacesResponse;
import io.tessera.proto.vtctldata.SetKeyspaceDurabilityPolicyRequest;
import io.tessera.proto.vtctldata.SetKeyspaceDurabilityPolicyResponse;
import io.tessera.tabletmanager.DurabilityPolicy;
import io.tessera.topo.LockHandle;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** CreateKeyspace, GetKeyspace, GetKeyspaces, DeleteKeyspace and SetKeyspaceDurabilityPolicy. */
public final class KeyspaceCommands {
    private static final Logger log = LoggerFactory.getLogger(KeyspaceCommands.class);

    private final TopoServer topo;
    private final ShardCommands shards;
    private final ServingGraph serving;

    public KeyspaceCommands(TopoServer topo, ShardCommands shards, ServingGraph serving) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.shards = Objects.requireNonNull(shards, "shards");
        this.serving = Objects.requireNonNull(serving, "serving");
    }

    /**
     * Creates a keyspace record and, unless {@code allow_empty_v_schema}, an empty VSchema (then rebuilds every
     * cell's SrvVSchema so gates see the keyspace). Refused if it exists, unless {@code force}, which returns the
     * existing record.
     */
    public CreateKeyspaceResponse createKeyspace(CreateKeyspaceRequest request) throws TopoException {
        Topo.requireName("keyspace", request.getName());
        DurabilityPolicy policy = durability(request.getDurabilityPolicy());
        Keyspace.Builder ks = Keyspace.newBuilder().setKeyspaceType(request.getType())
                .setDurabilityPolicy(policy.name()).setSidecarDbName(request.getSidecarDbName());
        if (request.getType() == KeyspaceType.SNAPSHOT) {
            if (request.getBaseKeyspace().isEmpty() || !request.hasSnapshotTime()) {
                throw CtldException.invalidArgument("a SNAPSHOT keyspace needs base_keyspace and snapshot_time");
            }
            Topo.requireKeyspace(topo, request.getBaseKeyspace());
            ks.setBaseKeyspace(request.getBaseKeyspace()).setSnapshotTime(Timestamp.newBuilder()
                    .setSeconds(request.getSnapshotTime().getSeconds())
                    .setNanoseconds(request.getSnapshotTime().getNanoseconds()));
        } else if (!request.getBaseKeyspace().isEmpty()) {
            throw CtldException.invalidArgument("base_keyspace is only for SNAPSHOT keyspaces");
        }
        try {
            topo.createKeyspace(request.getName(), ks.build());
        } catch (TopoException e) {
            if (!e.is(TopoException.Code.NODE_EXISTS)) {
                throw e;
            }
            if (!request.getForce()) {
                throw CtldException.alreadyExists("keyspace '" + request.getName() + "' already exists");
            }
            log.info("CreateKeyspace {}: already exists, force given", request.getName());
        }
        if (!request.getAllowEmptyVSchema() && Topo.optional(() -> topo.getVSchema(request.getName())).isEmpty()) {
            io.tessera.proto.vschema.Keyspace.Builder vschema = io.tessera.proto.vschema.Keyspace.newBuilder();
            if (request.getType() == KeyspaceType.SNAPSHOT) {
                vschema.mergeFrom(Topo.optional(() -> topo.getVSchema(request.getBaseKeyspace()).value())
                        .orElse(io.tessera.proto.vschema.Keyspace.getDefaultInstance()));
                vschema.setRequireExplicitRouting(true);
            }
            topo.saveVSchema(request.getName(), vschema.build());
            serving.rebuildSrvVSchema(List.of());
        }
        return CreateKeyspaceResponse.newBuilder().setKeyspace(get(request.getName())).build();
    }

    public GetKeyspaceResponse getKeyspace(GetKeyspaceRequest request) throws TopoException {
        Topo.requireKeyspace(topo, request.getKeyspace());
        return GetKeyspaceResponse.newBuilder().setKeyspace(get(request.getKeyspace())).build();
    }

    public GetKeyspacesResponse getKeyspaces() throws TopoException {
        GetKeyspacesResponse.Builder b = GetKeyspacesResponse.newBuilder();
        for (String name : Topo.keyspaceNames(topo)) {
            Topo.optional(() -> topo.getKeyspace(name).value()).ifPresent(ks -> b.addKeyspaces(
                    io.tessera.proto.vtctldata.Keyspace.newBuilder().setName(name).setKeyspace(ks)));
        }
        return b.build();
    }

    /**
     * Deletes a keyspace, holding its lock (or without it, with {@code force}, when the lock cannot be taken).
     * Refused while it has shards, unless {@code recursive}: then its shards go too, with their replication graphs
     * and tablet records. The keyspace's SrvKeyspace is removed from every cell, its VSchema with it, and the cells'
     * SrvVSchema is rebuilt without it.
     */
    public DeleteKeyspaceResponse deleteKeyspace(DeleteKeyspaceRequest request) throws TopoException {
        String name = request.getKeyspace();
        Topo.requireKeyspace(topo, name);
        LockHandle lock = null;
        try {
            lock = topo.lockKeyspace(name, "DeleteKeyspace");
        } catch (TopoException e) {
            if (!request.getForce()) {
                throw e;
            }
            log.warn("DeleteKeyspace {}: going on without the keyspace lock (force): {}", name, e.getMessage());
        }
        try {
            List<String> shardNames = topo.getShardNames(name);
            if (!shardNames.isEmpty() && !request.getRecursive()) {
                throw CtldException.failedPrecondition("keyspace '" + name + "' still has " + shardNames.size()
                        + " shard(s) " + shardNames + "; delete them first or pass recursive");
            }
            for (String shard : shardNames) {
                shards.deleteShard(name, shard, true, true);
            }
            for (String cell : serving.cellsOrAll(List.of())) {
                Topo.deleteIfExists(() -> {
                    topo.deleteSrvKeyspace(cell, name);
                    return null;
                });
            }
            topo.deleteKeyspace(name);
        } finally {
            if (lock != null) {
                try {
                    lock.unlock();
                } catch (TopoException e) {
                    log.warn("DeleteKeyspace {}: unlock failed (the lease will expire): {}", name, e.getMessage());
                }
            }
        }
        serving.rebuildSrvVSchema(List.of());
        return DeleteKeyspaceResponse.getDefaultInstance();
    }

    /** Changes a keyspace's durability policy, holding its lock; reparents and tablets pick it up from then on. */
    public SetKeyspaceDurabilityPolicyResponse setKeyspaceDurabilityPolicy(SetKeyspaceDurabilityPolicyRequest request)
            throws TopoException {
        Topo.requireKeyspace(topo, request.getKeyspace());
        DurabilityPolicy policy = durability(request.getDurabilityPolicy());
        Keyspace updated;
        try (LockHandle lock = topo.lockKeyspace(request.getKeyspace(), "SetKeyspaceDurabilityPolicy")) {
            lock.check();
            updated = topo.updateKeyspaceFields(request.getKeyspace(), ks -> ks.getDurabilityPolicy().equals(policy.name())
                    ? ks : ks.toBuilder().setDurabilityPolicy(policy.name()).build()).value();
        }
        return SetKeyspaceDurabilityPolicyResponse.newBuilder().setKeyspace(updated).build();
    }

    private io.tessera.proto.vtctldata.Keyspace get(String name) throws TopoException {
        return io.tessera.proto.vtctldata.Keyspace.newBuilder().setName(name)
                .setKeyspace(topo.getKeyspace(name).value()).build();
    }

    private static DurabilityPolicy durability(String name) {
        try {
            return DurabilityPolicy.parse(name);
        } catch (IllegalArgumentException e) {
            throw CtldException.invalidArgument(e.getMessage());
        }
    }
}
