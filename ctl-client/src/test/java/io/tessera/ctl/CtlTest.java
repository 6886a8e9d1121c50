package io.tessera.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.ctl.command.CommandRegistry;
import io.tessera.proto.logutil.Event;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.proto.replicationdata.Status;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vschema.Keyspace;
import io.tessera.proto.vtctldata.ApplyVSchemaResponse;
import io.tessera.proto.vtctldata.ExecuteFetchAsDBAResponse;
import io.tessera.proto.vtctldata.ExportTopologyResponse;
import io.tessera.proto.vtctldata.GetKeyspaceResponse;
import io.tessera.proto.vtctldata.GetKeyspacesResponse;
import io.tessera.proto.vtctldata.GetTabletsResponse;
import io.tessera.proto.vtctldata.ImportTopologyResponse;
import io.tessera.proto.vtctldata.PlannedReparentShardResponse;
import io.tessera.proto.vtctldata.ShardReplicationPositionsResponse;
import io.tessera.proto.vtctldata.TopologyExport;
import io.tessera.proto.vtrpc.Code;
import io.tessera.queryservice.CompactRows;
import io.tessera.testing.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's behaviour as an operator sees it: output, help, errors and exit codes. */
class CtlTest {
    private CtlHarness ctl;

    @BeforeEach
    void start() throws Exception {
        ctl = new CtlHarness();
    }

    @AfterEach
    void stop() throws Exception {
        ctl.close();
    }

    static Tablet tablet(int uid, TabletType type) {
        return Tablet.newBuilder().setAlias(TabletAlias.newBuilder().setCell("zone1").setUid(uid))
                .setKeyspace("commerce").setShard("0").setType(type).setHostname("localhost")
                .putPortMap("grpc", 16000 + uid).setMysqlHostname("localhost").setMysqlPort(17000 + uid).build();
    }

    @Test
    void serverFlagInEverySpellingChoosesTheDaemon() {
        assertThat(ctl.run("GetKeyspaces").code()).isZero();
        assertThat(ctl.run("-server", "h1:1", "GetKeyspaces").code()).isZero();
        assertThat(ctl.run("--server=h2:2", "--action_timeout", "30s", "GetKeyspaces").code()).isZero();
        assertThat(ctl.run("--action-timeout=1m", "-server=h3:3", "GetKeyspaces").code()).isZero();
        assertThat(ctl.dialed).containsExactly("localhost:15999", "h1:1", "h2:2", "h3:3");
    }

    @Test
    void listAllTabletsPrintsOneSortedLinePerTablet() {
        ctl.fake.respond("GetTablets", GetTabletsResponse.newBuilder()
                .addTablets(tablet(102, TabletType.RDONLY).toBuilder().putTags("az", "a"))
                .addTablets(tablet(100, TabletType.PRIMARY))
                .addTablets(tablet(101, TabletType.REPLICA)).build());
        CtlHarness.Result r = ctl.run("ListAllTablets", "zone1");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                zone1-0000000100 commerce 0 primary localhost:16100 localhost:17100 []
                zone1-0000000101 commerce 0 replica localhost:16101 localhost:17101 []
                zone1-0000000102 commerce 0 rdonly localhost:16102 localhost:17102 [az:a]
                """);
    }

    @Test
    void getTabletsJsonIsAnArrayOfRecords() {
        ctl.fake.respond("GetTablets", GetTabletsResponse.newBuilder().addTablets(tablet(100, TabletType.PRIMARY))
                .build());
        String out = ctl.run("GetTablets", "--format=json").out();
        assertThat(out).startsWith("[\n  {\n    \"alias\": {\n      \"cell\": \"zone1\",\n      \"uid\": 100\n")
                .contains("\"type\": \"PRIMARY\"", "\"mysql_hostname\": \"localhost\"").endsWith("}\n]\n");
    }

    @Test
    void executeFetchAsDbaPrintsABorderedTableOrJson() {
        ctl.fake.respond("ExecuteFetchAsDBA", ExecuteFetchAsDBAResponse.newBuilder().setResult(QueryResult
                .newBuilder().addFields(Field.newBuilder().setName("id").setType(Type.INT32))
                .addFields(Field.newBuilder().setName("v").setType(Type.VARCHAR))
                .addRows(CompactRows.ofStrings("1", null)).build()).build());
        assertThat(ctl.run("ExecuteFetchAsDba", "zone1-100", "select * from t").out()).isEqualTo("""
                +----+------+
                | id | v    |
                +----+------+
                |  1 | NULL |
                +----+------+
                """);
        assertThat(ctl.run("ExecuteFetchAsDBA", "-json", "zone1-100", "select * from t").out())
                .contains("\"rows\": [\n    [\"1\", null]\n  ]");
    }

    @Test
    void reparentPrintsEventsThenThePromotedPrimary() {
        ctl.fake.respond("PlannedReparentShard", PlannedReparentShardResponse.newBuilder()
                .setKeyspace("commerce").setShard("0")
                .setPromotedPrimary(TabletAlias.newBuilder().setCell("zone1").setUid(101))
                .addEvents(Event.newBuilder().setValue("demoting zone1-0000000100"))
                .addEvents(Event.newBuilder().setValue("promoting zone1-0000000101")).build());
        CtlHarness.Result r = ctl.run("PlannedReparentShard", "commerce/0", "--new-primary", "zone1-101");
        assertThat(r.out()).isEqualTo("""
                demoting zone1-0000000100
                promoting zone1-0000000101
                Promoted zone1-0000000101 to primary of commerce/0
                """);
    }

    @Test
    void shardReplicationPositionsPutsThePrimaryFirst() {
        ctl.fake.respond("ShardReplicationPositions", ShardReplicationPositionsResponse.newBuilder()
                .putTabletMap("zone1-0000000101", tablet(101, TabletType.REPLICA))
                .putTabletMap("zone1-0000000100", tablet(100, TabletType.PRIMARY))
                .putTabletMap("zone1-0000000102", tablet(102, TabletType.REPLICA))
                .putReplicationStatuses("zone1-0000000100", Status.newBuilder().setPosition("0-1-10").build())
                .putReplicationStatuses("zone1-0000000101", Status.newBuilder().setPosition("0-1-9")
                        .setReplicationLagSeconds(2).build()).build());
        assertThat(ctl.run("ShardReplicationPositions", "commerce/0").out()).isEqualTo("""
                zone1-0000000100 commerce 0 primary localhost:16100 localhost:17100 [] 0-1-10 0s
                zone1-0000000101 commerce 0 replica localhost:16101 localhost:17101 [] 0-1-9 2s
                zone1-0000000102 commerce 0 replica localhost:16102 localhost:17102 [] <err> <err>
                """);
    }

    @Test
    void jsonUsesProtoFieldNamesAndEnumNames() {
        ctl.fake.respond("GetKeyspace", GetKeyspaceResponse.newBuilder().setKeyspace(
                io.tessera.proto.vtctldata.Keyspace.newBuilder().setName("commerce").setKeyspace(
                        io.tessera.proto.topodata.Keyspace.newBuilder().setDurabilityPolicy("semi_sync")
                                .setSidecarDbName("_vt"))).build());
        assertThat(ctl.run("GetKeyspace", "commerce").out()).isEqualTo("""
                {
                  "name": "commerce",
                  "keyspace": {
                    "durability_policy": "semi_sync",
                    "sidecar_db_name": "_vt"
                  }
                }
                """);
    }

    @Test
    void getKeyspacesPrintsNames() {
        ctl.fake.respond("GetKeyspaces", GetKeyspacesResponse.newBuilder()
                .addKeyspaces(io.tessera.proto.vtctldata.Keyspace.newBuilder().setName("customer"))
                .addKeyspaces(io.tessera.proto.vtctldata.Keyspace.newBuilder().setName("commerce")).build());
        assertThat(ctl.run("GetKeyspaces").out()).isEqualTo("commerce\ncustomer\n");
    }

    @Test
    void applyVSchemaPrintsTheStoredVSchemaAndRefusesBadJson() {
        ctl.fake.respond("ApplyVSchema", ApplyVSchemaResponse.newBuilder()
                .setVSchema(Keyspace.newBuilder().setSharded(true)).build());
        assertThat(ctl.run("ApplyVSchema", "--vschema", "{\"sharded\": true}", "c").out())
                .isEqualTo("{\n  \"sharded\": true\n}\n");

        ctl.fake.clear();
        CtlHarness.Result bad = ctl.run("ApplyVSchema", "--vschema", "{\"shardedd\": true}", "c");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("tessera-ctl: invalid VSchema JSON: ").contains("shardedd")
                .hasLineCount(1);
        assertThat(ctl.fake.received()).isEmpty();
    }

    @Test
    void exportToAFileAndImportIt(@TempDir Path dir) throws Exception {
        TopologyExport export = TopologyExport.newBuilder().setFormatVersion(1)
                .addKeyspaces(io.tessera.proto.vtctldata.KeyspaceExport.newBuilder().setName("commerce")).build();
        ctl.fake.respond("ExportTopology", ExportTopologyResponse.newBuilder().setTopology(export).build());
        Path file = dir.resolve("topo.json");
        CtlHarness.Result r = ctl.run("ExportTopology", "--output", file.toString());
        assertThat(r.out()).isEqualTo("Wrote the topology (0 cells, 1 keyspaces, 0 tablets) to " + file + "\n");

        ctl.fake.respond("ImportTopology", ImportTopologyResponse.newBuilder()
                .addWrittenPaths("/global/keyspaces/commerce/Keyspace").addUnchangedPaths("/global/cells/zone1")
                .build());
        CtlHarness.Result imported = ctl.run("ImportTopology", file.toString());
        assertThat(imported.out()).isEqualTo("""
                wrote /global/keyspaces/commerce/Keyspace
                unchanged /global/cells/zone1
                1 written, 1 unchanged
                """);
        assertThat(((io.tessera.proto.vtctldata.ImportTopologyRequest) ctl.fake.last().request()).getTopology())
                .isEqualTo(export);
        assertThat(Files.readString(file)).contains("\"format_version\": 1");
    }

    @Test
    void helpListsGroupsAndCommandHelpPrintsFlags() {
        CtlHarness.Result all = ctl.run("help");
        assertThat(all.code()).isZero();
        assertThat(all.out()).contains("Keyspaces:", "Shards:", "Tablets:", "Replication/Reparent:", "Schema:",
                "VSchema/Serving graph:", "Topology:", "(old name: InitShardMaster)");
        assertThat(ctl.run("--help").out()).isEqualTo(all.out());

        CtlHarness.Result one = ctl.run("help", "InitShardMaster");
        assertThat(one.code()).isZero();
        assertThat(one.out()).startsWith("Usage: tessera-ctl [global flags] InitShardPrimary [flags] "
                + "<keyspace/shard> <tablet alias>").contains("--force", "--wait-replicas-timeout");
        assertThat(ctl.run("SetShardTabletControl", "--help").out()).contains("(old name: -blacklisted_tables)");
        assertThat(ctl.run("PlannedReparentShard", "-h").code()).isZero();
        assertThat(ctl.fake.received()).isEmpty();
    }

    @Test
    void noCommandPrintsTheOverviewOnStderrAndFails() {
        CtlHarness.Result r = ctl.run();
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("Usage: tessera-ctl");
    }

    @Test
    void unknownCommandIsOneLineAndExit1() {
        CtlHarness.Result r = ctl.run("Foo");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("tessera-ctl: unknown command \"Foo\"; run 'tessera-ctl help' for the list\n");
        assertThat(ctl.run("help", "Foo").code()).isEqualTo(1);
        assertThat(ctl.run("getkeyspaces").code()).as("names are case-sensitive").isEqualTo(1);
    }

    @Test
    void usageErrorsAreOneLineAndSendNothing() {
        expectUsageError(ctl.run("GetTablet", "zone1-abc"), "tessera-ctl: malformed tablet alias \"zone1-abc\"");
        expectUsageError(ctl.run("GetShard", "commerce"), "tessera-ctl: malformed keyspace/shard \"commerce\"");
        expectUsageError(ctl.run("GetKeyspace"), "tessera-ctl: GetKeyspace needs <keyspace>");
        expectUsageError(ctl.run("GetKeyspace", "--bogus", "c"), "tessera-ctl: unknown flag --bogus for GetKeyspace");
        expectUsageError(ctl.run("--bogus", "GetKeyspaces"), "tessera-ctl: unknown global flag --bogus");
        expectUsageError(ctl.run("ChangeTabletType", "zone1-1", "boss"), "tessera-ctl: unknown tablet type \"boss\"");
        expectUsageError(ctl.run("PlannedReparentShard"), "tessera-ctl: PlannedReparentShard needs <keyspace/shard>");
        expectUsageError(ctl.run("ApplySchema", "c"), "tessera-ctl: ApplySchema needs exactly one of --sql");
        expectUsageError(ctl.run("SetWritable", "zone1-1", "maybe"), "tessera-ctl: writable must be true or false");
        expectUsageError(ctl.run("GetTablets", "--shard", "0"), "tessera-ctl: --shard needs --keyspace");
        expectUsageError(ctl.run("--action_timeout", "soon", "GetKeyspaces"), "tessera-ctl: invalid --action_timeout");
        assertThat(ctl.fake.received()).isEmpty();
        assertThat(ctl.dialed).isEmpty();
    }

    private static void expectUsageError(CtlHarness.Result r, String start) {
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith(start).hasLineCount(1);
    }

    @Test
    void rpcErrorPrintsTheDaemonsMessageAndCode() {
        ctl.fake.fail("GetKeyspace", TesseraException.uncatalogued(Code.NOT_FOUND, 0, "", "",
                "keyspace nosuch not found\nin the global topology", null));
        CtlHarness.Result r = ctl.run("GetKeyspace", "nosuch");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(
                "tessera-ctl: GetKeyspace failed: keyspace nosuch not found in the global topology (NOT_FOUND)\n");
    }

    @Test
    void unavailableFromTheDaemonIsNotMistakenForAnUnreachableDaemon() {
        ctl.fake.fail("PingTablet", TesseraException.of(ErrorKind.MYSQLD_DOWN, "zone1-0000000100", "connection refused"));
        CtlHarness.Result r = ctl.run("PingTablet", "zone1-100");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("tessera-ctl: PingTablet failed: ").endsWith("(UNAVAILABLE)\n");
    }

    @Test
    void unreachableDaemonIsOneLineAndExit1() {
        int port = FreePorts.next();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Ctl(new PrintWriter(out), new PrintWriter(err), ChannelFactory.plaintext(),
                CommandRegistry.standard()).run("--server", "localhost:" + port, "GetKeyspaces");
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("tessera-ctl: cannot reach tessera-ctld at localhost:" + port + ": ")
                .hasLineCount(1);
    }
}
