package io.tessera.ctld.reparent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.tessera.proto.tabletmanagerdata.PrimaryPositionRequest;
import io.tessera.proto.tabletmanagerdata.WaitForPositionRequest;
import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.EmergencyReparentShardRequest;
import io.tessera.proto.vtctldata.InitShardPrimaryRequest;
import io.tessera.proto.vtctldata.PlannedReparentShardRequest;
import io.tessera.proto.vttime.Duration;
import io.tessera.tablet.manager.TabletManager;
import io.tessera.tablet.manager.TabletManagerBuilder;
import io.tessera.tablet.mysqlctl.DbCredentials;
import io.tessera.tablet.mysqlctl.ManagedMysqld;
import io.tessera.tablet.mysqlctl.ManagedMysqldConfig;
import io.tessera.tabletmanager.TabletManagerClients;
import io.tessera.tabletmanager.TabletManagerGrpcService;
import io.tessera.testing.FreePorts;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConnFactory;
import io.tessera.topo.TopoServer;
import io.tessera.topo.memory.MemoryTopoStore;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reparent workflows against three real tablet managers over managed MariaDB 10.11 (100 and 101 REPLICA, 102
 * RDONLY, keyspace {@code semi_sync}), reached over gRPC exactly as the control daemon reaches them. One trio for
 * the whole class; the steps build on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ReparentMariadbTest {
    private static final String KS = "commerce";
    private static final String SHARD = "0";
    private static final String TABLE = "vt_commerce.item";

    private Path root;

    private TopoServer topo;
    private final Map<Integer, ManagedMysqld> mysqlds = new LinkedHashMap<>();
    private final Map<Integer, Server> servers = new LinkedHashMap<>();
    private final ExecutorService rpcExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final TabletManagerClients clients = new TabletManagerClients(java.time.Duration.ofSeconds(60));
    private ReparentService service;
    private final AtomicInteger nextId = new AtomicInteger();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        root = dir;
        topo = new TopoServer(new MemoryTopoStore().connect(), new TopoConnFactory(java.util.List.of()),
                LockOptions.DEFAULT);
        topo.ensureCell("zone1");
        topo.createKeyspace(KS, Keyspace.newBuilder().setDurabilityPolicy("semi_sync").build());
        topo.createShard(KS, SHARD);
        add(100, TabletType.REPLICA);
        add(101, TabletType.REPLICA);
        add(102, TabletType.RDONLY);
        service = new ReparentService(topo, clients, java.time.Duration.ofSeconds(15));
    }

    private void add(int uid, TabletType type) throws Exception {
        ManagedMysqld mysqld = new ManagedMysqld(ManagedMysqldConfig.builder(uid, root).port(FreePorts.next())
                .keyspace(KS).credentials(DbCredentials.withPassword("pw")).startReadOnly(true).build());
        mysqlds.put(uid, mysqld);
        mysqld.start();
        int grpcPort = FreePorts.next();
        TabletAlias alias = alias(uid);
        topo.createTablet(Tablet.newBuilder().setAlias(alias).setHostname("127.0.0.1").putPortMap("grpc", grpcPort)
                .setKeyspace(KS).setShard(SHARD).setType(type).setMysqlHostname("127.0.0.1")
                .setMysqlPort(mysqld.endpoint().port()).build());
        topo.addShardReplicationNode(KS, SHARD, alias);
        TabletManager manager = TabletManagerBuilder.forTablet(alias).mysqld(mysqld).topo(topo).listener(s -> { })
                .build();
        servers.put(uid, NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", grpcPort))
                .executor(rpcExecutor).addService(new TabletManagerGrpcService(manager)).build().start());
    }

    @AfterAll
    void stop() throws Exception {
        clients.close();
        for (Server s : servers.values()) {
            s.shutdownNow();
            s.awaitTermination(5, TimeUnit.SECONDS);
        }
        rpcExecutor.shutdownNow();
        for (ManagedMysqld m : mysqlds.values()) {
            m.close();
        }
        if (topo != null) {
            topo.close();
        }
    }

    private static TabletAlias alias(int uid) {
        return TabletAlias.newBuilder().setCell("zone1").setUid(uid).build();
    }

    private Shard shard() throws Exception {
        return topo.getShard(KS, SHARD).value();
    }

    private TabletType type(int uid) throws Exception {
        return topo.getTablet(alias(uid)).value().getType();
    }

    private void execute(int uid, String sql) throws SQLException {
        try (Connection c = mysqlds.get(uid).dba().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private Set<Integer> ids(int uid) throws SQLException {
        Set<Integer> out = new HashSet<>();
        try (Connection c = mysqlds.get(uid).dba().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE)) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    private Set<Integer> insertRows(int primary, int count) throws SQLException {
        Set<Integer> written = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int id = nextId.incrementAndGet();
            execute(primary, "INSERT INTO " + TABLE + " VALUES (" + id + ", 'row " + id + "')");
            written.add(id);
        }
        return written;
    }

    private void awaitRows(Set<Integer> expected, int... uids) {
        for (int uid : uids) {
            await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(ids(uid)).containsAll(expected));
        }
    }

    private String sourcePortOf(int uid) throws SQLException {
        try (Connection c = mysqlds.get(uid).dba().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() ? rs.getString("Master_Port") : null;
        }
    }

    private static Duration seconds(long s) {
        return Duration.newBuilder().setSeconds(s).build();
    }

    @Test
    @Order(1)
    void initShardPrimaryMakesTheFirstPrimaryAndReplicasFollow() throws Exception {
        var response = service.initShardPrimary(InitShardPrimaryRequest.newBuilder().setKeyspace(KS).setShard(SHARD)
                .setPrimaryElectTabletAlias(alias(100)).setForce(true).build());

        assertThat(response.getEventsList()).isNotEmpty();
        assertThat(shard().getPrimaryAlias()).isEqualTo(alias(100));
        assertThat(type(100)).isEqualTo(TabletType.PRIMARY);
        execute(100, "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, v VARCHAR(32))");
        Set<Integer> rows = insertRows(100, 20);
        awaitRows(rows, 101, 102);
    }

    @Test
    @Order(2)
    void plannedReparentMovesThePrimaryAndBackWithoutLosingARow() throws Exception {
        Set<Integer> before = ids(100);
        var toReplica = service.plannedReparentShard(PlannedReparentShardRequest.newBuilder().setKeyspace(KS)
                .setShard(SHARD).setNewPrimary(alias(101)).setWaitReplicasTimeout(seconds(20)).build());
        assertThat(toReplica.getPromotedPrimary()).isEqualTo(alias(101));
        assertThat(shard().getPrimaryAlias()).isEqualTo(alias(101));
        assertThat(type(100)).isEqualTo(TabletType.REPLICA);
        assertThat(type(102)).isEqualTo(TabletType.RDONLY);
        assertThat(ids(101)).containsAll(before);
        Set<Integer> onNew = insertRows(101, 10);
        awaitRows(onNew, 100, 102);

        var back = service.plannedReparentShard(PlannedReparentShardRequest.newBuilder().setKeyspace(KS)
                .setShard(SHARD).setNewPrimary(alias(100)).setWaitReplicasTimeout(seconds(20)).build());
        assertThat(back.getPromotedPrimary()).isEqualTo(alias(100));
        assertThat(shard().getPrimaryAlias()).isEqualTo(alias(100));
        assertThat(type(101)).isEqualTo(TabletType.REPLICA);
        Set<Integer> all = new HashSet<>(before);
        all.addAll(onNew);
        all.addAll(insertRows(100, 10));
        awaitRows(all, 101, 102);
        assertThat(sourcePortOf(101)).isEqualTo(Integer.toString(mysqlds.get(100).endpoint().port()));
    }

    @Test
    @Order(3)
    void emergencyReparentAfterTheKilledPrimaryKeepsEveryAcknowledgedRow() throws Exception {
        var termBefore = shard().getPrimaryTermStartTime();
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        acknowledged.addAll(ids(100));
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (Connection c = mysqlds.get(100).app().connect(); Statement s = c.createStatement()) {
                while (!stop.get()) {
                    int id = nextId.incrementAndGet();
                    s.executeUpdate("INSERT INTO " + TABLE + " VALUES (" + id + ", 'acked " + id + "')");
                    acknowledged.add(id);
                }
            } catch (SQLException expected) {
                // The primary died under the writer.
            }
        });
        int floor = acknowledged.size();
        await().atMost(java.time.Duration.ofSeconds(60)).until(() -> acknowledged.size() >= floor + 50);

        Path pidFile = mysqlds.get(100).dir().pidFile();
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        writer.join(java.time.Duration.ofSeconds(60));
        stop.set(true);
        assertThat(writer.isAlive()).isFalse();

        var response = service.emergencyReparentShard(EmergencyReparentShardRequest.newBuilder().setKeyspace(KS)
                .setShard(SHARD).setWaitReplicasTimeout(seconds(10)).build());

        assertThat(response.getPromotedPrimary()).isEqualTo(alias(101));
        assertThat(type(101)).isEqualTo(TabletType.PRIMARY);
        assertThat(type(102)).isEqualTo(TabletType.RDONLY);
        Shard after = shard();
        assertThat(after.getPrimaryAlias()).isEqualTo(alias(101));
        assertThat(after.getPrimaryTermStartTime()).isNotEqualTo(termBefore);
        assertThat(ids(101)).containsAll(acknowledged);

        // 102 replicates from the new primary and has everything it has.
        assertThat(sourcePortOf(102)).isEqualTo(Integer.toString(mysqlds.get(101).endpoint().port()));
        String position = clients.dial(topo.getTablet(alias(101)).value())
                .primaryPosition(PrimaryPositionRequest.getDefaultInstance()).getPosition();
        clients.dial(topo.getTablet(alias(102)).value())
                .waitForPosition(WaitForPositionRequest.newBuilder().setPosition(position).build());
        assertThat(ids(102)).containsAll(acknowledged);
    }
}
