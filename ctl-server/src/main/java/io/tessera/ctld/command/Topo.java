package io.tessera.ctld.command;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.util.Optional;

/** Small topology reads shared by the commands, with the "not found" messages a person understands. */
final class Topo {
    private Topo() {}

    /** A value read from the topology, or empty when the record does not exist. */
    @FunctionalInterface
    interface Read<T> {
        T read() throws TopoException;
    }

    static <T> Optional<T> optional(Read<T> read) throws TopoException {
        try {
            return Optional.of(read.read());
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Runs a delete and ignores a record that is already gone. */
    static void deleteIfExists(Read<?> delete) throws TopoException {
        optional(() -> {
            delete.read();
            return Boolean.TRUE;
        });
    }

    /** Every keyspace, sorted; empty when the topology has none (or never had any). */
    static java.util.List<String> keyspaceNames(TopoServer topo) throws TopoException {
        return optional(topo::getKeyspaceNames).orElse(java.util.List.of()).stream().sorted().toList();
    }

    static void requireKeyspace(TopoServer topo, String keyspace) throws TopoException {
        requireName("keyspace", keyspace);
        if (optional(() -> topo.getKeyspace(keyspace)).isEmpty()) {
            throw CtldException.notFound("keyspace '" + keyspace + "' does not exist");
        }
    }

    static io.tessera.proto.topodata.Shard shard(TopoServer topo, String keyspace, String shard) throws TopoException {
        requireName("keyspace", keyspace);
        requireName("shard", shard);
        return optional(() -> topo.getShard(keyspace, shard).value()).orElseThrow(() -> CtldException.notFound(
                "shard '" + keyspace + "/" + shard + "' does not exist"));
    }

    static Tablet tablet(TopoServer topo, TabletAlias alias) throws TopoException {
        requireAlias(alias);
        return optional(() -> topo.getTablet(alias).value()).orElseThrow(() -> CtldException.notFound(
                "tablet " + TabletAliases.format(alias) + " does not exist"));
    }

    static void requireAlias(TabletAlias alias) {
        if (alias == null || alias.getCell().isEmpty()) {
            throw CtldException.invalidArgument("a tablet alias (cell and uid, e.g. zone1-100) is required");
        }
    }

    static void requireName(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw CtldException.invalidArgument("the " + what + " name is required");
        }
    }

    /** The database a tablet serves: its override, or {@code vt_<keyspace>}. */
    static String dbName(Tablet tablet) {
        return tablet.getDbNameOverride().isEmpty() ? "vt_" + tablet.getKeyspace() : tablet.getDbNameOverride();
    }

    static String describe(Tablet tablet) {
        return TabletAliases.format(tablet.getAlias()) + " (" + tablet.getKeyspace() + "/" + tablet.getShard() + ")";
    }

    static boolean isPrimaryType(TabletType type) {
        return type == TabletType.PRIMARY;
    }

    /** A short description of a failure of one tablet call, for partial-failure reports. */
    static String reason(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
