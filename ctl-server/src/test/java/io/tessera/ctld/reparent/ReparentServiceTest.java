package io.tessera.ctld.reparent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.Keyspace;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.EmergencyReparentShardRequest;
import io.tessera.proto.vtctldata.EmergencyReparentShardResponse;
import io.tessera.proto.vtctldata.InitShardPrimaryRequest;
import io.tessera.proto.vtctldata.PlannedReparentShardRequest;
import io.tessera.proto.vtctldata.PlannedReparentShardResponse;
import io.tessera.proto.vtctldata.ReparentTabletRequest;
import io.tessera.proto.vtctldata.ReparentTabletResponse;
import io.tessera.proto.vtctldata.TabletExternallyReparentedRequest;
import io.tessera.proto.vtctldata.TabletExternallyReparentedResponse;
import io.tessera.proto.vtrpc.Code;
import io.tessera.replication.Positions;
import io.tessera.topo.LockOptions;
import io.tessera.topo.TopoConnFactory;
import io.tessera.topo.TopoServer;
import io.tessera.topo.memory.MemoryTopoStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decisions of the reparent workflows, against fake tablet managers and a memory topology. */
class ReparentServiceTest {
    private static final String KS = "commerce";
    private static final String SHARD = "0";

    private TopoServer topo;
    private final Map<String, FakeTablet> tablets = new LinkedHashMap<>();
    private ReparentService service;

    @BeforeEach
    void setUp() throws Exception {
        // A short lock wait, so a second reparent gives up quickly while the first holds the lock.
        topo = new TopoServer(new MemoryTopoStore().connect(), new TopoConnFactory(List.of()),
                new LockOptions(Duration.ofSeconds(10), Duration.ofMillis(500)));
        topo.ensureCell("zone1");
        topo.createKeyspace(KS, Keyspace.newBuilder().setDurabilityPolicy("semi_sync").build());
        topo.createShard(KS, SHARD);
        service = new ReparentService(topo, t -> tablets.get(Long.toString(t.getAlias().getUid())),
                Duration.ofSeconds(2));
    }

    @AfterEach
    void tearDown() {
        topo.close();
    }

    private FakeTablet add(int uid, TabletType type, String position) throws Exception {
        TabletAlias alias = alias(uid);
        topo.createTablet(Tablet.newBuilder().setAlias(alias).setHostname("127.0.0.1").putPortMap("grpc", 1)
                .setKeyspace(KS).setShard(SHARD).setType(TabletType.REPLICA).build());
        topo.addShardReplicationNode(KS, SHARD, alias);
        FakeTablet fake = new FakeTablet(topo, alias, position, tablets);
        tablets.put(Long.toString(uid), fake);
        if (type == TabletType.PRIMARY) {
            fake.promoteReplica(io.tessera.proto.tabletmanagerdata.PromoteReplicaRequest.getDefaultInstance());
        } else if (type != TabletType.REPLICA) {
            topo.updateTabletFields(alias, t -> t.toBuilder().setType(type).build());
        }
        fake.calls.clear();
        return fake;
    }

    /** 100 primary, 101 and 103 REPLICA, 102 RDONLY, all replicating from 100. */
    private void standardShard(String p100, String p101, String p102, String p103) throws Exception {
        add(100, TabletType.PRIMARY, p100);
        add(101, TabletType.REPLICA, p101).source = alias(100);
        add(102, TabletType.RDONLY, p102).source = alias(100);
        if (p103 != null) {
            add(103, TabletType.REPLICA, p103).source = alias(100);
        }
    }

    private FakeTablet fake(int uid) {
        return tablets.get(Integer.toString(uid));
    }

    static TabletAlias alias(int uid) {
        return TabletAlias.newBuilder().setCell("zone1").setUid(uid).build();
    }

    private TabletAlias shardPrimary() throws Exception {
        return topo.getShard(KS, SHARD).value().getPrimaryAlias();
    }

    private PlannedReparentShardRequest.Builder prs() {
        return PlannedReparentShardRequest.newBuilder().setKeyspace(KS).setShard(SHARD);
    }

    private EmergencyReparentShardRequest.Builder ers() {
        return EmergencyReparentShardRequest.newBuilder().setKeyspace(KS).setShard(SHARD);
    }

    private static Code codeOf(Throwable t) {
        return ((CtldException) t).code();
    }

    // ---- PlannedReparentShard ----

    @Test
    void plannedReparentPromotesTheMostAdvancedReplicaAndNeverAnRdonly() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-8", "MariaDB/0-100-10", "MariaDB/0-100-9");

        PlannedReparentShardResponse response = service.plannedReparentShard(prs().build());

        assertThat(response.getPromotedPrimary()).isEqualTo(alias(103));
        assertThat(shardPrimary()).isEqualTo(alias(103));
        assertThat(fake(103).type()).isEqualTo(TabletType.PRIMARY);
        assertThat(fake(103).calls).contains("PromoteReplica semi_sync=true");
        assertThat(fake(102).calls).noneMatch(c -> c.startsWith("PromoteReplica"));
        // The old primary was demoted and becomes an acknowledging REPLICA; the RDONLY never acknowledges.
        assertThat(fake(100).calls).containsSubsequence("DemotePrimary", "SetReplicationSource 103 semi_sync=true");
        assertThat(fake(100).type()).isEqualTo(TabletType.REPLICA);
        assertThat(fake(102).calls).contains("SetReplicationSource 103 semi_sync=false");
        assertThat(fake(101).calls).contains("SetReplicationSource 103 semi_sync=true");
        assertThat(fake(103).calls).contains("PopulateReparentJournal");
        assertThat(response.getEventsList()).extracting(e -> e.getValue())
                .anyMatch(v -> v.contains("promoted zone1-0000000103"));
    }

    @Test
    void plannedReparentRefusesAnRdonlyNewPrimary() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-10", "MariaDB/0-100-10", null);

        assertThatThrownBy(() -> service.plannedReparentShard(prs().setNewPrimary(alias(102)).build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("RDONLY never");
        assertThat(fake(100).calls).doesNotContain("DemotePrimary");
        assertThat(shardPrimary()).isEqualTo(alias(100));
    }

    @Test
    void plannedReparentUndoesTheDemotionWhenTheCandidateDoesNotCatchUp() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-10", "MariaDB/0-100-10", null);
        fake(101).waitsAllowed.set(1); // catches up before the demotion, not after

        assertThatThrownBy(() -> service.plannedReparentShard(prs().setNewPrimary(alias(101)).build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.DEADLINE_EXCEEDED))
                .hasMessageContaining("demotion was undone");
        assertThat(fake(100).calls).containsSubsequence("DemotePrimary", "UndoDemotePrimary semi_sync=true");
        assertThat(fake(100).readOnly).isFalse();
        assertThat(fake(101).calls).noneMatch(c -> c.startsWith("PromoteReplica"));
        assertThat(shardPrimary()).isEqualTo(alias(100));
    }

    @Test
    void plannedReparentAwayFromATabletThatIsNotPrimaryDoesNothing() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-10", "MariaDB/0-100-10", null);

        PlannedReparentShardResponse response = service.plannedReparentShard(prs().setAvoidPrimary(alias(101))
                .build());

        assertThat(response.getPromotedPrimary()).isEqualTo(alias(100));
        assertThat(fake(100).calls).isEmpty();
    }

    @Test
    void plannedReparentChecksTheExpectedPrimaryAndNeedsAPrimary() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-10", "MariaDB/0-100-10", null);
        assertThatThrownBy(() -> service.plannedReparentShard(prs().setExpectedPrimary(alias(101)).build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("not the expected zone1-0000000101");

        topo.updateShardFields(KS, SHARD, s -> s.toBuilder().clearPrimaryAlias().clearPrimaryTermStartTime().build());
        assertThatThrownBy(() -> service.plannedReparentShard(prs().build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("InitShardPrimary");
        assertThat(fake(100).calls).isEmpty();
    }

    @Test
    void aSecondReparentDoesNotRunWhileTheFirstHoldsTheShardLock() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-10", "MariaDB/0-100-10", null);
        CountDownLatch gate = new CountDownLatch(1);
        fake(101).waitGate = gate;
        CompletableFuture<PlannedReparentShardResponse> first = CompletableFuture.supplyAsync(
                () -> service.plannedReparentShard(prs().setNewPrimary(alias(101)).build()));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> fake(101).calls.stream().anyMatch(c -> c.startsWith("WaitForPosition")));

        assertThatThrownBy(() -> service.emergencyReparentShard(ers().build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.ABORTED))
                .hasMessageContaining("is locked by another operation");
        assertThat(fake(102).calls).isEmpty();

        gate.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).getPromotedPrimary()).isEqualTo(alias(101));
        assertThat(shardPrimary()).isEqualTo(alias(101));
    }

    // ---- EmergencyReparentShard ----

    @Test
    void emergencyReparentCatchesTheBestReplicaUpFromAMoreAdvancedRdonlyAndPromotesIt() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-8", "MariaDB/0-100-10", "MariaDB/0-100-9");
        fake(100).reachable = false;

        EmergencyReparentShardResponse response = service.emergencyReparentShard(ers().build());

        assertThat(response.getPromotedPrimary()).isEqualTo(alias(103));
        assertThat(fake(102).calls).noneMatch(c -> c.startsWith("PromoteReplica"));
        assertThat(fake(103).calls).containsSubsequence("StopReplicationAndGetStatus IOTHREADONLY",
                "SetReplicationSource 102 semi_sync=false", "PromoteReplica semi_sync=true");
        assertThat(fake(103).position).isEqualTo(Positions.decode("MariaDB/0-100-10"));
        assertThat(fake(101).calls).contains("SetReplicationSource 103 semi_sync=true");
        assertThat(fake(102).calls).contains("SetReplicationSource 103 semi_sync=false");
        // The old primary is not touched after the promotion.
        assertThat(fake(100).calls).noneMatch(c -> c.startsWith("SetReplicationSource"));
        assertThat(shardPrimary()).isEqualTo(alias(103));
    }

    @Test
    void emergencyReparentRefusesDivergedTablets() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-8", "MariaDB/0-100-8", "MariaDB/0-103-8");
        fake(100).reachable = false;

        assertThatThrownBy(() -> service.emergencyReparentShard(ers().build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("have diverged").hasMessageContaining("MariaDB/0-103-8")
                .hasMessageContaining("Nothing was promoted");
        tablets.values().forEach(t -> assertThat(t.calls).noneMatch(c -> c.startsWith("PromoteReplica")));
        assertThat(shardPrimary()).isEqualTo(alias(100));
    }

    @Test
    void emergencyReparentNeverPromotesAnRdonly() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-8", "MariaDB/0-100-10", null);
        fake(100).reachable = false;

        assertThatThrownBy(() -> service.emergencyReparentShard(ers().addIgnoreReplicas(alias(101)).build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("RDONLY tablets never are");
        assertThatThrownBy(() -> service.emergencyReparentShard(ers().setNewPrimary(alias(102)).build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION));
        assertThat(fake(102).calls).noneMatch(c -> c.startsWith("PromoteReplica"));
    }

    @Test
    void emergencyReparentWithTheOnlyReplicaPromotesItAndWarnsThatCommitsWaitForTheOldPrimary() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-10", "MariaDB/0-100-9", null);
        fake(100).reachable = false;

        EmergencyReparentShardResponse response = service.emergencyReparentShard(ers().build());

        assertThat(response.getPromotedPrimary()).isEqualTo(alias(101));
        assertThat(response.getEventsList()).extracting(e -> e.getValue())
                .anyMatch(v -> v.contains("will wait until the old primary zone1-0000000100 is repaired"));
    }

    @Test
    void emergencyReparentWaitingForAllTabletsFailsWhenOneDoesNotAnswer() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-10", "MariaDB/0-100-10", "MariaDB/0-100-10");
        fake(100).reachable = false;
        fake(102).reachable = false;

        assertThatThrownBy(() -> service.emergencyReparentShard(ers().setWaitForAllTablets(true).build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.UNAVAILABLE))
                .hasMessageContaining("zone1-0000000102").hasMessageContaining("Nothing was promoted");
        // Without the flag, the unreachable RDONLY is tolerated.
        assertThat(service.emergencyReparentShard(ers().build()).getPromotedPrimary()).isEqualTo(alias(101));
    }

    // ---- InitShardPrimary ----

    @Test
    void initShardPrimarySetsSemiSyncPerTypeAndRecordsThePrimary() throws Exception {
        add(100, TabletType.REPLICA, "");
        add(101, TabletType.REPLICA, "");
        add(102, TabletType.RDONLY, "");

        var response = service.initShardPrimary(InitShardPrimaryRequest.newBuilder().setKeyspace(KS).setShard(SHARD)
                .setPrimaryElectTabletAlias(alias(100)).build());

        assertThat(shardPrimary()).isEqualTo(alias(100));
        assertThat(fake(100).calls).containsSubsequence("ResetReplication", "InitPrimary semi_sync=true",
                "PopulateReparentJournal");
        assertThat(fake(101).calls).containsSubsequence("ResetReplication", "InitReplica semi_sync=true");
        assertThat(fake(102).calls).containsSubsequence("ResetReplication", "InitReplica semi_sync=false");
        assertThat(response.getEventsList()).isNotEmpty();
    }

    @Test
    void initShardPrimaryRefusesAnRdonlyAnotherPrimaryAndAShardWithoutAcknowledgers() throws Exception {
        add(100, TabletType.PRIMARY, "MariaDB/0-100-5");
        add(101, TabletType.REPLICA, "MariaDB/0-100-5");
        add(102, TabletType.RDONLY, "MariaDB/0-100-5");
        InitShardPrimaryRequest.Builder init = InitShardPrimaryRequest.newBuilder().setKeyspace(KS).setShard(SHARD);

        assertThatThrownBy(() -> service.initShardPrimary(init.setPrimaryElectTabletAlias(alias(102)).build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("RDONLY never");
        assertThatThrownBy(() -> service.initShardPrimary(init.setPrimaryElectTabletAlias(alias(101)).build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("already has a primary (zone1-0000000100)");
        // Forced, a primary that still answers is not reset either.
        assertThatThrownBy(() -> service.initShardPrimary(init.setPrimaryElectTabletAlias(alias(101)).setForce(true)
                .build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("still answers");
        tablets.values().forEach(t -> assertThat(t.calls).doesNotContain("ResetReplication"));

        // Forced with the old primary gone, 101 becomes primary; 102 alone cannot acknowledge for it, though.
        fake(100).reachable = false;
        assertThatThrownBy(() -> service.initShardPrimary(init.setPrimaryElectTabletAlias(alias(101)).setForce(true)
                .build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("would block every commit");
    }

    @Test
    void aMissingShardOrTabletIsNotFound() {
        assertThatThrownBy(() -> service.plannedReparentShard(PlannedReparentShardRequest.newBuilder()
                .setKeyspace(KS).setShard("-80").build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.NOT_FOUND));
        assertThatThrownBy(() -> service.plannedReparentShard(PlannedReparentShardRequest.newBuilder()
                .setKeyspace(KS).build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.INVALID_ARGUMENT));
    }

    // ---- TabletExternallyReparented ----

    @Test
    void externallyReparentedRecordsTheNewPrimaryAndDemotesTheOldOne() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-10", "MariaDB/0-100-10", null);

        TabletExternallyReparentedResponse response = service.tabletExternallyReparented(
                TabletExternallyReparentedRequest.newBuilder().setTablet(alias(101)).build());

        assertThat(response.getNewPrimary()).isEqualTo(alias(101));
        assertThat(response.getOldPrimary()).isEqualTo(alias(100));
        assertThat(response.getKeyspace()).isEqualTo(KS);
        assertThat(shardPrimary()).isEqualTo(alias(101));
        assertThat(fake(101).calls).contains("ReplicaWasPromoted");
        assertThat(fake(100).calls).contains("ReplicaWasRestarted");
        assertThat(fake(100).type()).isEqualTo(TabletType.REPLICA);
        assertThatThrownBy(() -> service.tabletExternallyReparented(
                TabletExternallyReparentedRequest.newBuilder().setTablet(alias(102)).build()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION));
    }

    // ---- ReparentTablet ----

    private static ReparentTabletRequest repoint(int uid) {
        return ReparentTabletRequest.newBuilder().setTablet(alias(uid)).build();
    }

    @Test
    void reparentTabletPointsAReplicaAtTheShardPrimaryWithSemiSyncPerItsType() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-10", "MariaDB/0-100-10", null);
        fake(101).source = null;

        ReparentTabletResponse response = service.reparentTablet(repoint(101));

        assertThat(response.getKeyspace()).isEqualTo(KS);
        assertThat(response.getShard()).isEqualTo(SHARD);
        assertThat(response.getPrimary()).isEqualTo(alias(100));
        assertThat(fake(101).calls).containsExactly("SetReplicationSource 100 semi_sync=true");
        assertThat(fake(101).lastSourceRequest.getForceStartReplication()).isTrue();
        assertThat(fake(101).source).isEqualTo(alias(100));
        // An RDONLY never acknowledges under semi_sync.
        service.reparentTablet(repoint(102));
        assertThat(fake(102).calls).containsExactly("SetReplicationSource 100 semi_sync=false");
        assertThat(fake(102).lastSourceRequest.getForceStartReplication()).isTrue();
        // Nothing else changed: same primary, same types, no other tablet called.
        assertThat(shardPrimary()).isEqualTo(alias(100));
        assertThat(fake(100).calls).isEmpty();
        assertThat(fake(101).type()).isEqualTo(TabletType.REPLICA);
        assertThat(fake(102).type()).isEqualTo(TabletType.RDONLY);
    }

    @Test
    void reparentTabletRefusesTheShardPrimaryAndAShardWithoutAPrimary() throws Exception {
        add(101, TabletType.REPLICA, "MariaDB/0-100-10");
        assertThatThrownBy(() -> service.reparentTablet(repoint(101)))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("has no primary");

        add(100, TabletType.PRIMARY, "MariaDB/0-100-10");
        assertThatThrownBy(() -> service.reparentTablet(repoint(100)))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("is the primary of shard " + KS + "/" + SHARD);
        tablets.values().forEach(t -> assertThat(t.calls).isEmpty());
    }

    @Test
    void reparentTabletReportsAMissingTabletAnUnreachableOneAndAHeldLock() throws Exception {
        standardShard("MariaDB/0-100-10", "MariaDB/0-100-10", "MariaDB/0-100-10", null);

        assertThatThrownBy(() -> service.reparentTablet(repoint(199)))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.NOT_FOUND));
        assertThatThrownBy(() -> service.reparentTablet(ReparentTabletRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.INVALID_ARGUMENT));

        fake(101).reachable = false;
        assertThatThrownBy(() -> service.reparentTablet(repoint(101)))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.UNAVAILABLE))
                .hasMessageContaining("SetReplicationSource on zone1-0000000101");
        fake(101).reachable = true;

        // It takes the shard lock, so it waits for (and here gives up on) a reparent holding it.
        var held = topo.lockShard(KS, SHARD, "test");
        try {
            assertThatThrownBy(() -> service.reparentTablet(repoint(101)))
                    .satisfies(e -> assertThat(codeOf(e)).isEqualTo(Code.ABORTED));
        } finally {
            held.unlock();
        }
        fake(101).calls.clear();
        service.reparentTablet(repoint(101));
        assertThat(fake(101).calls).containsExactly("SetReplicationSource 100 semi_sync=true");
    }
}
