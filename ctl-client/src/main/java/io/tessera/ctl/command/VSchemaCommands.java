package io.tessera.ctl.command;

import static io.tessera.ctl.command.CommandSpec.command;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.tessera.ctl.cli.FileArg;
import io.tessera.ctl.cli.FlagDef;
import io.tessera.ctl.cli.UsageException;
import io.tessera.ctl.format.Json;
import io.tessera.proto.topodata.SrvKeyspace;
import io.tessera.proto.vschema.Keyspace;
import io.tessera.proto.vschema.RoutingRules;
import io.tessera.proto.vtctldata.ApplyRoutingRulesRequest;
import io.tessera.proto.vtctldata.ApplyVSchemaRequest;
import io.tessera.proto.vtctldata.GetRoutingRulesRequest;
import io.tessera.proto.vtctldata.GetSrvKeyspaceNamesRequest;
import io.tessera.proto.vtctldata.GetSrvKeyspacesRequest;
import io.tessera.proto.vtctldata.GetSrvVSchemaRequest;
import io.tessera.proto.vtctldata.GetVSchemaRequest;
import io.tessera.proto.vtctldata.RebuildKeyspaceGraphRequest;
import io.tessera.proto.vtctldata.RebuildVSchemaGraphRequest;
import io.tessera.proto.vtctlservice.VtctldGrpc.VtctldBlockingStub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** VSchemas, routing rules and the serving graph (SrvKeyspace, SrvVSchema). */
final class VSchemaCommands implements CommandGroup {

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                command("GetVSchema", Group.VSCHEMA)
                        .args("<keyspace>")
                        .summary("Prints a keyspace's VSchema as JSON.")
                        .sends(GetVSchemaRequest.class)
                        .parse(a -> Call.of(GetVSchemaRequest.newBuilder()
                                        .setKeyspace(a.expect(1, 1, "<keyspace>").arg(0)).build(),
                                VtctldBlockingStub::getVSchema, Printers.json(r -> r.getVSchema()))),
                command("ApplyVSchema", Group.VSCHEMA)
                        .args("<keyspace>")
                        .summary("Stores a keyspace's VSchema and rebuilds the cells' SrvVSchema.")
                        .details("""
                                The VSchema is Vitess's JSON (sharded, vindexes, tables...), with snake_case or
                                camelCase keys; an unknown key is an error. Alternatively --sql gives ALTER
                                VSCHEMA statements applied to the current VSchema. Prints the VSchema as stored.""")
                        .flags(FlagDef.string("vschema", "json", "The VSchema as JSON."),
                                FlagDef.string("vschema-file", "file", "File with the VSchema JSON."),
                                FlagDef.string("sql", "statements", "ALTER VSCHEMA statements instead of JSON."),
                                FlagDef.string("sql-file", "file", "File with ALTER VSCHEMA statements."),
                                FlagDef.bool("dry-run", "Validate and print the result without storing it."),
                                FlagDef.bool("skip-rebuild", "Do not rebuild SrvVSchema."),
                                FlagDef.bool("strict", "Refuse vindex parameters the vindex type does not know."),
                                ShardCommands.CELLS)
                        .sends(ApplyVSchemaRequest.class)
                        .parse(a -> {
                            String keyspace = a.expect(1, 1, "<keyspace>").arg(0);
                            ApplyVSchemaRequest.Builder r = ApplyVSchemaRequest.newBuilder()
                                    .setKeyspace(keyspace)
                                    .setDryRun(a.bool("dry-run"))
                                    .setSkipRebuild(a.bool("skip-rebuild"))
                                    .setStrict(a.bool("strict"))
                                    .addAllCells(a.list("cells"));
                            boolean json = a.has("vschema") || a.has("vschema-file");
                            boolean sql = a.has("sql") || a.has("sql-file");
                            if (json == sql) {
                                throw new UsageException("ApplyVSchema needs exactly one of --vschema, "
                                        + "--vschema-file, --sql and --sql-file");
                            }
                            if (json) {
                                Keyspace vschema = parse(FileArg.read(a, "vschema", "vschema-file"),
                                        Keyspace.newBuilder(), "VSchema");
                                r.setVSchema(vschema);
                            } else {
                                r.setSql(FileArg.read(a, "sql", "sql-file"));
                            }
                            boolean dryRun = r.getDryRun();
                            return Call.of(r.build(), VtctldBlockingStub::applyVSchema, (resp, out) -> {
                                resp.getUnknownVindexParamsMap().entrySet().stream()
                                        .sorted(Map.Entry.comparingByKey())
                                        .forEach(e -> out.println("warning: vindex " + e.getKey()
                                                + " has unknown params: " + String.join(", ",
                                                        e.getValue().getParamsList())));
                                if (dryRun) {
                                    out.println("Dry run: nothing was stored. The VSchema would be:");
                                }
                                out.println(Json.print(resp.getVSchema()));
                            });
                        }),
                command("GetRoutingRules", Group.VSCHEMA)
                        .summary("Prints the table routing rules as JSON.")
                        .sends(GetRoutingRulesRequest.class)
                        .parse(a -> Call.of(GetRoutingRulesRequest.newBuilder().build(),
                                VtctldBlockingStub::getRoutingRules, Printers.json(r -> r.getRoutingRules()))),
                command("ApplyRoutingRules", Group.VSCHEMA)
                        .summary("Replaces the table routing rules.")
                        .flags(FlagDef.string("rules", "json", "The routing rules as JSON."),
                                FlagDef.string("rules-file", "file", "File with the routing rules JSON."),
                                FlagDef.bool("skip-rebuild", "Do not rebuild SrvVSchema."),
                                ShardCommands.CELLS)
                        .sends(ApplyRoutingRulesRequest.class)
                        .parse(a -> {
                            a.expect(0, 0, "");
                            RoutingRules rules = VSchemaCommands.<RoutingRules>parse(FileArg.read(a, "rules", "rules-file"),
                                    RoutingRules.newBuilder(), "routing rules");
                            return Call.of(ApplyRoutingRulesRequest.newBuilder().setRoutingRules(rules)
                                            .setSkipRebuild(a.bool("skip-rebuild"))
                                            .addAllRebuildCells(a.list("cells")).build(),
                                    VtctldBlockingStub::applyRoutingRules, Call.silent());
                        }),
                command("RebuildKeyspaceGraph", Group.VSCHEMA)
                        .args("<keyspace>...")
                        .summary("Rebuilds the serving graph (SrvKeyspace) of keyspaces from their records.")
                        .flags(ShardCommands.CELLS,
                                FlagDef.bool("allow-partial", "Accept shards that do not cover the key range."))
                        .sends(RebuildKeyspaceGraphRequest.class)
                        .parse(a -> {
                            a.expect(1, -1, "<keyspace>...");
                            List<RebuildKeyspaceGraphRequest> requests = new ArrayList<>();
                            for (String ks : a.positionals()) {
                                requests.add(RebuildKeyspaceGraphRequest.newBuilder().setKeyspace(ks)
                                        .addAllCells(a.list("cells"))
                                        .setAllowPartial(a.bool("allow-partial")).build());
                            }
                            return new Call<>(requests, VtctldBlockingStub::rebuildKeyspaceGraph, Call.silent());
                        }),
                command("RebuildVSchemaGraph", Group.VSCHEMA)
                        .summary("Rebuilds every cell's SrvVSchema from the VSchemas and routing rules.")
                        .flags(ShardCommands.CELLS)
                        .sends(RebuildVSchemaGraphRequest.class)
                        .parse(a -> Call.of(RebuildVSchemaGraphRequest.newBuilder()
                                        .addAllCells(a.expect(0, 0, "").list("cells")).build(),
                                VtctldBlockingStub::rebuildVSchemaGraph, Call.silent())),
                command("GetSrvKeyspaces", Group.VSCHEMA)
                        .args("<keyspace> [<cell>...]")
                        .summary("Prints a keyspace's serving graph in each cell as JSON, keyed by cell.")
                        .sends(GetSrvKeyspacesRequest.class)
                        .parse(a -> {
                            a.expect(1, -1, "<keyspace> [<cell>...]");
                            return Call.of(GetSrvKeyspacesRequest.newBuilder().setKeyspace(a.arg(0))
                                            .addAllCells(ShardCommands.splitAll(a.rest(1))).build(),
                                    VtctldBlockingStub::getSrvKeyspaces,
                                    Printers.json(r -> r));
                        }),
                command("GetSrvKeyspace", Group.VSCHEMA)
                        .args("<cell> <keyspace>")
                        .summary("Old form: prints a keyspace's serving graph in one cell as JSON.")
                        .sends(GetSrvKeyspacesRequest.class)
                        .parse(a -> {
                            a.expect(2, 2, "<cell> <keyspace>");
                            String cell = a.arg(0);
                            return Call.of(GetSrvKeyspacesRequest.newBuilder().setKeyspace(a.arg(1))
                                            .addCells(cell).build(),
                                    VtctldBlockingStub::getSrvKeyspaces, (resp, out) -> out.println(Json.print(
                                            resp.getSrvKeyspacesOrDefault(cell, SrvKeyspace.getDefaultInstance()))));
                        }),
                command("GetSrvKeyspaceNames", Group.VSCHEMA)
                        .args("[<cell>...]")
                        .summary("Prints, per cell, the keyspaces that have a serving graph there.")
                        .details("One line per cell and keyspace: <cell> <keyspace>.")
                        .sends(GetSrvKeyspaceNamesRequest.class)
                        .parse(a -> Call.of(GetSrvKeyspaceNamesRequest.newBuilder()
                                        .addAllCells(ShardCommands.splitAll(a.positionals())).build(),
                                VtctldBlockingStub::getSrvKeyspaceNames, (resp, out) ->
                                        new TreeMap<>(resp.getNamesMap()).forEach((cell, names) ->
                                                names.getNamesList().stream().sorted()
                                                        .forEach(n -> out.println(cell + " " + n))))),
                command("GetSrvVSchema", Group.VSCHEMA)
                        .args("<cell>")
                        .summary("Prints a cell's SrvVSchema (all keyspaces' VSchemas and routing rules) as JSON.")
                        .sends(GetSrvVSchemaRequest.class)
                        .parse(a -> Call.of(GetSrvVSchemaRequest.newBuilder()
                                        .setCell(a.expect(1, 1, "<cell>").arg(0)).build(),
                                VtctldBlockingStub::getSrvVSchema, Printers.json(r -> r.getSrvVSchema()))));
    }

    /** Parses Vitess JSON into a record; a bad document is a usage error carrying the parser's reason. */
    @SuppressWarnings("unchecked")
    static <M extends Message> M parse(String json, Message.Builder builder, String what) throws UsageException {
        try {
            return (M) Json.parse(json, builder).build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new UsageException("invalid " + what + " JSON: " + e.getMessage());
        }
    }
}
