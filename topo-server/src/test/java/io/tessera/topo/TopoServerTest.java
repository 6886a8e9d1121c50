package io.tessera.topo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.topodata.CellInfo;
import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.Shard;
import io.tessera.proto.topodata.ShardReplication;
import io.tessera.proto.topodata.SrvKeyspace;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vschema.RoutingRule;
import io.tessera.proto.vschema.RoutingRules;
import io.tessera.proto.vschema.SrvVSchema;
import io.tessera.proto.vschema.Vindex;
import io.tessera.topo.memory.MemoryTopoStore;
import io.tessera.topo.topoproto.KeyRanges;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The typed layer over the memory backend: path layout, typed records, retries and locks. */
class TopoServerTest {
    private MemoryTopoStore store;
    private TopoServer ts;

    @BeforeEach
    void setUp() throws Exception {
        store = new MemoryTopoStore();
        ts = new TopoServer(store.connect(), new TopoConnFactory(List.of()),
                new LockOptions(Duration.ofSeconds(5), Duration.ofSeconds(2)));
        ts.ensureCell("zone1");
    }

    @AfterEach
    void tearDown() {
        ts.close();
        store.close();
    }

    private static Tablet tablet(int uid, String ks, String shard, TabletType type) {
        return Tablet.newBuilder()
                .setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(uid))
                .setHostname("localhost").putPortMap("grpc", 16000 + uid).putPortMap("vt", 15000 + uid)
                .setKeyspace(ks).setShard(shard).setKeyRange(KeyRanges.parseShardName(shard)).setType(type)
                .setMysqlHostname("127.0.0.1").setMysqlPort(17000 + uid).build();
    }

    @Test
    void recordsLiveAtTheDocumentedPaths() throws Exception {
        ts.createKeyspace("commerce", Keyspace.getDefaultInstance());
        ts.createShard("commerce", "0");
        ts.createTablet(tablet(100, "commerce", "0", TabletType.REPLICA));
        ts.addShardReplicationNode("commerce", "0", TabletAliases.parse("zone1-100"));
        ts.updateSrvKeyspace("zone1", "commerce", SrvKeyspace.getDefaultInstance());
        ts.updateSrvVSchema("zone1", SrvVSchema.getDefaultInstance());
        ts.saveVSchema("commerce", io.tessera.proto.vschema.Keyspace.getDefaultInstance());
        ts.saveRoutingRules(RoutingRules.getDefaultInstance());
        TopoConn raw = ts.globalConn();
        for (String path : List.of("global/keyspaces/commerce/Keyspace", "global/keyspaces/commerce/shards/0/Shard",
                "global/keyspaces/commerce/VSchema", "global/cells/zone1/CellInfo", "global/RoutingRules",
                "zone1/tablets/zone1-0000000100/Tablet", "zone1/keyspaces/commerce/shards/0/ShardReplication",
                "zone1/keyspaces/commerce/SrvKeyspace", "zone1/SrvVSchema")) {
            assertThat(raw.get(path).contents()).as(path).isNotNull();
        }
    }

    @Test
    void keyspacesAndShards() throws Exception {
        ts.createKeyspace("customer", Keyspace.newBuilder().setDurabilityPolicy("semi_sync").build());
        ts.createShard("customer", "-80");
        ts.createShard("customer", "80-");
        assertThat(ts.getKeyspaceNames()).containsExactly("customer");
        assertThat(ts.getKeyspace("customer").value().getDurabilityPolicy()).isEqualTo("semi_sync");
        assertThat(ts.getShardNames("customer")).containsExactly("-80", "80-");
        Shard s = ts.getShard("customer", "-80").value();
        assertThat(KeyRanges.format(s.getKeyRange())).isEqualTo("-80");
        assertThat(s.getIsPrimaryServing()).isTrue();
        assertThatThrownBy(() -> ts.createShard("customer", "-80"))
                .isInstanceOfSatisfying(TopoException.class, e -> assertThat(e.code()).isEqualTo(TopoException.Code.NODE_EXISTS));
        assertThatThrownBy(() -> ts.createShard("customer", "8-"))
                .isInstanceOfSatisfying(TopoException.class, e -> assertThat(e.code()).isEqualTo(TopoException.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> ts.createShard("nope", "0"))
                .isInstanceOfSatisfying(TopoException.class, e -> assertThat(e.code()).isEqualTo(TopoException.Code.NO_NODE));
        assertThatThrownBy(() -> ts.createKeyspace("bad/name", Keyspace.getDefaultInstance()))
                .isInstanceOfSatisfying(TopoException.class, e -> assertThat(e.code()).isEqualTo(TopoException.Code.INVALID_ARGUMENT));
    }

    @Test
    void keyspaceListSkipsDirectoriesWithoutAKeyspaceRecord() throws Exception {
        ts.createKeyspace("ks", Keyspace.getDefaultInstance());
        // A lock or a leftover file under keyspaces/other/ does not make "other" a keyspace.
        ts.globalConn().create("global/keyspaces/other/leftover", new byte[0]);
        assertThat(ts.getKeyspaceNames()).containsExactly("ks");
    }

    @Test
    void concurrentFieldUpdatesAllLand() throws Exception {
        ts.createKeyspace("ks", Keyspace.getDefaultInstance());
        ts.createShard("ks", "0");
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                TopoServer other = new TopoServer(store.connect(), new TopoConnFactory(List.of()), LockOptions.DEFAULT);
                String table = "t" + i;
                fs.add(pool.submit(() -> {
                    try (other) {
                        other.updateShardFields("ks", "0", s -> s.toBuilder().addTabletControls(
                                Shard.TabletControl.newBuilder().setTabletType(TabletType.REPLICA)
                                        .addDeniedTables(table)).build());
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ts.getShard("ks", "0").value().getTabletControlsList()).hasSize(writers);
    }

    @Test
    void unchangedRecordIsNotRewritten() throws Exception {
        ts.createKeyspace("ks", Keyspace.getDefaultInstance());
        Version before = ts.getKeyspace("ks").version();
        Versioned<Keyspace> after = ts.updateKeyspaceFields("ks", k -> k);
        assertThat(after.version()).isEqualTo(before);
    }

    @Test
    void tabletsByCellAndByShard() throws Exception {
        ts.createKeyspace("commerce", Keyspace.getDefaultInstance());
        ts.createShard("commerce", "0");
        for (int uid : new int[] {102, 100, 101}) {
            Tablet t = tablet(uid, "commerce", "0", uid == 102 ? TabletType.RDONLY : TabletType.REPLICA);
            ts.createTablet(t);
            ts.addShardReplicationNode("commerce", "0", t.getAlias());
        }
        ts.addShardReplicationNode("commerce", "0", TabletAliases.parse("zone1-100"));
        assertThat(ts.getTabletAliasesByCell("zone1")).extracting(TabletAliases::format)
                .containsExactly("zone1-0000000100", "zone1-0000000101", "zone1-0000000102");
        assertThat(ts.getShardReplication("zone1", "commerce", "0").value().getNodesList()).hasSize(3);
        assertThat(ts.getTabletsByShard("commerce", "0")).hasSize(3);

        ts.updateTabletFields(TabletAliases.parse("zone1-100"), t -> t.toBuilder().setType(TabletType.PRIMARY).build());
        assertThat(ts.getTablet(TabletAliases.parse("zone1-100")).value().getType()).isEqualTo(TabletType.PRIMARY);

        ts.removeShardReplicationNode("commerce", "0", TabletAliases.parse("zone1-101"));
        ts.deleteTablet(TabletAliases.parse("zone1-101"));
        assertThat(ts.getShardReplication("zone1", "commerce", "0").value().getNodesList())
                .extracting(ShardReplication.Node::getTabletAlias).extracting(TabletAliases::format)
                .containsExactly("zone1-0000000102", "zone1-0000000100");
        assertThat(ts.getTabletsByCell("zone1")).hasSize(2);
    }

    @Test
    void tabletInAnUnknownCellIsRefusedClearly() {
        Tablet t = tablet(5, "ks", "0", TabletType.REPLICA).toBuilder()
                .setAlias(TabletAlias.newBuilder().setCell("zone9").setUid(5)).build();
        assertThatThrownBy(() -> ts.createTablet(t)).hasMessageContaining("cell 'zone9' does not exist");
    }

    @Test
    void cellsAreListedAndGlobalIsReserved() throws Exception {
        ts.createCellInfo("zone2", CellInfo.newBuilder().setRoot("/zone2").build());
        assertThat(ts.getCellInfoNames()).containsExactly("zone1", "zone2");
        assertThat(ts.ensureCell("zone1").getRoot()).isEqualTo("zone1");
        assertThatThrownBy(() -> ts.createCellInfo("global", CellInfo.getDefaultInstance()))
                .hasMessageContaining("reserved");
    }

    @Test
    void vschemaAndRoutingRulesRoundTrip() throws Exception {
        ts.createKeyspace("customer", Keyspace.getDefaultInstance());
        io.tessera.proto.vschema.Keyspace vs = io.tessera.proto.vschema.Keyspace.newBuilder().setSharded(true)
                .putVindexes("hash", Vindex.newBuilder().setType("hash").build()).build();
        ts.saveVSchema("customer", vs);
        assertThat(ts.getVSchema("customer").value()).isEqualTo(vs);
        assertThat(ts.getRoutingRules()).isEqualTo(RoutingRules.getDefaultInstance());
        RoutingRules rr = RoutingRules.newBuilder().addRules(RoutingRule.newBuilder().setFromTable("t")
                .addToTables("customer.t")).build();
        ts.saveRoutingRules(rr);
        assertThat(ts.getRoutingRules()).isEqualTo(rr);
        assertThatThrownBy(() -> ts.saveVSchema("missing", vs))
                .isInstanceOfSatisfying(TopoException.class, e -> assertThat(e.code()).isEqualTo(TopoException.Code.NO_NODE));
    }

    @Test
    void srvKeyspaceWatchSeesRebuilds() throws Exception {
        ts.updateSrvKeyspace("zone1", "ks", SrvKeyspace.getDefaultInstance());
        List<SrvKeyspace> seen = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        try (ProtoWatch<SrvKeyspace> w = ts.watchSrvKeyspace("zone1", "ks", new ProtoWatch.Listener<>() {
            @Override
            public void onChange(Versioned<SrvKeyspace> value) {
                seen.add(value.value());
                two.countDown();
            }

            @Override
            public void onEnd(TopoException error) {}
        })) {
            assertThat(w.initial().value()).isEqualTo(SrvKeyspace.getDefaultInstance());
            for (TabletType type : new TabletType[] {TabletType.PRIMARY, TabletType.REPLICA}) {
                ts.updateSrvKeyspace("zone1", "ks", SrvKeyspace.newBuilder().addPartitions(
                        SrvKeyspace.KeyspacePartition.newBuilder().setServedType(type)).build());
            }
            assertThat(two.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).extracting(s -> s.getPartitions(0).getServedType())
                    .containsExactly(TabletType.PRIMARY, TabletType.REPLICA);
        }
        assertThat(ts.getSrvKeyspaceNames("zone1")).containsExactly("ks");
    }

    @Test
    void shardLockExcludesASecondLockerAndSaysWhoHoldsIt() throws Exception {
        ts.createKeyspace("ks", Keyspace.getDefaultInstance());
        ts.createShard("ks", "0");
        try (LockHandle lock = ts.lockShard("ks", "0", "PlannedReparentShard(ks/0)")) {
            assertThat(lock.contents()).contains("\"Action\":\"PlannedReparentShard(ks/0)\"").contains("\"Pid\":");
            assertThatThrownBy(() -> ts.lockShard("ks", "0", "EmergencyReparentShard(ks/0)"))
                    .isInstanceOfSatisfying(TopoException.class,
                            e -> assertThat(e.code()).isEqualTo(TopoException.Code.TIMEOUT));
            // The shard's lock directory does not show up as a shard.
            assertThat(ts.getShardNames("ks")).containsExactly("0");
            lock.check();
        }
        try (LockHandle again = ts.lockShard("ks", "0", "next")) {
            again.check();
        }
        assertThatThrownBy(() -> ts.lockShard("ks", "9", "x"))
                .isInstanceOfSatisfying(TopoException.class, e -> assertThat(e.code()).isEqualTo(TopoException.Code.NO_NODE));
    }
}
