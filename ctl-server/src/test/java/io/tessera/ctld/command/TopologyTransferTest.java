package io.tessera.ctld.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.ctld.CtldException;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vschema.RoutingRule;
import io.tessera.proto.vschema.RoutingRules;
import io.tessera.proto.vtctldata.ApplyRoutingRulesRequest;
import io.tessera.proto.vtctldata.ApplyVSchemaRequest;
import io.tessera.proto.vtctldata.ExportTopologyRequest;
import io.tessera.proto.vtctldata.ImportTopologyRequest;
import io.tessera.proto.vtctldata.RebuildKeyspaceGraphRequest;
import io.tessera.proto.vtctldata.TopologyExport;
import io.tessera.proto.vtrpc.Code;
import io.tessera.topo.TopoServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TopologyTransferTest extends CommandsTestBase {

    private TopologyExport populatedExport() throws Exception {
        topo.ensureCell("zone2");
        keyspace("commerce", "0");
        keyspace("customer", "-80", "80-");
        tablet("zone1-100", "commerce", "0", TabletType.PRIMARY);
        tablet("zone2-200", "commerce", "0", TabletType.RDONLY);
        tablet("zone1-300", "customer", "-80", TabletType.REPLICA);
        commands.vschema().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("customer")
                .setVSchema(SchemaAndVSchemaTest.shardedVSchema().toBuilder().removeTables("customer")).build());
        commands.vschema().applyRoutingRules(ApplyRoutingRulesRequest.newBuilder().setRoutingRules(RoutingRules
                .newBuilder().addRules(RoutingRule.newBuilder().setFromTable("t").addToTables("commerce.t"))).build());
        commands.serving().rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("commerce").build());
        commands.serving().rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("customer").build());
        return commands.exporter().export(ExportTopologyRequest.getDefaultInstance()).getTopology();
    }

    private static TopologyExport withoutTime(TopologyExport e) {
        return e.toBuilder().clearExportTime().build();
    }

    @Test
    void roundTripIntoAnEmptyTopology() throws Exception {
        TopologyExport exported = populatedExport();
        assertThat(exported.getFormatVersion()).isEqualTo(1);
        assertThat(exported.getCellsList()).extracting(c -> c.getName()).containsExactly("zone1", "zone2");
        assertThat(exported.getTabletsCount()).isEqualTo(3);
        assertThat(exported.getKeyspacesList()).extracting(k -> k.getName()).containsExactly("commerce", "customer");

        try (TopoServer other = TopoServer.open("memory://")) {
            CtldCommands target = CtldCommands.create(other, new FakeTablets(),
                    new CommandSettings(Duration.ofSeconds(5)));
            var dry = target.importer().importTopology(ImportTopologyRequest.newBuilder().setTopology(exported)
                    .setDryRun(true).build());
            assertThat(dry.getWrittenPathsList()).contains("/global/cells/zone1/CellInfo",
                    "/zone2/tablets/zone2-0000000200/Tablet", "/zone1/keyspaces/customer/SrvKeyspace");
            assertThat(target.cells().getCellInfoNames().getNamesList()).isEmpty();

            var done = target.importer().importTopology(ImportTopologyRequest.newBuilder().setTopology(exported)
                    .build());
            assertThat(done.getWrittenPathsList()).isEqualTo(dry.getWrittenPathsList());
            assertThat(done.getWrittenPathsList().getFirst()).startsWith("/global/cells/");
            var again = target.exporter().export(ExportTopologyRequest.getDefaultInstance()).getTopology();
            assertThat(withoutTime(again)).isEqualTo(withoutTime(exported));

            // importing the same again changes nothing
            var repeat = target.importer().importTopology(ImportTopologyRequest.newBuilder().setTopology(exported)
                    .build());
            assertThat(repeat.getWrittenPathsList()).isEmpty();
            assertThat(repeat.getUnchangedPathsCount()).isEqualTo(done.getWrittenPathsCount());

            // a differing record refuses the whole import unless overwrite
            other.updateKeyspaceFields("commerce", k -> k.toBuilder().setDurabilityPolicy("semi_sync").build());
            var changed = exported.toBuilder();
            changed.getKeyspacesBuilder(0).getShardsBuilder(0).getShardBuilder().setIsPrimaryServing(false);
            assertThatThrownBy(() -> target.importer().importTopology(ImportTopologyRequest.newBuilder()
                    .setTopology(changed).build()))
                    .satisfies(e -> assertThat(((CtldException) e).code()).isEqualTo(Code.FAILED_PRECONDITION))
                    .hasMessageContaining("/global/keyspaces/commerce/Keyspace");
            assertThat(other.getShard("commerce", "0").value().getIsPrimaryServing()).isTrue();
            target.importer().importTopology(ImportTopologyRequest.newBuilder().setTopology(changed)
                    .setOverwrite(true).build());
            assertThat(other.getShard("commerce", "0").value().getIsPrimaryServing()).isFalse();
            assertThat(other.getKeyspace("commerce").value().getDurabilityPolicy()).isEqualTo("none");
        }
    }

    @Test
    void filtersAndVersionCheck() throws Exception {
        populatedExport();
        var only = commands.exporter().export(ExportTopologyRequest.newBuilder().addKeyspaces("commerce")
                .addCells("zone2").build()).getTopology();
        assertThat(only.getCellsCount()).isEqualTo(2);
        assertThat(only.getKeyspacesList()).extracting(k -> k.getName()).containsExactly("commerce");
        assertThat(only.getTabletsList()).extracting(t -> t.getAlias().getUid()).containsExactly(200);
        assertThat(only.getKeyspaces(0).getSrvKeyspacesMap()).containsOnlyKeys("zone2");
        assertThatThrownBy(() -> commands.importer().importTopology(ImportTopologyRequest.newBuilder()
                .setTopology(only.toBuilder().setFormatVersion(2)).build()))
                .satisfies(e -> assertThat(((CtldException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));
    }
}
