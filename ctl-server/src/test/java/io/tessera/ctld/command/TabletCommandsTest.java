package io.tessera.ctld.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.ctld.CtldException;
import io.tessera.proto.replicationdata.PrimaryStatus;
import io.tessera.proto.replicationdata.Status;
import io.tessera.proto.tabletmanagerdata.ChangeTypeRequest;
import io.tessera.proto.tabletmanagerdata.PrimaryStatusResponse;
import io.tessera.proto.tabletmanagerdata.ReplicationStatusResponse;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.ChangeTabletTypeRequest;
import io.tessera.proto.vtctldata.DeleteTabletsRequest;
import io.tessera.proto.vtctldata.GetTabletsRequest;
import io.tessera.proto.vtctldata.InitTabletRequest;
import io.tessera.proto.vtctldata.RefreshStateByShardRequest;
import io.tessera.proto.vtctldata.SetKeyspaceDurabilityPolicyRequest;
import io.tessera.proto.vtctldata.ShardReplicationPositionsRequest;
import io.tessera.proto.vtctldata.StartReplicationRequest;
import io.tessera.proto.vtrpc.Code;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.topo.topoproto.TabletAliases;
import org.junit.jupiter.api.Test;

class TabletCommandsTest extends CommandsTestBase {

    private static Code code(Throwable t) {
        return ((CtldException) t).code();
    }

    @Test
    void initTabletCreatesParentsOnlyWhenAsked() throws Exception {
        Tablet t = Tablet.newBuilder().setAlias(TabletAliases.parse("zone1-100")).setKeyspace("ks").setShard("-80")
                .setType(TabletType.REPLICA).build();
        assertThatThrownBy(() -> commands.tablets().initTablet(InitTabletRequest.newBuilder().setTablet(t).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.NOT_FOUND))
                .hasMessageContaining("create_shard_and_keyspace");
        var created = commands.tablets().initTablet(InitTabletRequest.newBuilder().setTablet(t)
                .setCreateShardAndKeyspace(true).build()).getTablet();
        assertThat(created.getKeyRange().getEnd().toByteArray()).containsExactly((byte) 0x80);
        assertThat(topo.getShardReplication("zone1", "ks", "-80").value().getNodesCount()).isEqualTo(1);
        assertThatThrownBy(() -> commands.tablets().initTablet(InitTabletRequest.newBuilder().setTablet(t).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.ALREADY_EXISTS));
        commands.tablets().initTablet(InitTabletRequest.newBuilder().setTablet(t.toBuilder().setHostname("h2"))
                .setAllowUpdate(true).build());
        assertThat(topo.getTablet(t.getAlias()).value().getHostname()).isEqualTo("h2");
        assertThatThrownBy(() -> commands.tablets().initTablet(InitTabletRequest.newBuilder()
                .setTablet(t.toBuilder().setType(TabletType.PRIMARY)).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.INVALID_ARGUMENT));
    }

    @Test
    void getTabletsFilters() throws Exception {
        keyspace("ks", "-80", "80-");
        tablet("zone1-100", "ks", "-80", TabletType.PRIMARY);
        tablet("zone1-101", "ks", "-80", TabletType.REPLICA);
        tablet("zone1-200", "ks", "80-", TabletType.RDONLY);
        assertThat(commands.tablets().getTablets(GetTabletsRequest.getDefaultInstance()).getTabletsCount()).isEqualTo(3);
        assertThat(commands.tablets().getTablets(GetTabletsRequest.newBuilder().setKeyspace("ks").setShard("-80")
                .build()).getTabletsList()).extracting(x -> x.getAlias().getUid()).containsExactly(100, 101);
        assertThat(commands.tablets().getTablets(GetTabletsRequest.newBuilder().setTabletType(TabletType.RDONLY)
                .build()).getTabletsList()).extracting(x -> x.getAlias().getUid()).containsExactly(200);
        assertThat(commands.tablets().getTablets(GetTabletsRequest.newBuilder()
                .addTabletAliases(TabletAliases.parse("zone1-101")).addTabletAliases(TabletAliases.parse("zone1-9"))
                .build()).getTabletsCount()).isEqualTo(1);
        assertThatThrownBy(() -> commands.tablets().getTablets(GetTabletsRequest.newBuilder()
                .addTabletAliases(TabletAliases.parse("zone1-9")).setStrict(true).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.NOT_FOUND));
    }

    @Test
    void deleteTabletsGuardsThePrimary() throws Exception {
        keyspace("ks", "0");
        Tablet primary = tablet("zone1-100", "ks", "0", TabletType.PRIMARY);
        var req = DeleteTabletsRequest.newBuilder().addTabletAliases(primary.getAlias());
        assertThatThrownBy(() -> commands.tablets().deleteTablets(req.build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION));
        commands.tablets().deleteTablets(req.setAllowPrimary(true).build());
        assertThat(topo.getShard("ks", "0").value().hasPrimaryAlias()).isFalse();
        assertThat(topo.getShardReplication("zone1", "ks", "0").value().getNodesCount()).isZero();
    }

    @Test
    void changeTabletTypeRefusesPrimaryAndUsesDurability() throws Exception {
        keyspace("ks", "0");
        commands.keyspaces().setKeyspaceDurabilityPolicy(SetKeyspaceDurabilityPolicyRequest.newBuilder()
                .setKeyspace("ks").setDurabilityPolicy("semi_sync").build());
        Tablet primary = tablet("zone1-100", "ks", "0", TabletType.PRIMARY);
        Tablet rdonly = tablet("zone1-101", "ks", "0", TabletType.RDONLY);
        assertThatThrownBy(() -> commands.tabletActions().changeTabletType(ChangeTabletTypeRequest.newBuilder()
                .setTabletAlias(primary.getAlias()).setDbType(TabletType.REPLICA).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("PlannedReparentShard");
        assertThatThrownBy(() -> commands.tabletActions().changeTabletType(ChangeTabletTypeRequest.newBuilder()
                .setTabletAlias(rdonly.getAlias()).setDbType(TabletType.PRIMARY).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION));
        var dry = commands.tabletActions().changeTabletType(ChangeTabletTypeRequest.newBuilder()
                .setTabletAlias(rdonly.getAlias()).setDbType(TabletType.REPLICA).setDryRun(true).build());
        assertThat(dry.getWasDryRun()).isTrue();
        assertThat(dry.getAfterTablet().getType()).isEqualTo(TabletType.REPLICA);
        assertThat(tablets.calls).isEmpty();

        tablets.on("changeType", (t, r) -> {
            try {
                topo.updateTabletFields(t.getAlias(), x -> x.toBuilder()
                        .setType(((ChangeTypeRequest) r).getTabletType()).build());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            return io.tessera.proto.tabletmanagerdata.ChangeTypeResponse.getDefaultInstance();
        });
        var done = commands.tabletActions().changeTabletType(ChangeTabletTypeRequest.newBuilder()
                .setTabletAlias(rdonly.getAlias()).setDbType(TabletType.REPLICA).build());
        assertThat(done.getAfterTablet().getType()).isEqualTo(TabletType.REPLICA);
        assertThat(((ChangeTypeRequest) tablets.calls.getFirst().request()).getSemiSync()).isTrue();

        commands.tabletActions().startReplication(StartReplicationRequest.newBuilder()
                .setTabletAlias(rdonly.getAlias()).build());
        assertThat(((io.tessera.proto.tabletmanagerdata.StartReplicationRequest) tablets.calls.getLast().request())
                .getSemiSync()).isTrue();
    }

    @Test
    void fanOutCallsReportPartialFailures() throws Exception {
        keyspace("ks", "0");
        tablet("zone1-100", "ks", "0", TabletType.PRIMARY);
        tablet("zone1-101", "ks", "0", TabletType.REPLICA);
        tablet("zone1-102", "ks", "0", TabletType.REPLICA);
        tablets.on("primaryStatus", (t, r) -> PrimaryStatusResponse.newBuilder()
                .setStatus(PrimaryStatus.newBuilder().setPosition("MariaDB/0-1-5")).build());
        tablets.on("replicationStatus", (t, r) -> {
            if (t.getAlias().getUid() == 102) {
                throw TabletManagerException.unavailable("down", null);
            }
            return ReplicationStatusResponse.newBuilder().setStatus(Status.newBuilder()
                    .setPosition("MariaDB/0-1-4")).build();
        });
        var pos = commands.replicationPositions().run(ShardReplicationPositionsRequest.newBuilder().setKeyspace("ks")
                .setShard("0").build());
        assertThat(pos.getTabletMapMap()).hasSize(3);
        assertThat(pos.getReplicationStatusesMap()).containsOnlyKeys("zone1-0000000100", "zone1-0000000101");
        assertThat(pos.getReplicationStatusesMap().get("zone1-0000000100").getPosition()).isEqualTo("MariaDB/0-1-5");

        tablets.on("refreshState", (t, r) -> {
            if (t.getAlias().getUid() == 101) {
                throw TabletManagerException.unavailable("unreachable", null);
            }
            return io.tessera.proto.tabletmanagerdata.RefreshStateResponse.getDefaultInstance();
        });
        var refresh = commands.tabletActions().refreshStateByShard(RefreshStateByShardRequest.newBuilder()
                .setKeyspace("ks").setShard("0").build());
        assertThat(refresh.getIsPartialRefresh()).isTrue();
        assertThat(refresh.getPartialRefreshDetails()).contains("zone1-0000000101").doesNotContain("zone1-0000000100");
    }
}
