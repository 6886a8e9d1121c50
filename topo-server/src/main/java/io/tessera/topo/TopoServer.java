package io.tessera.topo;

import io.tessera.proto.topodata.CellInfo;
import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.KeyRange;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.ShardReplication;
import io.tessera.proto.topodata.SrvKeyspace;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.vschema.RoutingRules;
import io.tessera.proto.vschema.SrvVSchema;
import io.tessera.topo.topoproto.KeyRanges;
import io.tessera.topo.topoproto.TabletAliases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The typed topology every Tessera process uses: keyspaces, shards, tablets, cells, the serving graph and
 * VSchemas, stored as protobuf records in the path layout of DESIGN.md §3, with the keyspace and shard locks.
 *
 * <p>Global records live under {@value #GLOBAL_ROOT}; each cell's records live where its {@link CellInfo} says
 * (by default under a directory named after the cell, on the same backend).
 */
public final class TopoServer implements AutoCloseable {
    /** The directory, under the connection's root, holding the global records. */
    public static final String GLOBAL_ROOT = "global";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");

    private final ProtoFiles global;
    private final TopoConnFactory factory;
    private final LockOptions lockOptions;
    private final Map<String, ProtoFiles> cellFiles = new ConcurrentHashMap<>();
    private final Map<String, TopoConn> cellConns = new ConcurrentHashMap<>();

    /**
     * @param conn the connection to the global topology (owned by this server from now on)
     * @param factory opens connections to cells whose {@link CellInfo} names another server
     * @param lockOptions TTL and wait time of keyspace and shard locks
     */
    public TopoServer(TopoConn conn, TopoConnFactory factory, LockOptions lockOptions) {
        this.global = new ProtoFiles(conn, GLOBAL_ROOT);
        this.factory = factory;
        this.lockOptions = lockOptions;
    }

    /** Opens the topology at {@code address} with the backends on the class path and default lock options. */
    public static TopoServer open(String address) throws TopoException {
        TopoConnFactory factory = TopoConnFactory.fromClassPath();
        return new TopoServer(factory.open(address), factory, LockOptions.DEFAULT);
    }

    /** The underlying connection to the global topology. */
    public TopoConn globalConn() {
        return global.conn();
    }

    // ---- cells ----

    /** Registers a cell. {@code NODE_EXISTS} if it is already there. */
    public void createCellInfo(String cell, CellInfo info) throws TopoException {
        checkName("cell", cell);
        if (cell.equals(GLOBAL_ROOT)) {
            throw invalid("'" + GLOBAL_ROOT + "' is reserved and cannot be a cell name");
        }
        global.create(global.path("cells", cell, "CellInfo"), info);
    }

    /**
     * Makes sure a cell exists, registering it with its records on this backend under a directory named after it
     * when it does not.
     */
    public CellInfo ensureCell(String cell) throws TopoException {
        try {
            createCellInfo(cell, CellInfo.newBuilder().setRoot(cell).build());
        } catch (TopoException e) {
            if (!e.is(TopoException.Code.NODE_EXISTS)) {
                throw e;
            }
        }
        return getCellInfo(cell);
    }

    public CellInfo getCellInfo(String cell) throws TopoException {
        return global.get(global.path("cells", cell, "CellInfo"), CellInfo.parser()).value();
    }

    public List<String> getCellInfoNames() throws TopoException {
        return names(global.conn(), global.path("cells"));
    }

    public Versioned<CellInfo> updateCellInfoFields(String cell, ProtoFiles.Change<CellInfo> change) throws TopoException {
        Versioned<CellInfo> v = global.update(global.path("cells", cell, "CellInfo"), CellInfo.parser(), null, change);
        cellFiles.remove(cell);
        return v;
    }

    public void deleteCellInfo(String cell) throws TopoException {
        global.conn().delete(global.path("cells", cell, "CellInfo"), null);
        cellFiles.remove(cell);
        TopoConn c = cellConns.remove(cell);
        if (c != null) {
            c.close();
        }
    }

    /** Where a cell's records live: its CellInfo's server (or this one) and root. */
    ProtoFiles cell(String cell) throws TopoException {
        ProtoFiles files = cellFiles.get(cell);
        if (files != null) {
            return files;
        }
        CellInfo info;
        try {
            info = getCellInfo(cell);
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                throw new TopoException(TopoException.Code.NO_NODE, e.path(), "cell '" + cell
                        + "' does not exist: add it first (AddCellInfo)");
            }
            throw e;
        }
        String root = stripSlashes(info.getRoot().isEmpty() ? cell : info.getRoot());
        if (info.getServerAddress().isEmpty()) {
            files = new ProtoFiles(global.conn(), root);
        } else {
            TopoConn c = cellConns.get(cell);
            if (c == null) {
                TopoConn opened = factory.open(info.getServerAddress());
                c = cellConns.putIfAbsent(cell, opened);
                if (c == null) {
                    c = opened;
                } else {
                    opened.close();
                }
            }
            files = new ProtoFiles(c, root);
        }
        cellFiles.put(cell, files);
        return files;
    }

    // ---- keyspaces ----

    public void createKeyspace(String keyspace, Keyspace value) throws TopoException {
        checkName("keyspace", keyspace);
        global.create(keyspacePath(keyspace), value);
    }

    public Versioned<Keyspace> getKeyspace(String keyspace) throws TopoException {
        return global.get(keyspacePath(keyspace), Keyspace.parser());
    }

    public Version updateKeyspace(String keyspace, Keyspace value, Version expected) throws TopoException {
        return global.update(keyspacePath(keyspace), value, expected);
    }

    public Versioned<Keyspace> updateKeyspaceFields(String keyspace, ProtoFiles.Change<Keyspace> change)
            throws TopoException {
        return global.update(keyspacePath(keyspace), Keyspace.parser(), null, change);
    }

    /** Deletes the Keyspace record (and its VSchema). Callers check for shards first. */
    public void deleteKeyspace(String keyspace) throws TopoException {
        global.conn().delete(keyspacePath(keyspace), null);
        try {
            global.conn().delete(global.path("keyspaces", keyspace, "VSchema"), null);
        } catch (TopoException e) {
            if (!e.is(TopoException.Code.NO_NODE)) {
                throw e;
            }
        }
    }

    /** Every keyspace with a Keyspace record, sorted. */
    public List<String> getKeyspaceNames() throws TopoException {
        List<String> out = new ArrayList<>();
        for (String ks : names(global.conn(), global.path("keyspaces"))) {
            if (exists(global.conn(), keyspacePath(ks))) {
                out.add(ks);
            }
        }
        return out;
    }

    private String keyspacePath(String keyspace) {
        return global.path("keyspaces", keyspace, "Keyspace");
    }

    // ---- shards ----

    /**
     * Creates a shard; its key range comes from its name ({@code -80}, {@code 80-}, {@code 0}).
     *
     * @throws TopoException {@code INVALID_ARGUMENT} for a bad name; {@code NO_NODE} if the keyspace is missing;
     *     {@code NODE_EXISTS} if the shard exists
     */
    public Shard createShard(String keyspace, String shard) throws TopoException {
        KeyRange range;
        try {
            range = KeyRanges.parseShardName(shard);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        getKeyspace(keyspace);
        Shard value = Shard.newBuilder().setKeyRange(range).setIsPrimaryServing(true).build();
        global.create(shardPath(keyspace, shard), value);
        return value;
    }

    public Versioned<Shard> getShard(String keyspace, String shard) throws TopoException {
        return global.get(shardPath(keyspace, shard), Shard.parser());
    }

    /**
     * Watches a shard record (a primary tablet watches its shard to learn that another tablet was promoted).
     *
     * @throws TopoException {@code NO_NODE} if the shard does not exist
     */
    public ProtoWatch<Shard> watchShard(String keyspace, String shard, ProtoWatch.Listener<Shard> listener)
            throws TopoException {
        return ProtoWatch.start(global.conn(), shardPath(keyspace, shard), Shard.parser(), listener);
    }

    public Versioned<Shard> updateShardFields(String keyspace, String shard, ProtoFiles.Change<Shard> change)
            throws TopoException {
        return global.update(shardPath(keyspace, shard), Shard.parser(), null, change);
    }

    public void deleteShard(String keyspace, String shard) throws TopoException {
        global.conn().delete(shardPath(keyspace, shard), null);
    }

    /** The shards of a keyspace, sorted by name; empty if it has none. */
    public List<String> getShardNames(String keyspace) throws TopoException {
        List<String> out = new ArrayList<>();
        for (String s : namesOrEmpty(global.conn(), global.path("keyspaces", keyspace, "shards"))) {
            if (exists(global.conn(), shardPath(keyspace, s))) {
                out.add(s);
            }
        }
        return out;
    }

    private String shardPath(String keyspace, String shard) {
        return global.path("keyspaces", keyspace, "shards", shard, "Shard");
    }

    // ---- tablets ----

    /** Creates a tablet record in its cell. {@code NODE_EXISTS} if the alias is taken. */
    public void createTablet(Tablet tablet) throws TopoException {
        ProtoFiles c = cell(tablet.getAlias().getCell());
        c.create(tabletPath(c, tablet.getAlias()), tablet);
    }

    public Versioned<Tablet> getTablet(TabletAlias alias) throws TopoException {
        ProtoFiles c = cell(alias.getCell());
        return c.get(tabletPath(c, alias), Tablet.parser());
    }

    public Version updateTablet(Tablet tablet, Version expected) throws TopoException {
        ProtoFiles c = cell(tablet.getAlias().getCell());
        return c.update(tabletPath(c, tablet.getAlias()), tablet, expected);
    }

    public Versioned<Tablet> updateTabletFields(TabletAlias alias, ProtoFiles.Change<Tablet> change)
            throws TopoException {
        ProtoFiles c = cell(alias.getCell());
        return c.update(tabletPath(c, alias), Tablet.parser(), null, change);
    }

    public void deleteTablet(TabletAlias alias) throws TopoException {
        ProtoFiles c = cell(alias.getCell());
        c.conn().delete(tabletPath(c, alias), null);
    }

    /** The aliases of every tablet in a cell, sorted. */
    public List<TabletAlias> getTabletAliasesByCell(String cell) throws TopoException {
        ProtoFiles c = cell(cell);
        List<TabletAlias> out = new ArrayList<>();
        for (String name : namesOrEmpty(c.conn(), c.path("tablets"))) {
            out.add(TabletAliases.parse(name));
        }
        return out;
    }

    /** Every tablet record in a cell; a tablet deleted while listing is skipped. */
    public List<Tablet> getTabletsByCell(String cell) throws TopoException {
        List<Tablet> out = new ArrayList<>();
        for (TabletAlias alias : getTabletAliasesByCell(cell)) {
            try {
                out.add(getTablet(alias).value());
            } catch (TopoException e) {
                if (!e.is(TopoException.Code.NO_NODE)) {
                    throw e;
                }
            }
        }
        return out;
    }

    /** The tablets of a shard in every cell, found through each cell's ShardReplication. */
    public List<Tablet> getTabletsByShard(String keyspace, String shard) throws TopoException {
        List<Tablet> out = new ArrayList<>();
        for (String cell : getCellInfoNames()) {
            ShardReplication sr;
            try {
                sr = getShardReplication(cell, keyspace, shard).value();
            } catch (TopoException e) {
                if (e.is(TopoException.Code.NO_NODE)) {
                    continue;
                }
                throw e;
            }
            for (ShardReplication.Node node : sr.getNodesList()) {
                try {
                    out.add(getTablet(node.getTabletAlias()).value());
                } catch (TopoException e) {
                    if (!e.is(TopoException.Code.NO_NODE)) {
                        throw e;
                    }
                }
            }
        }
        return out;
    }

    private static String tabletPath(ProtoFiles c, TabletAlias alias) {
        return c.path("tablets", TabletAliases.format(alias), "Tablet");
    }

    // ---- shard replication ----

    public Versioned<ShardReplication> getShardReplication(String cell, String keyspace, String shard)
            throws TopoException {
        ProtoFiles c = cell(cell);
        return c.get(shardReplicationPath(c, keyspace, shard), ShardReplication.parser());
    }

    public Versioned<ShardReplication> updateShardReplicationFields(String cell, String keyspace, String shard,
            ProtoFiles.Change<ShardReplication> change) throws TopoException {
        ProtoFiles c = cell(cell);
        return c.update(shardReplicationPath(c, keyspace, shard), ShardReplication.parser(),
                ShardReplication.getDefaultInstance(), change);
    }

    /** Adds a tablet to its shard's replication graph in its cell (no-op if already there). */
    public void addShardReplicationNode(String keyspace, String shard, TabletAlias alias) throws TopoException {
        updateShardReplicationFields(alias.getCell(), keyspace, shard, sr -> {
            for (ShardReplication.Node n : sr.getNodesList()) {
                if (n.getTabletAlias().equals(alias)) {
                    return sr;
                }
            }
            return sr.toBuilder().addNodes(ShardReplication.Node.newBuilder().setTabletAlias(alias)).build();
        });
    }

    /** Removes a tablet from its shard's replication graph in its cell (no-op if absent). */
    public void removeShardReplicationNode(String keyspace, String shard, TabletAlias alias) throws TopoException {
        updateShardReplicationFields(alias.getCell(), keyspace, shard, sr -> {
            ShardReplication.Builder b = ShardReplication.newBuilder();
            boolean found = false;
            for (ShardReplication.Node n : sr.getNodesList()) {
                if (n.getTabletAlias().equals(alias)) {
                    found = true;
                } else {
                    b.addNodes(n);
                }
            }
            return found ? b.build() : sr;
        });
    }

    /** Deletes a shard's replication graph in a cell (when the shard itself is deleted). {@code NO_NODE} if absent. */
    public void deleteShardReplication(String cell, String keyspace, String shard) throws TopoException {
        ProtoFiles c = cell(cell);
        c.conn().delete(shardReplicationPath(c, keyspace, shard), null);
    }

    private static String shardReplicationPath(ProtoFiles c, String keyspace, String shard) {
        return c.path("keyspaces", keyspace, "shards", shard, "ShardReplication");
    }

    // ---- serving graph ----

    public Versioned<SrvKeyspace> getSrvKeyspace(String cell, String keyspace) throws TopoException {
        ProtoFiles c = cell(cell);
        return c.get(c.path("keyspaces", keyspace, "SrvKeyspace"), SrvKeyspace.parser());
    }

    /** Writes a cell's serving graph of a keyspace (rebuilt wholesale, so the write is unconditional). */
    public Version updateSrvKeyspace(String cell, String keyspace, SrvKeyspace value) throws TopoException {
        ProtoFiles c = cell(cell);
        return c.update(c.path("keyspaces", keyspace, "SrvKeyspace"), value, null);
    }

    public void deleteSrvKeyspace(String cell, String keyspace) throws TopoException {
        ProtoFiles c = cell(cell);
        c.conn().delete(c.path("keyspaces", keyspace, "SrvKeyspace"), null);
    }

    /** The keyspaces with a serving graph in a cell, sorted. */
    public List<String> getSrvKeyspaceNames(String cell) throws TopoException {
        ProtoFiles c = cell(cell);
        List<String> out = new ArrayList<>();
        for (String ks : namesOrEmpty(c.conn(), c.path("keyspaces"))) {
            if (exists(c.conn(), c.path("keyspaces", ks, "SrvKeyspace"))) {
                out.add(ks);
            }
        }
        return out;
    }

    /** Watches a cell's serving graph of a keyspace. */
    public ProtoWatch<SrvKeyspace> watchSrvKeyspace(String cell, String keyspace,
            ProtoWatch.Listener<SrvKeyspace> listener) throws TopoException {
        ProtoFiles c = cell(cell);
        return ProtoWatch.start(c.conn(), c.path("keyspaces", keyspace, "SrvKeyspace"), SrvKeyspace.parser(), listener);
    }

    public Versioned<SrvVSchema> getSrvVSchema(String cell) throws TopoException {
        ProtoFiles c = cell(cell);
        return c.get(c.path("SrvVSchema"), SrvVSchema.parser());
    }

    public Version updateSrvVSchema(String cell, SrvVSchema value) throws TopoException {
        ProtoFiles c = cell(cell);
        return c.update(c.path("SrvVSchema"), value, null);
    }

    /** Watches a cell's SrvVSchema. */
    public ProtoWatch<SrvVSchema> watchSrvVSchema(String cell, ProtoWatch.Listener<SrvVSchema> listener)
            throws TopoException {
        ProtoFiles c = cell(cell);
        return ProtoWatch.start(c.conn(), c.path("SrvVSchema"), SrvVSchema.parser(), listener);
    }

    // ---- VSchema and routing rules ----

    public Versioned<io.tessera.proto.vschema.Keyspace> getVSchema(String keyspace) throws TopoException {
        return global.get(global.path("keyspaces", keyspace, "VSchema"), io.tessera.proto.vschema.Keyspace.parser());
    }

    /** Stores a keyspace's VSchema (unconditionally: ApplyVSchema replaces it whole). */
    public Version saveVSchema(String keyspace, io.tessera.proto.vschema.Keyspace value) throws TopoException {
        getKeyspace(keyspace);
        return global.update(global.path("keyspaces", keyspace, "VSchema"), value, null);
    }

    /** The routing rules, or empty rules if none were ever saved. */
    public RoutingRules getRoutingRules() throws TopoException {
        try {
            return global.get(global.path("RoutingRules"), RoutingRules.parser()).value();
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                return RoutingRules.getDefaultInstance();
            }
            throw e;
        }
    }

    public Version saveRoutingRules(RoutingRules rules) throws TopoException {
        return global.update(global.path("RoutingRules"), rules, null);
    }

    // ---- locks ----

    /**
     * Locks a keyspace (for rebuilding its serving graph, schema changes, traffic switches). The lock says who
     * holds it and for what.
     *
     * @throws TopoException {@code NO_NODE} if the keyspace does not exist; {@code TIMEOUT} if someone else held
     *     it for the whole wait
     */
    public LockHandle lockKeyspace(String keyspace, String action) throws TopoException {
        getKeyspace(keyspace);
        return global.conn().lock(global.path("keyspaces", keyspace), LockDescriptor.forThisProcess(action).toJson(),
                lockOptions);
    }

    /**
     * Locks a shard (for reparents and every change of its primary). Holders call {@link LockHandle#check()}
     * between steps.
     *
     * @throws TopoException {@code NO_NODE} if the shard does not exist; {@code TIMEOUT} if someone else held it
     *     for the whole wait
     */
    public LockHandle lockShard(String keyspace, String shard, String action) throws TopoException {
        getShard(keyspace, shard);
        return global.conn().lock(global.path("keyspaces", keyspace, "shards", shard),
                LockDescriptor.forThisProcess(action).toJson(), lockOptions);
    }

    @Override
    public void close() {
        for (TopoConn c : cellConns.values()) {
            c.close();
        }
        cellConns.clear();
        global.conn().close();
    }

    // ---- helpers ----

    private static List<String> names(TopoConn conn, String dir) throws TopoException {
        List<String> out = new ArrayList<>();
        for (DirEntry e : conn.listDir(dir)) {
            if (!e.name().equals(TopoPaths.LOCKS_DIR)) {
                out.add(e.name());
            }
        }
        return out;
    }

    private static List<String> namesOrEmpty(TopoConn conn, String dir) throws TopoException {
        try {
            return names(conn, dir);
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                return List.of();
            }
            throw e;
        }
    }

    private static boolean exists(TopoConn conn, String path) throws TopoException {
        try {
            conn.get(path);
            return true;
        } catch (TopoException e) {
            if (e.is(TopoException.Code.NO_NODE)) {
                return false;
            }
            throw e;
        }
    }

    private static void checkName(String what, String name) throws TopoException {
        if (name == null || !NAME.matcher(name).matches() || name.equals(TopoPaths.LOCKS_DIR)) {
            throw invalid("invalid " + what + " name '" + name
                    + "': use letters, digits, '_', '-' and '.', starting with a letter, digit or '_'");
        }
    }

    private static TopoException invalid(String message) {
        return new TopoException(TopoException.Code.INVALID_ARGUMENT, "", message);
    }

    private static String stripSlashes(String root) {
        String r = root;
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
