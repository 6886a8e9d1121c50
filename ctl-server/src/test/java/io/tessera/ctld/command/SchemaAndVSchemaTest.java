package io.tessera.ctld.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.ctld.CtldException;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsDbaRequest;
import io.tessera.proto.tabletmanagerdata.ExecuteFetchAsDbaResponse;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vschema.AutoIncrement;
import io.tessera.proto.vschema.ColumnVindex;
import io.tessera.proto.vschema.Keyspace;
import io.tessera.proto.vschema.RoutingRule;
import io.tessera.proto.vschema.RoutingRules;
import io.tessera.proto.vschema.Table;
import io.tessera.proto.vschema.Vindex;
import io.tessera.proto.vtctldata.ApplyRoutingRulesRequest;
import io.tessera.proto.vtctldata.ApplySchemaRequest;
import io.tessera.proto.vtctldata.ApplyVSchemaRequest;
import io.tessera.proto.vtctldata.RebuildKeyspaceGraphRequest;
import io.tessera.proto.vtctldata.ReloadSchemaShardRequest;
import io.tessera.proto.vtrpc.Code;
import io.tessera.tabletmanager.TabletManagerException;
import org.junit.jupiter.api.Test;

class SchemaAndVSchemaTest extends CommandsTestBase {

    private static Code code(Throwable t) {
        return ((CtldException) t).code();
    }

    @Test
    void applySchemaRunsDdlOnEveryPrimary() throws Exception {
        keyspace("ks", "-80", "80-");
        tablet("zone1-100", "ks", "-80", TabletType.PRIMARY);
        tablet("zone1-101", "ks", "-80", TabletType.REPLICA);
        tablet("zone1-200", "ks", "80-", TabletType.PRIMARY);
        tablets.on("executeFetchAsDba", (t, r) -> ExecuteFetchAsDbaResponse.newBuilder()
                .setResult(QueryResult.newBuilder().setRowsAffected(1)).build());
        var resp = commands.applySchema().run(ApplySchemaRequest.newBuilder().setKeyspace("ks")
                .addSql("/* c */ CREATE TABLE t (id BIGINT PRIMARY KEY)").addSql("alter table t add column x int").build());
        assertThat(resp.getRowsAffectedByShardMap()).containsEntry("-80", 2L).containsEntry("80-", 2L);
        assertThat(tablets.callNames()).containsOnly("zone1-0000000100 executeFetchAsDba",
                "zone1-0000000100 reloadSchema", "zone1-0000000200 executeFetchAsDba", "zone1-0000000200 reloadSchema");
        assertThat(tablets.calls).filteredOn(c -> c.method().equals("executeFetchAsDba"))
                .allSatisfy(c -> assertThat(((ExecuteFetchAsDbaRequest) c.request()).getDbName()).isEqualTo("vt_ks"));

        assertThatThrownBy(() -> commands.applySchema().run(ApplySchemaRequest.newBuilder().setKeyspace("ks")
                .addSql("insert into t values (1)").build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.INVALID_ARGUMENT)).hasMessageContaining("DDL only");

        tablets.on("executeFetchAsDba", (t, r) -> {
            if (t.getAlias().getUid() == 200) {
                throw new TabletManagerException(Code.INVALID_ARGUMENT, "Table 't' already exists", 1050, "42S01",
                        null);
            }
            return ExecuteFetchAsDbaResponse.getDefaultInstance();
        });
        assertThatThrownBy(() -> commands.applySchema().run(ApplySchemaRequest.newBuilder().setKeyspace("ks")
                .addSql("create table t (id int)").build()))
                .hasMessageContaining("80-").hasMessageContaining("already exists")
                .hasMessageContaining("applied on [-80]");
    }

    @Test
    void applySchemaRefusesShardsWithoutPrimary() throws Exception {
        keyspace("ks", "-80", "80-");
        tablet("zone1-100", "ks", "-80", TabletType.PRIMARY);
        assertThatThrownBy(() -> commands.applySchema().run(ApplySchemaRequest.newBuilder().setKeyspace("ks")
                .addSql("create table t (id int)").build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION)).hasMessageContaining("80-");
        assertThat(tablets.calls).isEmpty();
    }

    @Test
    void reloadSchemaShardSkipsPrimaryUnlessAsked() throws Exception {
        keyspace("ks", "0");
        tablet("zone1-100", "ks", "0", TabletType.PRIMARY);
        tablet("zone1-101", "ks", "0", TabletType.REPLICA);
        commands.schema().reloadSchemaShard(ReloadSchemaShardRequest.newBuilder().setKeyspace("ks").setShard("0")
                .build());
        assertThat(tablets.callNames()).containsExactly("zone1-0000000101 reloadSchema");
        tablets.calls.clear();
        commands.schema().reloadSchemaShard(ReloadSchemaShardRequest.newBuilder().setKeyspace("ks").setShard("0")
                .setIncludePrimary(true).build());
        assertThat(tablets.callNames()).hasSize(2);
    }

    static Keyspace shardedVSchema() {
        return Keyspace.newBuilder().setSharded(true)
                .putVindexes("hash", Vindex.newBuilder().setType("hash").build())
                .putVindexes("name_lookup", Vindex.newBuilder().setType("lookup").putParams("table", "ks.name_idx")
                        .putParams("from", "name").putParams("to", "keyspace_id").putParams("colour", "x").build())
                .putTables("customer", Table.newBuilder()
                        .addColumnVindexes(ColumnVindex.newBuilder().setColumn("id").setName("hash"))
                        .addColumnVindexes(ColumnVindex.newBuilder().setColumn("name").setName("name_lookup"))
                        .setAutoIncrement(AutoIncrement.newBuilder().setColumn("id").setSequence("seq.customer_seq"))
                        .build())
                .build();
    }

    @Test
    void applyVSchemaValidates() throws Exception {
        keyspace("ks", "-80", "80-");
        keyspace("seq", "0");
        var unsharded = Keyspace.newBuilder().putTables("customer_seq", Table.newBuilder().setType("sequence").build())
                .build();
        commands.vschema().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("seq").setVSchema(unsharded)
                .build());

        var resp = commands.vschema().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("ks")
                .setVSchema(shardedVSchema()).build());
        assertThat(resp.getUnknownVindexParamsMap().get("name_lookup").getParamsList()).containsExactly("colour");
        assertThat(topo.getSrvVSchema("zone1").value().getKeyspacesMap().get("ks").getSharded()).isTrue();

        assertThatThrownBy(() -> commands.vschema().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("ks")
                .setVSchema(shardedVSchema()).setStrict(true).build()))
                .satisfies(e -> assertThat(code(e)).isEqualTo(Code.INVALID_ARGUMENT)).hasMessageContaining("colour");
        // first vindex not unique
        var badOrder = shardedVSchema().toBuilder().putTables("t", Table.newBuilder()
                .addColumnVindexes(ColumnVindex.newBuilder().setColumn("name").setName("name_lookup")).build()).build();
        assertThatThrownBy(() -> commands.vschema().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("ks")
                .setVSchema(badOrder).build())).hasMessageContaining("not unique");
        var undefined = shardedVSchema().toBuilder().putTables("t", Table.newBuilder()
                .addColumnVindexes(ColumnVindex.newBuilder().setColumn("id").setName("nope")).build()).build();
        assertThatThrownBy(() -> commands.vschema().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("ks")
                .setVSchema(undefined).build())).hasMessageContaining("'nope'");
        var noVindex = shardedVSchema().toBuilder().putTables("t", Table.getDefaultInstance()).build();
        assertThatThrownBy(() -> commands.vschema().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("ks")
                .setVSchema(noVindex).build())).hasMessageContaining("no column vindex");
        var badType = shardedVSchema().toBuilder().putVindexes("x", Vindex.newBuilder().setType("md6").build()).build();
        assertThatThrownBy(() -> commands.vschema().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("ks")
                .setVSchema(badType).build())).hasMessageContaining("md6");
        var badSeq = shardedVSchema().toBuilder().putTables("customer", shardedVSchema().getTablesMap().get("customer")
                .toBuilder().setAutoIncrement(AutoIncrement.newBuilder().setColumn("id").setSequence("nope_seq"))
                .build()).build();
        assertThatThrownBy(() -> commands.vschema().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("ks")
                .setVSchema(badSeq).build())).hasMessageContaining("nope_seq");
        var vindexInUnsharded = Keyspace.newBuilder().putVindexes("hash", Vindex.newBuilder().setType("hash").build())
                .putTables("t", Table.newBuilder().addColumnVindexes(ColumnVindex.newBuilder().setColumn("id")
                        .setName("hash")).build()).build();
        assertThatThrownBy(() -> commands.vschema().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("seq")
                .setVSchema(vindexInUnsharded).build())).hasMessageContaining("not sharded");
        // dry run stores nothing
        commands.vschema().applyVSchema(ApplyVSchemaRequest.newBuilder().setKeyspace("seq").setDryRun(true)
                .setVSchema(Keyspace.getDefaultInstance()).build());
        assertThat(topo.getVSchema("seq").value()).isEqualTo(unsharded);
    }

    @Test
    void routingRulesAndKeyspaceGraph() throws Exception {
        keyspace("ks", "-80", "80-", "40-80");
        commands.vschema().applyRoutingRules(ApplyRoutingRulesRequest.newBuilder().setRoutingRules(RoutingRules
                .newBuilder().addRules(RoutingRule.newBuilder().setFromTable("t").addToTables("ks.t"))).build());
        assertThat(topo.getSrvVSchema("zone1").value().getRoutingRules().getRulesCount()).isEqualTo(1);

        commands.serving().rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("ks").build());
        var srv = topo.getSrvKeyspace("zone1", "ks").value();
        assertThat(srv.getPartitionsList()).hasSize(3).allSatisfy(p -> assertThat(p.getShardReferencesList())
                .extracting(r -> r.getName()).containsExactly("-80", "80-"));

        topo.updateShardFields("ks", "80-", s -> s.toBuilder().setIsPrimaryServing(false).build());
        assertThatThrownBy(() -> commands.serving().rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder()
                .setKeyspace("ks").build())).satisfies(e -> assertThat(code(e)).isEqualTo(Code.FAILED_PRECONDITION));
        commands.serving().rebuildKeyspaceGraph(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("ks")
                .setAllowPartial(true).build());
        assertThat(topo.getSrvKeyspace("zone1", "ks").value().getPartitions(0).getShardReferencesCount()).isEqualTo(1);
    }
}
