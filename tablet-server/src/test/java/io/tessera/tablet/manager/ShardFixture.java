package io.tessera.tablet.manager;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.tessera.proto.tabletmanagerdata.InitPrimaryRequest;
import io.tessera.proto.tabletmanagerdata.InitReplicaRequest;
import io.tessera.proto.tabletmanagerdata.PopulateReparentJournalRequest;
import io.tessera.proto.tabletmanagerdata.RefreshStateRequest;
import io.tessera.proto.tabletmanagerdata.ResetReplicationRequest;
import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.tablet.mysqlctl.DbCredentials;
import io.tessera.tablet.mysqlctl.ManagedMysqld;
import io.tessera.tablet.mysqlctl.ManagedMysqldConfig;
import io.tessera.tabletmanager.TabletManagerClient;
import io.tessera.tabletmanager.TabletManagerClients;
import io.tessera.tabletmanager.TabletManagerGrpcService;
import io.tessera.testing.FreePorts;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConnFactory;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.memory.MemoryTopoStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Shard {@code commerce/0} in cell {@code zone1} with three real MariaDB servers (uids 100, 101, 102), a memory
 * topology holding their Tablet records, a {@link TabletManager} per tablet served over real gRPC on a loopback
 * port, and the gRPC clients a control daemon would use. Tests drive the tablets only through
 * {@link #client(int)}, the way the control daemon will.
 */
final class ShardFixture implements AutoCloseable {
    static final String CELL = "zone1";
    static final String KEYSPACE = "commerce";
    static final String SHARD = "0";
    static final String DB = "vt_commerce";
    static final String PASSWORD = "pw";

    /** One tablet: its MySQL, manager, gRPC server and what its listener was told. */
    record Member(int uid, TabletAlias alias, TabletType initialType, ManagedMysqld mysqld, TabletManager manager,
            Server server, List<ServingState> states) {
        ServingState lastState() {
            return states.getLast();
        }
    }

    private final TopoServer topo;
    private final Map<Integer, Member> members = new LinkedHashMap<>();
    private final ExecutorService rpcExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final TabletManagerClients clients = new TabletManagerClients(Duration.ofSeconds(60));

    private ShardFixture(TopoServer topo) {
        this.topo = topo;
    }

    /**
     * Starts the three servers under {@code root} (one template datadir for all), registers them (100 and 101
     * REPLICA, 102 RDONLY) in a keyspace with the {@code semi_sync} durability policy, and serves their managers.
     */
    static ShardFixture start(Path root) throws Exception {
        TopoServer topo = new TopoServer(new MemoryTopoStore().connect(), new TopoConnFactory(List.of()),
                LockOptions.DEFAULT);
        ShardFixture fixture = new ShardFixture(topo);
        try {
            topo.ensureCell(CELL);
            topo.createKeyspace(KEYSPACE, Keyspace.newBuilder().setDurabilityPolicy("semi_sync").build());
            topo.createShard(KEYSPACE, SHARD);
            fixture.add(root, 100, TabletType.REPLICA);
            fixture.add(root, 101, TabletType.REPLICA);
            fixture.add(root, 102, TabletType.RDONLY);
        } catch (Exception | Error e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    private void add(Path root, int uid, TabletType type) throws TopoException, IOException {
        ManagedMysqld mysqld = new ManagedMysqld(ManagedMysqldConfig.builder(uid, root).port(FreePorts.next())
                .keyspace(KEYSPACE).credentials(DbCredentials.withPassword(PASSWORD)).startReadOnly(true).build());
        // Registered before starting, so close() stops it even if starting fails half-way.
        members.put(uid, new Member(uid, alias(uid), type, mysqld, null, null, List.of()));
        mysqld.start();
        int grpcPort = FreePorts.next();
        TabletAlias alias = alias(uid);
        topo.createTablet(Tablet.newBuilder().setAlias(alias).setHostname("127.0.0.1").putPortMap("grpc", grpcPort)
                .setKeyspace(KEYSPACE).setShard(SHARD).setType(type).setMysqlHostname("127.0.0.1")
                .setMysqlPort(mysqld.endpoint().port()).build());
        topo.addShardReplicationNode(KEYSPACE, SHARD, alias);
        List<ServingState> states = new CopyOnWriteArrayList<>();
        TabletManager manager = TabletManagerBuilder.forTablet(alias).mysqld(mysqld).topo(topo)
                .listener(states::add).build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", grpcPort))
                .executor(rpcExecutor).addService(new TabletManagerGrpcService(manager)).build().start();
        members.put(uid, new Member(uid, alias, type, mysqld, manager, server, states));
    }

    static TabletAlias alias(int uid) {
        return TabletAlias.newBuilder().setCell(CELL).setUid(uid).build();
    }

    TopoServer topo() {
        return topo;
    }

    Member member(int uid) {
        return members.get(uid);
    }

    /** The gRPC client of tablet {@code uid}, dialed from its topology record as the control daemon does. */
    TabletManagerClient client(int uid) throws TopoException {
        return clients.dial(topo.getTablet(alias(uid)).value());
    }

    Tablet tablet(int uid) throws TopoException {
        return topo.getTablet(alias(uid)).value();
    }

    /**
     * Puts the shard back to a fresh start and initialises it with {@code primary} as its first primary, the way
     * InitShardPrimary does, through the tablets' RPCs only: ResetReplication everywhere, InitPrimary, then the
     * reparent journal row written while the replicas are initialised and wait for it (the row can only commit
     * once a semi-sync replica acknowledges it). Tablet 101 acknowledges semi-sync, 102 (RDONLY) does not.
     *
     * @return the primary's starting position
     */
    String initShard(int primary) throws Exception {
        wipe();
        for (Member m : members.values()) {
            client(m.uid()).resetReplication(ResetReplicationRequest.getDefaultInstance());
            client(m.uid()).refreshState(RefreshStateRequest.getDefaultInstance());
            m.states().clear();
        }
        String position = client(primary).initPrimary(InitPrimaryRequest.newBuilder().setSemiSync(true).build())
                .getPosition();
        long timeCreatedNs = System.currentTimeMillis() * 1_000_000L;
        CompletableFuture<Void> journal = CompletableFuture.runAsync(() -> {
            try {
                client(primary).populateReparentJournal(PopulateReparentJournalRequest.newBuilder()
                        .setTimeCreatedNs(timeCreatedNs).setActionName("InitShardPrimary")
                        .setPrimaryAlias(alias(primary)).setReplicationPosition(position).build());
            } catch (TopoException e) {
                throw new IllegalStateException(e);
            }
        }, rpcExecutor);
        for (Member m : members.values()) {
            if (m.uid() != primary) {
                client(m.uid()).initReplica(InitReplicaRequest.newBuilder().setParent(alias(primary))
                        .setReplicationPosition(position).setTimeCreatedNs(timeCreatedNs)
                        .setSemiSync(m.initialType() == TabletType.REPLICA).build());
            }
        }
        journal.get(60, TimeUnit.SECONDS);
        return position;
    }

    /**
     * Test-only cleanup behind the tablets' backs: semi-sync and replication off, identical empty databases on
     * every server (unlogged, so no server gets GTIDs of its own), every tablet back to its first type, and no
     * primary or tablet controls on the shard.
     */
    private void wipe() throws Exception {
        for (Member m : members.values()) {
            try (Connection c = m.mysqld().dba().connect(); Statement s = c.createStatement()) {
                s.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
                s.execute("SET GLOBAL rpl_semi_sync_slave_enabled = OFF");
                s.execute("STOP SLAVE");
                s.execute("RESET SLAVE ALL");
                s.execute("SET GLOBAL read_only = ON");
                s.execute("SET SESSION sql_log_bin = 0");
                s.execute("DROP DATABASE IF EXISTS " + DB);
                s.execute("CREATE DATABASE " + DB);
                s.execute("DROP TABLE IF EXISTS _vt.reparent_journal");
            }
            topo.updateTabletFields(m.alias(), t -> t.toBuilder().setType(m.initialType())
                    .clearPrimaryTermStartTime().build());
        }
        topo.updateShardFields(KEYSPACE, SHARD, s -> s.toBuilder().clearPrimaryAlias().clearPrimaryTermStartTime()
                .clearTabletControls().build());
    }

    /** Runs SQL on tablet {@code uid}'s MySQL as the dba user, outside the manager (for checks only). */
    List<List<String>> dbaQuery(int uid, String sql) throws SQLException {
        try (Connection c = members.get(uid).mysqld().dba().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    String dbaValue(int uid, String sql) throws SQLException {
        List<List<String>> rows = dbaQuery(uid, sql);
        return rows.isEmpty() ? null : rows.getFirst().getFirst();
    }

    void dbaExecute(int uid, String sql) throws SQLException {
        try (Connection c = members.get(uid).mysqld().dba().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        clients.close();
        for (Member m : members.values()) {
            if (m.server() != null) {
                m.server().shutdownNow();
                try {
                    m.server().awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        rpcExecutor.shutdownNow();
        for (Member m : members.values()) {
            m.mysqld().close();
        }
        topo.close();
    }
}
