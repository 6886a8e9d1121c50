package io.tessera.gate.discovery;

import static io.tessera.gate.discovery.FakeCluster.inRotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.gate.buffer.BufferConfig;
import io.tessera.proto.topodata.ShardReference;
import io.tessera.proto.topodata.SrvKeyspace;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the health check follows tablets: topology changes, health streams, breaks and silence. */
class HealthCheckTest {
    private FakeCluster cluster;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new FakeCluster();
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    @Test
    void aTabletJoinsRotationWithItsFirstServingReport() throws Exception {
        FakeTablet replica = cluster.tablet("zone1", 101, TabletType.REPLICA);
        DiscoveryGateway gateway = cluster.gateway();

        await().until(() -> replica.health.openStreams() == 1);
        TabletHealth before = gateway.tablets().getFirst();
        assertThat(before.serving()).isFalse();
        assertThat(before.lastReport()).isNull();
        assertThat(before.inRotation()).isFalse();
        assertThat(before.target().getTabletType()).isEqualTo(TabletType.REPLICA);

        replica.serving(TabletType.REPLICA, 3);
        await().until(() -> inRotation(gateway, TabletType.REPLICA).contains(replica.alias));
        TabletHealth after = gateway.tablets().getFirst();
        assertThat(after.serving()).isTrue();
        assertThat(after.replicationLagSeconds()).isEqualTo(3);
        assertThat(after.lastReport()).isNotNull();
        assertThat(cluster.metric("tessera_gate_tablets", Map.of("keyspace", FakeCluster.KEYSPACE,
                "shard", FakeCluster.SHARD, "type", "replica", "state", "in_rotation"))).isEqualTo(1.0);
        assertThat(cluster.metric("tessera_gate_tablets", Map.of("keyspace", FakeCluster.KEYSPACE,
                "shard", FakeCluster.SHARD, "type", "replica", "state", "serving"))).isEqualTo(1.0);
    }

    @Test
    void aTabletAddedLaterIsFollowed() throws Exception {
        DiscoveryGateway gateway = cluster.gateway();
        assertThat(gateway.tablets()).isEmpty();

        FakeTablet replica = cluster.tablet("zone1", 101, TabletType.REPLICA);
        replica.serving(TabletType.REPLICA, 0);

        await().until(() -> inRotation(gateway, TabletType.REPLICA).contains(replica.alias));
    }

    @Test
    void aTabletRemovedFromTheTopologyIsDroppedAndItsChannelClosed() throws Exception {
        FakeTablet a = cluster.tablet("zone1", 101, TabletType.REPLICA);
        FakeTablet b = cluster.tablet("zone1", 102, TabletType.REPLICA);
        a.serving(TabletType.REPLICA, 0);
        b.serving(TabletType.REPLICA, 0);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.REPLICA).size() == 2);

        cluster.topo.deleteTablet(b.alias);

        await().until(() -> gateway.tablets().size() == 1);
        assertThat(gateway.tablets().getFirst().tablet().getAlias()).isEqualTo(a.alias);
        assertThat(cluster.connector.channels(b.alias)).hasSize(1);
        // The tablet leaves the routing table first; its channel is shut down right after.
        await().until(() -> cluster.connector.channels(b.alias).getFirst().isShutdown());
        assertThat(cluster.connector.channels(a.alias).getFirst().isShutdown()).isFalse();
        await().until(() -> b.health.openStreams() == 0);
        for (int i = 0; i < 4; i++) {
            assertThat(FakeCluster.execute(gateway, TabletType.REPLICA)).isEqualTo(a.name());
        }
    }

    @Test
    void aTabletThatMovedIsReconnectedAtItsNewAddress() throws Exception {
        FakeTablet old = cluster.tablet("zone1", 101, TabletType.REPLICA);
        old.serving(TabletType.REPLICA, 0);
        DiscoveryGateway gateway = cluster.gateway();
        await().until(() -> inRotation(gateway, TabletType.REPLICA).contains(old.alias));

        // The same alias, now served by another process at another address.
        FakeTablet moved = new FakeTablet("zone1", 101, FakeCluster.KEYSPACE, FakeCluster.SHARD, TabletType.REPLICA);
        try {
            moved.serving(TabletType.REPLICA, 0);
            Tablet record = moved.record();
            cluster.topo.updateTabletFields(old.alias, t -> record);

            await().until(() -> cluster.connector.channels(old.alias).size() == 2);
            assertThat(cluster.connector.channels(old.alias).getFirst().isShutdown()).isTrue();
            await().until(() -> inRotation(gateway, TabletType.REPLICA).contains(old.alias));
            assertThat(FakeCluster.execute(gateway, TabletType.REPLICA)).isEqualTo(moved.name());
            assertThat(moved.queries.calls()).isEqualTo(1);
        } finally {
            gateway.close();
            moved.close();
        }
    }

    @Test
    void aBrokenStreamTakesTheTabletOutUntilItReconnects() throws Exception {
        FakeTablet replica = cluster.tablet("zone1", 101, TabletType.REPLICA);
        replica.serving(TabletType.REPLICA, 0);
        DiscoveryGateway gateway = cluster.gateway(FakeCluster.config().withIntervals(Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofMinutes(5)), BufferConfig.defaults());
        await().until(() -> inRotation(gateway, TabletType.REPLICA).contains(replica.alias));

        replica.health.breakStreams();

        // Out at once, with the reason; back after the retry delay, when the new stream delivers the latest report.
        await().until(() -> !gateway.tablets().getFirst().serving());
        TabletHealth broken = gateway.tablets().getFirst();
        assertThat(broken.healthError()).contains("health stream failed: UNAVAILABLE");
        assertThat(broken.inRotation()).isFalse();
        assertThat(cluster.metric("tessera_gate_healthcheck_errors_total", Map.of("tablet", replica.name())))
                .isEqualTo(1.0);
        await().until(() -> inRotation(gateway, TabletType.REPLICA).contains(replica.alias));
        assertThat(replica.health.subscriptions()).isEqualTo(2);
        assertThat(gateway.tablets().getFirst().healthError()).isEmpty();
        assertThat(cluster.connector.channels(replica.alias)).hasSize(1); // same channel, new stream
    }

    @Test
    void aSilentTabletIsTakenOutAfterTheTimeout() throws Exception {
        FakeTablet replica = cluster.tablet("zone1", 101, TabletType.REPLICA);
        replica.serving(TabletType.REPLICA, 0);
        DiscoveryGateway gateway = cluster.gateway(FakeCluster.config().withIntervals(Duration.ofMillis(100),
                Duration.ofMillis(100), Duration.ofMillis(500)), BufferConfig.defaults());
        await().until(() -> inRotation(gateway, TabletType.REPLICA).contains(replica.alias));

        replica.health.silent(true);

        await().until(() -> !gateway.tablets().getFirst().serving());
        assertThat(gateway.tablets().getFirst().healthError()).contains("--healthcheck_timeout");

        replica.health.silent(false);
        replica.serving(TabletType.REPLICA, 0);
        await().until(() -> inRotation(gateway, TabletType.REPLICA).contains(replica.alias));
    }

    @Test
    void onlyTheWatchedCellsAreFollowed() throws Exception {
        FakeTablet local = cluster.tablet("zone1", 101, TabletType.REPLICA);
        FakeTablet remote = cluster.tablet("zone2", 201, TabletType.REPLICA);
        local.serving(TabletType.REPLICA, 0);
        remote.serving(TabletType.REPLICA, 0);

        DiscoveryGateway gateway = cluster.gateway();

        await().until(() -> inRotation(gateway, TabletType.REPLICA).contains(local.alias));
        assertThat(gateway.tablets()).extracting(h -> h.tablet().getAlias()).containsExactly(local.alias);
        assertThat(remote.health.subscriptions()).isZero();
    }

    @Test
    void waitForTabletTypesWaitsForEveryServedShard() throws Exception {
        cluster.topo.updateSrvKeyspace("zone1", FakeCluster.KEYSPACE, SrvKeyspace.newBuilder()
                .addPartitions(SrvKeyspace.KeyspacePartition.newBuilder().setServedType(TabletType.REPLICA)
                        .addShardReferences(ShardReference.newBuilder().setName(FakeCluster.SHARD)))
                .addPartitions(SrvKeyspace.KeyspacePartition.newBuilder().setServedType(TabletType.PRIMARY)
                        .addShardReferences(ShardReference.newBuilder().setName(FakeCluster.SHARD)))
                .build());
        FakeTablet replica = cluster.tablet("zone1", 101, TabletType.REPLICA);
        DiscoveryGateway gateway = cluster.gateway();

        assertThat(gateway.waitForTabletTypes(List.of(TabletType.PRIMARY, TabletType.REPLICA), Duration.ofMillis(50)))
                .containsExactlyInAnyOrder(FakeCluster.target(TabletType.PRIMARY), FakeCluster.target(TabletType.REPLICA));

        replica.serving(TabletType.REPLICA, 0);
        assertThat(gateway.waitForTabletTypes(List.of(TabletType.REPLICA), Duration.ofSeconds(30))).isEmpty();
        assertThat(gateway.waitForTabletTypes(List.of(TabletType.PRIMARY, TabletType.REPLICA), Duration.ofMillis(50)))
                .containsExactly(FakeCluster.target(TabletType.PRIMARY));
        assertThat(gateway.waitForTabletTypes(List.of(TabletType.RDONLY), Duration.ofMillis(50))).isEmpty();
    }

    @Test
    void waitForTabletsReturnsWhatIsStillMissing() throws Exception {
        FakeTablet replica = cluster.tablet("zone1", 101, TabletType.REPLICA);
        DiscoveryGateway gateway = cluster.gateway();

        assertThat(gateway.waitForTablets(Set.of(FakeCluster.target(TabletType.REPLICA)), Duration.ofMillis(50)))
                .containsExactly(FakeCluster.target(TabletType.REPLICA));

        Thread.ofVirtual().start(() -> replica.serving(TabletType.REPLICA, 0));
        assertThat(gateway.waitForTablets(Set.of(FakeCluster.target(TabletType.REPLICA)), Duration.ofSeconds(30)))
                .isEmpty();
        assertThat(gateway.waitForTablets(Set.of(FakeCluster.target(TabletType.RDONLY)), Duration.ofMillis(50)))
                .containsExactly(FakeCluster.target(TabletType.RDONLY));
    }
}
