package io.tessera.gate.discovery;

import static io.tessera.gate.discovery.FakeCluster.execute;
import static io.tessera.gate.discovery.FakeCluster.inRotation;
import static io.tessera.gate.discovery.FakeCluster.query;
import static io.tessera.gate.discovery.FakeCluster.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.buffer.BufferConfig;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.ReleaseRequest;
import io.tessera.proto.query.ReserveBeginExecuteRequest;
import io.tessera.proto.query.ReserveExecuteRequest;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.KeyRange;
import io.tessera.proto.topodata.ShardReference;
import io.tessera.proto.topodata.SrvKeyspace;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtrpc.Code;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing through the gateway to in-process fake tablets: selection, rotation, retries and refusals. */
class DiscoveryGatewayTest {
    private FakeCluster cluster;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new FakeCluster();
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    private List<FakeTablet> replicas(int count) throws Exception {
        List<FakeTablet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FakeTablet t = cluster.tablet("zone1", 101 + i, TabletType.REPLICA);
            t.serving(TabletType.REPLICA, 0);
            out.add(t);
        }
        return out;
    }

    private static Map<String, Integer> spread(DiscoveryGateway gateway, int requests) {
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            hits.merge(execute(gateway, TabletType.REPLICA), 1, Integer::sum);
        }
        return hits;
    }

    @Test
    void replicasShareTheLoad() throws Exception {
        List<FakeTablet> r = replicas(3);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 3);

        Map<String, Integer> hits = spread(gateway, 30);

        assertThat(hits).containsOnlyKeys(r.get(0).name(), r.get(1).name(), r.get(2).name());
        assertThat(cluster.metric("tessera_gate_tablet_queries_total", Map.of("keyspace", FakeCluster.KEYSPACE,
                "shard", FakeCluster.SHARD, "type", "replica", "tablet", r.get(0).name())))
                .isEqualTo((double) hits.get(r.get(0).name()));
    }

    @Test
    void aReplicaThatStopsServingLeavesRotationAndComesBack() throws Exception {
        List<FakeTablet> r = replicas(3);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 3);

        r.get(1).notServing();
        await().until(() -> !inRotation(gateway, TabletType.REPLICA).contains(r.get(1).alias));
        assertThat(spread(gateway, 12)).containsOnlyKeys(r.get(0).name(), r.get(2).name());

        r.get(1).serving(TabletType.REPLICA, 0);
        await().until(() -> inRotation(gateway, TabletType.REPLICA).contains(r.get(1).alias));
        assertThat(spread(gateway, 12)).containsKey(r.get(1).name());
    }

    @Test
    void aReplicaWithAHealthErrorLeavesRotationAndComesBack() throws Exception {
        List<FakeTablet> r = replicas(2);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 2);

        // Still says serving, but reports an error: not a candidate.
        r.get(0).report(TabletType.REPLICA, true, 0, "replication is not running", 0);
        await().until(() -> !inRotation(gateway, TabletType.REPLICA).contains(r.get(0).alias));
        assertThat(gateway.tablets().getFirst().healthError()).isEqualTo("replication is not running");
        assertThat(spread(gateway, 6)).containsOnlyKeys(r.get(1).name());

        r.get(0).serving(TabletType.REPLICA, 0);
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 2);
    }

    @Test
    void aLaggingReplicaLeavesRotationWhileOthersCanServe() throws Exception {
        List<FakeTablet> r = replicas(3);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 3);

        r.get(2).serving(TabletType.REPLICA, 100); // past the 30 s low mark, two others at 0

        await().until(() -> !inRotation(gateway, TabletType.REPLICA).contains(r.get(2).alias));
        assertThat(inRotation(gateway, TabletType.REPLICA)).containsExactly(r.get(0).alias, r.get(1).alias);
        assertThat(spread(gateway, 10)).doesNotContainKey(r.get(2).name());

        r.get(2).serving(TabletType.REPLICA, 1);
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 3);
    }

    @Test
    void theMinimumServingFloorKeepsTheLeastLagged() throws Exception {
        List<FakeTablet> r = replicas(3);
        DiscoveryGateway gateway = cluster.gateway(FakeCluster.config().withLagFilter(Duration.ofSeconds(30),
                Duration.ofHours(2), 2, false), BufferConfig.defaults());
        r.get(0).serving(TabletType.REPLICA, 300);
        r.get(1).serving(TabletType.REPLICA, 100);
        r.get(2).serving(TabletType.REPLICA, 200);

        // All lag past the low mark; the two least lagged still serve.
        await().until(() -> inRotation(gateway, TabletType.REPLICA).equals(List.of(r.get(1).alias, r.get(2).alias)));
        assertThat(spread(gateway, 10)).containsOnlyKeys(r.get(1).name(), r.get(2).name());
    }

    @Test
    void theLocalCellIsPreferredWhileItHasTablets() throws Exception {
        FakeTablet local = cluster.tablet("zone1", 101, TabletType.RDONLY);
        FakeTablet remote = cluster.tablet("zone2", 201, TabletType.RDONLY);
        local.serving(TabletType.RDONLY, 0);
        remote.serving(TabletType.RDONLY, 0);
        DiscoveryGateway gateway = cluster.gateway(FakeCluster.config().withCellsToWatch(List.of("zone1", "zone2")),
                BufferConfig.defaults());
        await().until(() -> inRotation(gateway, TabletType.RDONLY).contains(local.alias));
        await().until(() -> gateway.tablets().stream().allMatch(h -> h.lastReport() != null));

        assertThat(inRotation(gateway, TabletType.RDONLY)).containsExactly(local.alias);
        for (int i = 0; i < 4; i++) {
            assertThat(execute(gateway, TabletType.RDONLY)).isEqualTo(local.name());
        }

        local.notServing();
        await().until(() -> inRotation(gateway, TabletType.RDONLY).equals(List.of(remote.alias)));
        assertThat(execute(gateway, TabletType.RDONLY)).isEqualTo(remote.name());
    }

    @Test
    void theNewestPrimaryTermWinsAndAnOlderOneIsNeverUsed() throws Exception {
        FakeTablet old = cluster.tablet("zone1", 101, TabletType.PRIMARY);
        FakeTablet current = cluster.tablet("zone1", 102, TabletType.PRIMARY);
        old.primary(1000);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.PRIMARY).contains(old.alias));
        assertThat(execute(gateway, TabletType.PRIMARY)).isEqualTo(old.name());

        current.primary(2000);
        await().until(() -> inRotation(gateway, TabletType.PRIMARY).equals(List.of(current.alias)));
        for (int i = 0; i < 4; i++) {
            assertThat(execute(gateway, TabletType.PRIMARY)).isEqualTo(current.name());
        }

        // The newer primary stops serving; the older one still claims to serve, but its term is over.
        current.report(TabletType.PRIMARY, false, 0, "", 2000);
        old.primary(1000);
        await().until(() -> inRotation(gateway, TabletType.PRIMARY).isEmpty());
        int oldCalls = old.queries.calls();
        assertThatThrownBy(() -> execute(gateway, TabletType.PRIMARY))
                .isInstanceOfSatisfying(TesseraException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NO_HEALTHY_TABLET));
        assertThat(old.queries.calls()).isEqualTo(oldCalls);
    }

    @Test
    void aReplicaReadIsRetriedOnAnotherTabletAfterAClusterEvent() throws Exception {
        List<FakeTablet> r = replicas(2);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 2);
        r.get(0).queries.failWith(() -> TesseraException.of(ErrorKind.NOT_SERVING, r.get(0).name(), "shutting down"));

        for (int i = 0; i < 6; i++) {
            assertThat(execute(gateway, TabletType.REPLICA)).isEqualTo(r.get(1).name());
        }
        assertThat(r.get(0).queries.calls()).isPositive(); // it was tried, and the read went on elsewhere
    }

    @Test
    void routeNowPicksATabletInRotationAndSaysWhichRefusalsRoutingRetries() throws Exception {
        List<FakeTablet> r = replicas(2);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 2);
        Target replica = FakeCluster.query(TabletType.REPLICA, "select 1").getTarget();

        RoutedTablet routed = gateway.routeNow(replica);
        assertThat(routed).isNotNull();
        assertThat(List.of(r.get(0).name(), r.get(1).name())).contains(TabletAliases.format(routed.alias()));
        String answeredBy = routed.service().executeAsync(FakeCluster.query(TabletType.REPLICA, "select 1"))
                .get(20, TimeUnit.SECONDS).getResult().getInfo();
        assertThat(answeredBy).isEqualTo(TabletAliases.format(routed.alias()));

        // Nothing in rotation for PRIMARY: the caller must take the blocking way.
        assertThat(gateway.routeNow(FakeCluster.query(TabletType.PRIMARY, "select 1").getTarget())).isNull();

        TesseraException notServing = TesseraException.of(ErrorKind.NOT_SERVING, "x", "shutting down");
        TesseraException unreachable = TesseraException.uncatalogued(Code.UNAVAILABLE, 2013, "HY000", "", "gone",
                null);
        TesseraException noTable = TesseraException.mysql(1146, "42S02", "Table 'x' doesn't exist", null);
        Target primary = FakeCluster.query(TabletType.PRIMARY, "select 1").getTarget();
        assertThat(gateway.mayRouteAgain(replica, notServing)).isTrue();
        assertThat(gateway.mayRouteAgain(replica, unreachable)).isTrue();
        assertThat(gateway.mayRouteAgain(replica, noTable)).isFalse();
        assertThat(gateway.mayRouteAgain(primary, notServing)).isTrue();
        TesseraException readOnly = TesseraException.of(ErrorKind.WRITE_ON_NON_PRIMARY, "x", "replica");
        assertThat(gateway.mayRouteAgain(primary, readOnly)).isTrue();
        // The statement may have run on a primary that went away: never sent again.
        assertThat(gateway.mayRouteAgain(primary, unreachable)).isFalse();
        assertThat(gateway.mayRouteAgain(primary, noTable)).isFalse();
    }

    @Test
    void aReplicaReadFailsWhenEveryTabletRefuses() throws Exception {
        List<FakeTablet> r = replicas(2);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 2);
        for (FakeTablet t : r) {
            t.queries.failWith(() -> TesseraException.of(ErrorKind.NOT_SERVING, t.name(), "shutting down"));
        }

        assertThatThrownBy(() -> execute(gateway, TabletType.REPLICA))
                .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.code()).isEqualTo(Code.CLUSTER_EVENT));
        assertThat(r.get(0).queries.calls() + r.get(1).queries.calls()).isEqualTo(2);
    }

    @Test
    void otherErrorsAreNotRetried() throws Exception {
        List<FakeTablet> r = replicas(2);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 2);
        for (FakeTablet t : r) {
            t.queries.failWith(() -> TesseraException.mysql(1146, "42S02", "Table 'x' doesn't exist", null));
        }

        assertThatThrownBy(() -> execute(gateway, TabletType.REPLICA))
                .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.mysqlErrno()).isEqualTo(1146));
        assertThat(r.get(0).queries.calls() + r.get(1).queries.calls()).isEqualTo(1);
    }

    @Test
    void aStreamedReadIsRetriedOnlyBeforeItsFirstChunk() throws Exception {
        List<FakeTablet> r = replicas(2);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 2);
        StreamExecuteRequest request = StreamExecuteRequest.newBuilder().setTarget(target(TabletType.REPLICA))
                .setQuery(BoundQuery.newBuilder().setSql("select * from t")).build();
        r.get(0).queries.failWith(() -> TesseraException.of(ErrorKind.NOT_SERVING, r.get(0).name(), "going away"));

        // Refused before any row: every stream ends up complete on the other tablet.
        for (int i = 0; i < 4; i++) {
            List<QueryResult> chunks = new ArrayList<>();
            gateway.streamExecute(request, chunks::add);
            assertThat(chunks).hasSize(2);
            assertThat(chunks.getFirst().getInfo()).isEqualTo(r.get(1).name());
        }

        // Failing after the first chunk: the consumer already has data, so the error goes back.
        r.get(0).queries.failAfterFirstChunk(true);
        r.get(1).queries.failAfterFirstChunk(true);
        r.get(1).queries.failWith(() -> TesseraException.of(ErrorKind.NOT_SERVING, r.get(1).name(), "going away"));
        List<QueryResult> chunks = new ArrayList<>();
        int before = r.get(0).queries.calls() + r.get(1).queries.calls();
        assertThatThrownBy(() -> gateway.streamExecute(request, chunks::add))
                .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.code()).isEqualTo(Code.CLUSTER_EVENT));
        assertThat(chunks).hasSize(1);
        assertThat(r.get(0).queries.calls() + r.get(1).queries.calls()).isEqualTo(before + 1);
    }

    @Test
    void noTabletInRotationIsNoHealthyTablet() throws Exception {
        FakeTablet replica = cluster.tablet("zone1", 101, TabletType.REPLICA);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> replica.health.openStreams() == 1);

        for (TabletType type : List.of(TabletType.REPLICA, TabletType.PRIMARY, TabletType.RDONLY)) {
            assertThatThrownBy(() -> execute(gateway, type))
                    .isInstanceOfSatisfying(TesseraException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.NO_HEALTHY_TABLET);
                        assertThat(e.getMessage()).contains(FakeCluster.KEYSPACE + "/" + FakeCluster.SHARD);
                    });
        }
        assertThatThrownBy(() -> gateway.execute(ExecuteRequest.newBuilder()
                .setQuery(BoundQuery.newBuilder().setSql("select 1")).build()))
                .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
    }

    @Test
    void routingRefusesRequestsPinnedToATablet() throws Exception {
        FakeTablet primary = cluster.tablet("zone1", 101, TabletType.PRIMARY);
        primary.primary(1000);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.PRIMARY).contains(primary.alias));
        BoundQuery sql = BoundQuery.newBuilder().setSql("select 1").build();

        List<Runnable> pinned = List.of(
                () -> gateway.execute(query(TabletType.PRIMARY, "select 1").toBuilder().setTransactionId(7).build()),
                () -> gateway.execute(query(TabletType.PRIMARY, "select 1").toBuilder().setReservedId(7).build()),
                () -> gateway.streamExecute(StreamExecuteRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                        .setQuery(sql).setTransactionId(7).build(), chunk -> {}),
                () -> gateway.beginExecute(BeginExecuteRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                        .setQuery(sql).setReservedId(7).build()),
                () -> gateway.reserveExecute(ReserveExecuteRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                        .setQuery(sql).setTransactionId(7).build()),
                () -> gateway.commit(CommitRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                        .setTransactionId(7).build()),
                () -> gateway.rollback(RollbackRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                        .setTransactionId(7).build()),
                () -> gateway.release(ReleaseRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                        .setReservedId(7).build()));
        for (Runnable call : pinned) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(TesseraException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
        }
        assertThat(primary.queries.calls()).isZero();
    }

    @Test
    void openingCallsNameTheTabletAndPinnedCallsGoThroughIt() throws Exception {
        FakeTablet primary = cluster.tablet("zone1", 101, TabletType.PRIMARY);
        primary.primary(1000);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.PRIMARY).contains(primary.alias));
        BoundQuery sql = BoundQuery.newBuilder().setSql("select 1").build();

        var begun = gateway.begin(BeginRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).build());
        assertThat(begun.getTabletAlias()).isEqualTo(primary.alias);
        assertThat(gateway.beginExecute(BeginExecuteRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setQuery(sql).build()).getTabletAlias()).isEqualTo(primary.alias);
        assertThat(gateway.reserveExecute(ReserveExecuteRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setQuery(sql).build()).getTabletAlias()).isEqualTo(primary.alias);
        assertThat(gateway.reserveBeginExecute(ReserveBeginExecuteRequest.newBuilder()
                .setTarget(target(TabletType.PRIMARY)).setQuery(sql).build()).getTabletAlias())
                .isEqualTo(primary.alias);

        gateway.tablet(begun.getTabletAlias()).commit(CommitRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setTransactionId(begun.getTransactionId()).build());
        assertThat(primary.queries.calls()).isEqualTo(5);

        TabletAlias unknown = TabletAlias.newBuilder().setCell("zone1").setUid(999).build();
        assertThatThrownBy(() -> gateway.tablet(unknown)).isInstanceOfSatisfying(TesseraException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_SERVING));
    }

    @Test
    void keyspacesAndShardsComeFromTabletsAndTheServingGraph() throws Exception {
        DiscoveryGateway gateway = cluster.gateway();
        // A fresh topology: no SrvKeyspace, no tablets.
        assertThat(gateway.keyspaces()).isEmpty();
        assertThat(gateway.shards("customer")).isEmpty();
        gateway.close();

        FakeTablet tablet = cluster.tablet("zone1", 101, TabletType.REPLICA);
        cluster.topo.updateSrvKeyspace("zone1", "customer", SrvKeyspace.newBuilder()
                .addPartitions(SrvKeyspace.KeyspacePartition.newBuilder().setServedType(TabletType.PRIMARY)
                        .addShardReferences(ShardReference.newBuilder().setName("80-")
                                .setKeyRange(KeyRange.newBuilder().setStart(com.google.protobuf.ByteString.copyFrom(
                                        new byte[] {(byte) 0x80}))))
                        .addShardReferences(ShardReference.newBuilder().setName("-80")))
                .build());
        DiscoveryGateway again = cluster.gateway();

        assertThat(again.keyspaces()).containsExactly("commerce", "customer");
        assertThat(again.shards("customer")).containsExactly("-80", "80-");
        assertThat(again.shards(FakeCluster.KEYSPACE)).containsExactly(FakeCluster.SHARD);
        assertThat(again.shards("nope")).isEmpty();
        assertThat(tablet.alias).isNotNull();
    }
}
