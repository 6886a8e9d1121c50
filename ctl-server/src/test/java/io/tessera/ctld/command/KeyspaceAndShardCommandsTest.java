package io.tessera.ctld.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.CreateKeyspaceRequest;
import io.tessera.proto.vtctldata.CreateShardRequest;
import io.tessera.proto.vtctldata.DeleteKeyspaceRequest;
import io.tessera.proto.vtctldata.DeleteShardsRequest;
import io.tessera.proto.vtctldata.GetKeyspaceRequest;
import io.tessera.proto.vtctldata.GetShardReplicationRequest;
import io.tessera.proto.vtctldata.SetKeyspaceDurabilityPolicyRequest;
import io.tessera.proto.vtctldata.SetShardTabletControlRequest;
import io.tessera.proto.vtctldata.Shard;
import io.tessera.proto.vtrpc.Code;
import io.tessera.topo.topoproto.TabletAliases;
import org.junit.jupiter.api.Test;

class KeyspaceAndShardCommandsTest extends CommandsTestBase {

    private static Code code(Throwable t) {
        return ((CtldException) t).code();
    }

    @Test
    void createKeyspaceValidatesDurabilityAndRefusesExisting() throws Exception {
        var created = commands.keyspaces().createKeyspace(CreateKeyspaceRequest.newBuilder().setName("ks")
                .setDurabilityPolicy("semi_sync").build());
        assertThat(created.getKeyspace().getKeyspace().getDurabilityPolicy()).isEqualTo("semi_sync");
        assertThat(topo.getVSchema("ks").value().getSharded()).isFalse();
        assertThat(topo.getSrvVSchema("zone1").value().getKeyspacesMap()).containsKey("ks");

        assertThatThrownBy(() -> commands.keyspaces().createKeyspace(CreateKeyspaceRequest.newBuilder().setName("ks")
                .build())).satisfies(e -> assertThat(code(e)).isEqualTo(Code.ALREADY_EXISTS));
        assertThat(commands.keyspaces().createKeyspace(CreateKeyspaceRequest.newBuilder().setName("ks").setForce(true)
                .build()).getKeyspace().getName()).isEqualTo("ks");
        assertThatThrownBy(() -> commands.keyspaces().createKeyspace(CreateKeyspaceRequest.newBuilder().setName("k2")
                .setDurabilityPolicy("cross_cell").build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessageContaining("semi_sync");

        commands.keyspaces().setKeyspaceDurabilityPolicy(SetKeyspaceDurabilityPolicyRequest.newBuilder()
                .setKeyspace("ks").setDurabilityPolicy("none").build());
        assertThat(commands.keyspaces().getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace("ks").build())
                .getKeyspace().getKeyspace().getDurabilityPolicy()).isEqualTo("none");
        assertThatThrownBy(() -> commands.keyspaces().getKeyspace(GetKeyspaceRequest.newBuilder().setKeyspace("nope")
                .build())).satisfies(e -> assertThat(code(e)).isEqualTo(Code.NOT_FOUND));
    }

    @Test
    void createShardValidatesNameAndParent() throws Exception {
        assertThatThrownBy(() -> commands.shards().createShard(CreateShardRequest.newBuilder().setKeyspace("ks")
                .setShardName("-80").build())).satisfies(e -> assertThat(code(e)).isEqualTo(Code.NOT_FOUND))
                .hasMessageContaining("include_parent");
        var r = commands.shards().createShard(CreateShardRequest.newBuilder().setKeyspace("ks").setShardName("-80")
                .setIncludeParent(true).build());
        assertThat(r.getShard().getShard().getIsPrimaryServing()).isTrue();
        assertThat(r.getShard().getShard().getKeyRange().getEnd().toByteArray()).containsExactly((byte) 0x80);
        assertThatThrownBy(() -> commands.shards().createShard(CreateShardRequest.newBuilder().setKeyspace("ks")
                .setShardName("8-x").build())).satisfies(e -> assertThat(code(e)).isEqualTo(Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> commands.shards().createShard(CreateShardRequest.newBuilder().setKeyspace("ks")
                .setShardName("-80").build())).satisfies(e -> assertThat(code(e)).isEqualTo(Code.ALREADY_EXISTS));
        assertThat(commands.shards().createShard(CreateShardRequest.newBuilder().setKeyspace("ks")
                .setShardName("-80").setForce(true).build()).getShardAlreadyExists()).isTrue();
        // overlapping a serving shard: created not serving
        assertThat(commands.shards().createShard(CreateShardRequest.newBuilder().setKeyspace("ks")
                .setShardName("-40").build()).getShard().getShard().getIsPrimaryServing()).isFalse();
    }

    @Test
    void deleteShardsNeedsRecursiveAndEvenIfServing() throws Exception {
        keyspace("ks", "0");
        tablet("zone1-101", "ks", "0", TabletType.REPLICA);
        tablet("zone1-100", "ks", "0", TabletType.PRIMARY);
        DeleteShardsRequest.Builder req = DeleteShardsRequest.newBuilder()
                .addShards(Shard.newBuilder().setKeyspace("ks").setName("0"));
        assertThatThrownBy(() -> commands.shards().deleteShards(req.build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("even_if_serving");
        assertThatThrownBy(() -> commands.shards().deleteShards(req.setEvenIfServing(true).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION))
                .hasMessageContaining("recursive");
        commands.shards().deleteShards(req.setRecursive(true).build());
        assertThat(topo.getShardNames("ks")).isEmpty();
        assertThat(topo.getTabletAliasesByCell("zone1")).isEmpty();
        assertThatThrownBy(() -> topo.getShardReplication("zone1", "ks", "0")).isNotNull();
    }

    @Test
    void deleteKeyspaceRecursive() throws Exception {
        keyspace("ks", "-80", "80-");
        tablet("zone1-100", "ks", "-80", TabletType.REPLICA);
        commands.serving().rebuildKeyspaceGraph(io.tessera.proto.vtctldata.RebuildKeyspaceGraphRequest.newBuilder()
                .setKeyspace("ks").build());
        assertThatThrownBy(() -> commands.keyspaces().deleteKeyspace(DeleteKeyspaceRequest.newBuilder()
                .setKeyspace("ks").build())).satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION));
        commands.keyspaces().deleteKeyspace(DeleteKeyspaceRequest.newBuilder().setKeyspace("ks").setRecursive(true)
                .build());
        assertThat(Topo.keyspaceNames(topo)).isEmpty();
        assertThat(topo.getTabletAliasesByCell("zone1")).isEmpty();
        assertThat(topo.getSrvKeyspaceNames("zone1")).isEmpty();
        assertThat(topo.getSrvVSchema("zone1").value().getKeyspacesMap()).doesNotContainKey("ks");
    }

    @Test
    void shardTabletControls() throws Exception {
        keyspace("ks", "0");
        var base = SetShardTabletControlRequest.newBuilder().setKeyspace("ks").setShard("0")
                .setTabletType(TabletType.RDONLY);
        var shard = commands.shards().setShardTabletControl(base.clone().addDeniedTables("t1").addCells("zone1")
                .build()).getShard();
        assertThat(shard.getTabletControlsList()).singleElement().satisfies(tc -> {
            assertThat(tc.getDeniedTablesList()).containsExactly("t1");
            assertThat(tc.getCellsList()).containsExactly("zone1");
        });
        shard = commands.shards().setShardTabletControl(base.clone().addDeniedTables("t2").build()).getShard();
        assertThat(shard.getTabletControls(0).getDeniedTablesList()).containsExactly("t1", "t2");
        shard = commands.shards().setShardTabletControl(base.clone().addDeniedTables("t1").addDeniedTables("t2")
                .setRemove(true).build()).getShard();
        assertThat(shard.getTabletControlsList()).isEmpty();

        shard = commands.shards().setShardTabletControl(base.clone().setDisableQueryService(true).build()).getShard();
        assertThat(shard.getTabletControls(0).getDisableQueryService()).isTrue();
        var rdonly = topo.getSrvKeyspace("zone1", "ks").value().getPartitionsList().stream()
                .filter(p -> p.getServedType() == TabletType.RDONLY).findFirst().orElseThrow();
        assertThat(rdonly.getShardTabletControlsList()).singleElement()
                .satisfies(c -> assertThat(c.getQueryServiceDisabled()).isTrue());
        shard = commands.shards().setShardTabletControl(base.clone().setRemove(true).build()).getShard();
        assertThat(shard.getTabletControlsList()).isEmpty();
        assertThatThrownBy(() -> commands.shards().setShardTabletControl(base.clone()
                .setTabletType(TabletType.UNKNOWN).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.INVALID_ARGUMENT));
        assertThat(TabletAliases.format(TabletAliases.parse("zone1-1"))).isEqualTo("zone1-0000000001");
    }
}
