package io.tessera.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.tessera.ctl.command.CommandRegistry;
import io.tessera.ctl.command.CommandSpec;
import io.tessera.proto.topodata.CellInfo;
import io.tessera.proto.topodata.KeyspaceType;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vschema.RoutingRule;
import io.tessera.proto.vschema.RoutingRules;
import io.tessera.proto.vschema.Vindex;
import io.tessera.proto.vtctldata.*;
import io.tessera.proto.vttime.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command, in its old and new spellings, sends the request the command line asks for: run through the
 * whole command line against a fake daemon, and compared field by field with the expected request.
 */
class CommandMappingTest {
    private static CtlHarness ctl;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        ctl = new CtlHarness();
    }

    @AfterAll
    static void stop() throws Exception {
        ctl.close();
    }

    static TabletAlias alias(String cell, int uid) {
        return TabletAlias.newBuilder().setCell(cell).setUid(uid).build();
    }

    static Duration seconds(long s) {
        return Duration.newBuilder().setSeconds(s).build();
    }

    static Arguments c(String method, Message expected, String... args) {
        return Arguments.of(String.join(" ", args), List.of(args), method, expected);
    }

    static Stream<Arguments> cases() throws Exception {
        Path vschemaFile = Files.writeString(dir.resolve("vschema.json"),
                "{\"sharded\": true, \"vindexes\": {\"hash\": {\"type\": \"hash\"}}}");
        Path sqlFile = Files.writeString(dir.resolve("ddl.sql"), "create table a (id int);\ncreate table b (id int);");
        Path rulesFile = Files.writeString(dir.resolve("rules.json"),
                "{\"rules\": [{\"from_table\": \"t\", \"to_tables\": [\"ks.t\"]}]}");
        Path exportFile = Files.writeString(dir.resolve("topo.json"),
                "{\"format_version\": 1, \"keyspaces\": [{\"name\": \"commerce\"}]}");

        TabletAlias z100 = alias("zone1", 100);
        TabletAlias z101 = alias("zone1", 101);
        var vschema = io.tessera.proto.vschema.Keyspace.newBuilder().setSharded(true)
                .putVindexes("hash", Vindex.newBuilder().setType("hash").build()).build();
        var prs = PlannedReparentShardRequest.newBuilder().setKeyspace("commerce").setShard("0")
                .setNewPrimary(z101).build();
        var ers = EmergencyReparentShardRequest.newBuilder().setKeyspace("commerce").setShard("0")
                .setNewPrimary(z101).build();
        var initPrimary = InitShardPrimaryRequest.newBuilder().setKeyspace("commerce").setShard("0")
                .setPrimaryElectTabletAlias(z100).setForce(true).build();
        var dba = ExecuteFetchAsDBARequest.newBuilder().setTabletAlias(z100).setQuery("select 1").setMaxRows(10)
                .setDisableBinlogs(true).build();
        var tabletControl = SetShardTabletControlRequest.newBuilder().setKeyspace("commerce").setShard("0")
                .setTabletType(TabletType.RDONLY).addCells("zone1").addCells("zone2")
                .addDeniedTables("t1").addDeniedTables("t2").setDisableQueryService(true).build();

        List<Arguments> all = new ArrayList<>(List.of(
                // Keyspaces
                c("CreateKeyspace", CreateKeyspaceRequest.newBuilder().setName("commerce").setForce(true)
                        .setDurabilityPolicy("semi_sync").build(),
                        "CreateKeyspace", "--force", "--durability-policy", "semi_sync", "commerce"),
                c("CreateKeyspace", CreateKeyspaceRequest.newBuilder().setName("snap").setType(KeyspaceType.SNAPSHOT)
                        .setBaseKeyspace("commerce").setSnapshotTime(io.tessera.proto.vttime.Time.newBuilder()
                                .setSeconds(1714564800)).setAllowEmptyVSchema(true).build(),
                        "CreateKeyspace", "-type=snapshot", "-base_keyspace=commerce",
                        "-snapshot_time=2024-05-01T12:00:00Z", "-allow_empty_vschema", "snap"),
                c("GetKeyspace", GetKeyspaceRequest.newBuilder().setKeyspace("commerce").build(),
                        "GetKeyspace", "commerce"),
                c("GetKeyspaces", GetKeyspacesRequest.getDefaultInstance(), "GetKeyspaces"),
                c("DeleteKeyspace", DeleteKeyspaceRequest.newBuilder().setKeyspace("commerce").setRecursive(true)
                        .build(), "DeleteKeyspace", "-recursive", "commerce"),
                c("SetKeyspaceDurabilityPolicy", SetKeyspaceDurabilityPolicyRequest.newBuilder()
                        .setKeyspace("commerce").setDurabilityPolicy("none").build(),
                        "SetKeyspaceDurabilityPolicy", "--durability_policy=none", "commerce"),
                // Shards
                c("CreateShard", CreateShardRequest.newBuilder().setKeyspace("customer").setShardName("-80")
                        .setForce(true).setIncludeParent(true).build(),
                        "CreateShard", "-force", "-parent", "customer/-80"),
                c("CreateShard", CreateShardRequest.newBuilder().setKeyspace("customer").setShardName("80-")
                        .setIncludeParent(true).build(), "CreateShard", "--include-parent", "customer/80-"),
                c("GetShard", GetShardRequest.newBuilder().setKeyspace("commerce").setShardName("0").build(),
                        "GetShard", "commerce/0"),
                c("DeleteShards", DeleteShardsRequest.newBuilder()
                        .addShards(Shard.newBuilder().setKeyspace("c").setName("-80"))
                        .addShards(Shard.newBuilder().setKeyspace("c").setName("80-"))
                        .setRecursive(true).setEvenIfServing(true).build(),
                        "DeleteShards", "--recursive", "--even-if-serving", "c/-80", "c/80-"),
                c("DeleteShards", DeleteShardsRequest.newBuilder()
                        .addShards(Shard.newBuilder().setKeyspace("c").setName("0")).setRecursive(true).build(),
                        "DeleteShard", "-recursive", "c/0"),
                c("FindAllShardsInKeyspace", FindAllShardsInKeyspaceRequest.newBuilder().setKeyspace("c").build(),
                        "FindAllShardsInKeyspace", "c"),
                c("SetShardTabletControl", tabletControl, "SetShardTabletControl", "--cells", "zone1,zone2",
                        "--denied-tables", "t1,t2", "--disable-query-service", "commerce/0", "rdonly"),
                c("SetShardTabletControl", tabletControl, "SetShardTabletControl", "-cells=zone1,zone2",
                        "-blacklisted_tables=t1,t2", "-disable_query_service", "commerce/0", "batch"),
                c("SetShardTabletControl", SetShardTabletControlRequest.newBuilder().setKeyspace("commerce")
                        .setShard("0").setTabletType(TabletType.REPLICA).addDeniedTables("t1").setRemove(true).build(),
                        "SetShardTabletControl", "--remove", "--denied_tables=t1", "commerce/0", "replica"),
                c("GetShardReplication", GetShardReplicationRequest.newBuilder().setKeyspace("c").setShard("0")
                        .addCells("zone1").addCells("zone2").build(), "GetShardReplication", "c/0", "zone1,zone2"),
                c("ShardReplicationPositions", ShardReplicationPositionsRequest.newBuilder().setKeyspace("c")
                        .setShard("0").build(), "ShardReplicationPositions", "c/0"),
                // Tablets
                c("InitTablet", InitTabletRequest.newBuilder().setTablet(Tablet.newBuilder().setAlias(z100)
                                .setType(TabletType.REPLICA).setKeyspace("commerce").setShard("0")
                                .setHostname("h1").setMysqlHostname("h1").setMysqlPort(17100)
                                .putPortMap("vt", 15100).putPortMap("grpc", 16100).putTags("rack", "r1"))
                        .setAllowUpdate(true).setCreateShardAndKeyspace(true).build(),
                        "InitTablet", "-allow_update", "-parent", "-hostname", "h1", "-mysql_port", "17100",
                        "-port", "15100", "-grpc_port", "16100", "-keyspace", "commerce", "-shard", "0",
                        "-tags", "rack:r1", "zone1-100", "replica"),
                c("GetTablet", GetTabletRequest.newBuilder().setTabletAlias(z100).build(),
                        "GetTablet", "zone1-0000000100"),
                c("GetTablets", GetTabletsRequest.newBuilder().setKeyspace("commerce").setShard("0")
                        .addCells("zone1").setTabletType(TabletType.REPLICA).build(),
                        "GetTablets", "--cell", "zone1", "--keyspace", "commerce", "--shard", "0",
                        "--tablet-type", "replica"),
                c("GetTablets", GetTabletsRequest.newBuilder().addTabletAliases(z100).addTabletAliases(z101).build(),
                        "GetTablets", "--format", "json", "zone1-100", "zone1-101"),
                c("GetTablets", GetTabletsRequest.newBuilder().addCells("zone1").build(), "ListAllTablets", "zone1"),
                c("GetTablets", GetTabletsRequest.newBuilder().setKeyspace("c").setShard("0").build(),
                        "ListShardTablets", "c/0"),
                c("GetTablets", GetTabletsRequest.newBuilder().addTabletAliases(z100).build(),
                        "ListTablets", "zone1-100"),
                c("DeleteTablets", DeleteTabletsRequest.newBuilder().addTabletAliases(z100).addTabletAliases(z101)
                        .setAllowPrimary(true).build(), "DeleteTablets", "--allow-primary", "zone1-100", "zone1-101"),
                c("DeleteTablets", DeleteTabletsRequest.newBuilder().addTabletAliases(z100).setAllowPrimary(true)
                        .build(), "DeleteTablet", "-allow_master", "zone1-100"),
                c("ChangeTabletType", ChangeTabletTypeRequest.newBuilder().setTabletAlias(z100)
                        .setDbType(TabletType.DRAINED).setDryRun(true).build(),
                        "ChangeTabletType", "--dry-run", "zone1-100", "drained"),
                c("ChangeTabletType", ChangeTabletTypeRequest.newBuilder().setTabletAlias(z100)
                        .setDbType(TabletType.RDONLY).build(), "ChangeSlaveType", "zone1-100", "rdonly"),
                c("PingTablet", PingTabletRequest.newBuilder().setTabletAlias(z100).build(), "Ping", "zone1-100"),
                c("PingTablet", PingTabletRequest.newBuilder().setTabletAlias(z100).build(),
                        "PingTablet", "zone1-100"),
                c("RefreshState", RefreshStateRequest.newBuilder().setTabletAlias(z100).build(),
                        "RefreshState", "zone1-100"),
                c("RefreshStateByShard", RefreshStateByShardRequest.newBuilder().setKeyspace("c").setShard("0")
                        .addCells("zone1").build(), "RefreshStateByShard", "-cells=zone1", "c/0"),
                c("SetWritable", SetWritableRequest.newBuilder().setTabletAlias(z100).setWritable(true).build(),
                        "SetWritable", "zone1-100", "true"),
                c("SetWritable", SetWritableRequest.newBuilder().setTabletAlias(z100).build(),
                        "SetReadOnly", "zone1-100"),
                c("SetWritable", SetWritableRequest.newBuilder().setTabletAlias(z100).setWritable(true).build(),
                        "SetReadWrite", "zone1-100"),
                c("StartReplication", StartReplicationRequest.newBuilder().setTabletAlias(z100).build(),
                        "StartReplication", "zone1-100"),
                c("StopReplication", StopReplicationRequest.newBuilder().setTabletAlias(z100).build(),
                        "StopReplication", "zone1-100"),
                c("StartReplication", StartReplicationRequest.newBuilder().setTabletAlias(z100).build(),
                        "StartSlave", "zone1-100"),
                c("StopReplication", StopReplicationRequest.newBuilder().setTabletAlias(z100).build(),
                        "StopSlave", "zone1-100"),
                c("GetFullStatus", GetFullStatusRequest.newBuilder().setTabletAlias(z100).build(),
                        "GetFullStatus", "zone1-100"),
                c("ExecuteFetchAsDBA", dba, "ExecuteFetchAsDba", "-max_rows=10", "-disable_binlogs",
                        "zone1-100", "select 1"),
                c("ExecuteFetchAsDBA", dba.toBuilder().setReloadSchema(true).build(), "ExecuteFetchAsDBA",
                        "--max-rows", "10", "--disable-binlogs", "--reload-schema", "--json", "zone1-100", "select 1"),
                c("ExecuteFetchAsApp", ExecuteFetchAsAppRequest.newBuilder().setTabletAlias(z100)
                        .setQuery("select 1").setUsePool(true).setMaxRows(3).build(),
                        "ExecuteFetchAsApp", "-use_pool", "-max_rows", "3", "zone1-100", "select 1"),
                // Reparent
                c("InitShardPrimary", initPrimary, "InitShardMaster", "-force", "commerce/0", "zone1-100"),
                c("InitShardPrimary", initPrimary.toBuilder().setWaitReplicasTimeout(seconds(30)).build(),
                        "InitShardPrimary", "--force", "--wait-replicas-timeout", "30s", "commerce/0", "zone1-100"),
                c("PlannedReparentShard", prs, "PlannedReparentShard", "-keyspace_shard=commerce/0",
                        "-new_master=zone1-101"),
                c("PlannedReparentShard", prs, "PlannedReparentShard", "commerce/0", "--new-primary", "zone1-101"),
                c("PlannedReparentShard", prs, "PlannedReparentShard", "commerce/0", "zone1-101"),
                c("PlannedReparentShard", PlannedReparentShardRequest.newBuilder().setKeyspace("commerce")
                        .setShard("0").setAvoidPrimary(z100).setWaitReplicasTimeout(seconds(60))
                        .setTolerableReplicationLag(seconds(5)).setExpectedPrimary(z100)
                        .setAllowCrossCellPromotion(true).build(),
                        "PlannedReparentShard", "--keyspace_shard", "commerce/0", "-avoid_master", "zone1-100",
                        "-wait_replicas_timeout=1m", "--tolerable-replication-lag=5s",
                        "--expected-primary=zone1-100", "--allow-cross-cell-promotion"),
                c("EmergencyReparentShard", ers, "EmergencyReparentShard", "-keyspace_shard=commerce/0",
                        "-new_master=zone1-101"),
                c("EmergencyReparentShard", ers.toBuilder().addIgnoreReplicas(z100).addIgnoreReplicas(alias("z2", 7))
                        .setWaitReplicasTimeout(seconds(15)).setWaitForAllTablets(true)
                        .setPreventCrossCellPromotion(true).setExpectedPrimary(z100).build(),
                        "EmergencyReparentShard", "commerce/0", "--new-primary", "zone1-101",
                        "--ignore-replicas", "zone1-100,z2-7", "--wait-replicas-timeout", "15s",
                        "--wait-for-all-tablets", "--prevent-cross-cell-promotion", "--expected-primary", "zone1-100"),
                c("TabletExternallyReparented", TabletExternallyReparentedRequest.newBuilder().setTablet(z101)
                        .build(), "TabletExternallyReparented", "zone1-101"),
                c("ReparentTablet", ReparentTabletRequest.newBuilder().setTablet(z100).build(),
                        "ReparentTablet", "zone1-100"),
                // Schema
                c("ReloadSchema", ReloadSchemaRequest.newBuilder().setTabletAlias(z100).build(),
                        "ReloadSchema", "zone1-100"),
                c("ReloadSchemaShard", ReloadSchemaShardRequest.newBuilder().setKeyspace("c").setShard("0")
                        .setIncludePrimary(true).setConcurrency(4).setWaitPosition("MariaDB/0-1-5").build(),
                        "ReloadSchemaShard", "-include_master", "--concurrency=4", "--wait-position",
                        "MariaDB/0-1-5", "c/0"),
                c("ReloadSchemaKeyspace", ReloadSchemaKeyspaceRequest.newBuilder().setKeyspace("c")
                        .setIncludePrimary(true).build(), "ReloadSchemaKeyspace", "--include-primary", "c"),
                c("GetSchema", GetSchemaRequest.newBuilder().setTabletAlias(z100).addTables("t1")
                        .addTables("/^x/").addExcludeTables("t9").setIncludeViews(true).setTableNamesOnly(true)
                        .build(), "GetSchema", "--tables", "t1,/^x/", "--exclude-tables", "t9", "--include-views",
                        "--table-names-only", "zone1-100"),
                c("ApplySchema", ApplySchemaRequest.newBuilder().setKeyspace("c")
                        .addSql("create table a (id int)").addSql("insert into a values (';')").build(),
                        "ApplySchema", "-sql", "create table a (id int); insert into a values (';')", "c"),
                c("ApplySchema", ApplySchemaRequest.newBuilder().setKeyspace("c")
                        .addSql("create table a (id int)").addSql("create table b (id int)")
                        .setDdlStrategy("vitess").setWaitReplicasTimeout(seconds(10)).build(),
                        "ApplySchema", "--sql-file", sqlFile.toString(), "--ddl-strategy", "vitess",
                        "--wait-replicas-timeout", "10s", "c"),
                // VSchema and serving graph
                c("GetVSchema", GetVSchemaRequest.newBuilder().setKeyspace("c").build(), "GetVSchema", "c"),
                c("ApplyVSchema", ApplyVSchemaRequest.newBuilder().setKeyspace("c").setVSchema(vschema)
                        .setDryRun(true).setSkipRebuild(true).addCells("zone1").build(),
                        "ApplyVSchema", "-vschema", "{\"sharded\":true,\"vindexes\":{\"hash\":{\"type\":\"hash\"}}}",
                        "-dry_run", "-skip_rebuild", "-cells", "zone1", "c"),
                c("ApplyVSchema", ApplyVSchemaRequest.newBuilder().setKeyspace("c").setVSchema(vschema).build(),
                        "ApplyVSchema", "--vschema-file", vschemaFile.toString(), "c"),
                c("ApplyVSchema", ApplyVSchemaRequest.newBuilder().setKeyspace("c")
                        .setSql("alter vschema add table t").build(),
                        "ApplyVSchema", "--sql", "alter vschema add table t", "c"),
                c("GetRoutingRules", GetRoutingRulesRequest.getDefaultInstance(), "GetRoutingRules"),
                c("ApplyRoutingRules", ApplyRoutingRulesRequest.newBuilder().setRoutingRules(RoutingRules.newBuilder()
                                .addRules(RoutingRule.newBuilder().setFromTable("t").addToTables("ks.t")))
                        .setSkipRebuild(true).build(),
                        "ApplyRoutingRules", "--rules-file", rulesFile.toString(), "--skip-rebuild"),
                c("RebuildVSchemaGraph", RebuildVSchemaGraphRequest.newBuilder().addCells("zone1").build(),
                        "RebuildVSchemaGraph", "--cells=zone1"),
                c("GetSrvKeyspaces", GetSrvKeyspacesRequest.newBuilder().setKeyspace("c").addCells("zone1")
                        .addCells("zone2").build(), "GetSrvKeyspaces", "c", "zone1", "zone2"),
                c("GetSrvKeyspaces", GetSrvKeyspacesRequest.newBuilder().setKeyspace("c").addCells("zone1")
                        .build(), "GetSrvKeyspace", "zone1", "c"),
                c("GetSrvKeyspaceNames", GetSrvKeyspaceNamesRequest.getDefaultInstance(), "GetSrvKeyspaceNames"),
                c("GetSrvVSchema", GetSrvVSchemaRequest.newBuilder().setCell("zone1").build(),
                        "GetSrvVSchema", "zone1"),
                // Topology
                c("AddCellInfo", AddCellInfoRequest.newBuilder().setName("zone1").setCellInfo(CellInfo.newBuilder()
                                .setServerAddress("localhost:2379").setRoot("/vt/zone1")).build(),
                        "AddCellInfo", "-server_address", "localhost:2379", "-root", "/vt/zone1", "zone1"),
                c("UpdateCellInfo", UpdateCellInfoRequest.newBuilder().setName("zone1").setCellInfo(
                        CellInfo.newBuilder().setRoot("/new")).build(), "UpdateCellInfo", "--root=/new", "zone1"),
                c("GetCellInfo", GetCellInfoRequest.newBuilder().setCell("zone1").build(), "GetCellInfo", "zone1"),
                c("GetCellInfoNames", GetCellInfoNamesRequest.getDefaultInstance(), "GetCellInfoNames"),
                c("DeleteCellInfo", DeleteCellInfoRequest.newBuilder().setName("zone1").setForce(true).build(),
                        "DeleteCellInfo", "--force", "zone1"),
                c("ExportTopology", ExportTopologyRequest.newBuilder().addKeyspaces("a").addKeyspaces("b")
                        .addCells("zone1").build(), "ExportTopology", "--keyspaces", "a,b", "--cells", "zone1"),
                c("ImportTopology", ImportTopologyRequest.newBuilder().setTopology(TopologyExport.newBuilder()
                                .setFormatVersion(1).addKeyspaces(KeyspaceExport.newBuilder().setName("commerce")))
                        .setOverwrite(true).setDryRun(true).build(),
                        "ImportTopology", "--overwrite", "--dry-run", exportFile.toString())));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void commandLineBecomesTheExpectedRequest(String display, List<String> args, String method, Message expected) {
        ctl.fake.clear();
        CtlHarness.Result r = ctl.run(args.toArray(String[]::new));
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(ctl.fake.received()).hasSize(1);
        assertThat(ctl.fake.last().method()).isEqualTo(method);
        assertThat(ctl.fake.last().request()).isEqualTo(expected);
        CommandSpec spec = CommandRegistry.standard().find(args.getFirst()).orElseThrow();
        assertThat(spec.rpc()).as("the RPC %s declares", spec.name()).isEqualTo(method);
        assertThat(spec.request()).isEqualTo(expected.getClass());
    }

    @Test
    void rebuildKeyspaceGraphSendsOneRequestPerKeyspace() {
        ctl.fake.clear();
        CtlHarness.Result r = ctl.run("RebuildKeyspaceGraph", "-cells", "zone1", "ks1", "ks2");
        assertThat(r.code()).isZero();
        assertThat(ctl.fake.received()).extracting(FakeVtctld.Received::request).containsExactly(
                RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("ks1").addCells("zone1").build(),
                RebuildKeyspaceGraphRequest.newBuilder().setKeyspace("ks2").addCells("zone1").build());
    }

    @Test
    void everyRegisteredCommandIsCoveredByTheTable() throws Exception {
        List<String> covered = cases().map(a -> ((List<?>) a.get()[1]).getFirst().toString()).toList();
        List<String> missing = new ArrayList<>();
        for (var c : io.tessera.ctl.command.CommandRegistry.standard().names()) {
            if (!covered.contains(c) && !c.equals("RebuildKeyspaceGraph")) {
                missing.add(c);
            }
        }
        assertThat(missing).as("command names without a mapping case").isEmpty();
    }
}
