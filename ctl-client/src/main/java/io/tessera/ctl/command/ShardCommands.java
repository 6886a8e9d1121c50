package io.tessera.ctl.command;

import static io.tessera.ctl.command.CommandSpec.command;

import io.tessera.ctl.cli.FlagDef;
import io.tessera.ctl.cli.UsageException;
import io.tessera.ctl.cli.Values;
import io.tessera.ctl.cli.Values.KeyspaceShard;
import io.tessera.ctl.format.Json;
import io.tessera.ctl.format.TabletLine;
import io.tessera.proto.replicationdata.Status;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.CreateShardRequest;
import io.tessera.proto.vtctldata.DeleteShardsRequest;
import io.tessera.proto.vtctldata.FindAllShardsInKeyspaceRequest;
import io.tessera.proto.vtctldata.GetShardReplicationRequest;
import io.tessera.proto.vtctldata.GetShardRequest;
import io.tessera.proto.vtctldata.SetShardTabletControlRequest;
import io.tessera.proto.vtctldata.Shard;
import io.tessera.proto.vtctldata.ShardReplicationPositionsRequest;
import io.tessera.proto.vtctldata.ShardReplicationPositionsResponse;
import io.tessera.proto.vtctlservice.VtctldGrpc.VtctldBlockingStub;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Shard records, tablet controls and shard replication. */
final class ShardCommands implements CommandGroup {

    static final FlagDef CELLS = FlagDef.list("cells", "cell,...", "Cells to act on (default all).");

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                command("CreateShard", Group.SHARDS)
                        .args("<keyspace/shard>")
                        .summary("Creates a shard record.")
                        .flags(FlagDef.bool("force", "Succeed if the shard already exists."),
                                FlagDef.bool("include-parent", "Create the keyspace too if it does not exist.")
                                        .aka("parent"))
                        .sends(CreateShardRequest.class)
                        .parse(a -> {
                            KeyspaceShard ks = Values.keyspaceShard(a.expect(1, 1, "<keyspace/shard>").arg(0));
                            return Call.of(CreateShardRequest.newBuilder()
                                            .setKeyspace(ks.keyspace()).setShardName(ks.shard())
                                            .setForce(a.bool("force"))
                                            .setIncludeParent(a.bool("include-parent"))
                                            .build(),
                                    VtctldBlockingStub::createShard, (resp, out) -> {
                                        out.println((resp.getShardAlreadyExists() ? "Shard already exists: "
                                                : "Successfully created shard ") + ks + ". Result:");
                                        out.println(Json.print(resp.getShard()));
                                    });
                        }),
                command("GetShard", Group.SHARDS)
                        .args("<keyspace/shard>")
                        .summary("Prints a shard record as JSON.")
                        .sends(GetShardRequest.class)
                        .parse(a -> {
                            KeyspaceShard ks = Values.keyspaceShard(a.expect(1, 1, "<keyspace/shard>").arg(0));
                            return Call.of(GetShardRequest.newBuilder()
                                            .setKeyspace(ks.keyspace()).setShardName(ks.shard()).build(),
                                    VtctldBlockingStub::getShard, Printers.json(r -> r.getShard()));
                        }),
                command("DeleteShards", Group.SHARDS)
                        .aliases("DeleteShard")
                        .args("<keyspace/shard> [<keyspace/shard>...]")
                        .summary("Deletes shard records; with --recursive also their tablets.")
                        .flags(FlagDef.bool("recursive", "Also delete the shards' tablet records."),
                                FlagDef.bool("even-if-serving", "Delete shards that still serve traffic."),
                                FlagDef.bool("force", "Go on even if the shard lock cannot be taken."))
                        .sends(DeleteShardsRequest.class)
                        .parse(a -> {
                            a.expect(1, -1, "<keyspace/shard>...");
                            DeleteShardsRequest.Builder r = DeleteShardsRequest.newBuilder()
                                    .setRecursive(a.bool("recursive"))
                                    .setEvenIfServing(a.bool("even-if-serving"))
                                    .setForce(a.bool("force"));
                            for (String s : a.positionals()) {
                                KeyspaceShard ks = Values.keyspaceShard(s);
                                r.addShards(Shard.newBuilder().setKeyspace(ks.keyspace()).setName(ks.shard()));
                            }
                            return Call.of(r.build(), VtctldBlockingStub::deleteShards, Call.silent());
                        }),
                command("FindAllShardsInKeyspace", Group.SHARDS)
                        .args("<keyspace>")
                        .summary("Prints every shard of a keyspace as JSON, keyed by shard name.")
                        .sends(FindAllShardsInKeyspaceRequest.class)
                        .parse(a -> Call.of(FindAllShardsInKeyspaceRequest.newBuilder()
                                        .setKeyspace(a.expect(1, 1, "<keyspace>").arg(0)).build(),
                                VtctldBlockingStub::findAllShardsInKeyspace, Printers.json())),
                command("SetShardTabletControl", Group.SHARDS)
                        .args("<keyspace/shard> <tablet type>")
                        .summary("Sets the denied tables or disables the query service of one tablet type on "
                                + "a shard.")
                        .flags(CELLS,
                                FlagDef.list("denied-tables", "table,...",
                                        "Tables the query service must refuse.").aka("blacklisted_tables"),
                                FlagDef.bool("remove", "Remove the control (or just the listed tables)."),
                                FlagDef.bool("disable-query-service", "Switch the query service off."))
                        .sends(SetShardTabletControlRequest.class)
                        .parse(a -> {
                            a.expect(2, 2, "<keyspace/shard> <tablet type>");
                            KeyspaceShard ks = Values.keyspaceShard(a.arg(0));
                            return Call.of(SetShardTabletControlRequest.newBuilder()
                                            .setKeyspace(ks.keyspace()).setShard(ks.shard())
                                            .setTabletType(Values.tabletType(a.arg(1)))
                                            .addAllCells(a.list("cells"))
                                            .addAllDeniedTables(a.list("denied-tables"))
                                            .setRemove(a.bool("remove"))
                                            .setDisableQueryService(a.bool("disable-query-service"))
                                            .build(),
                                    VtctldBlockingStub::setShardTabletControl, Printers.json(r -> r.getShard()));
                        }),
                command("GetShardReplication", Group.SHARDS)
                        .args("<keyspace/shard> [<cell>...]")
                        .summary("Prints a shard's replication graph (its tablets per cell) as JSON.")
                        .sends(GetShardReplicationRequest.class)
                        .parse(a -> {
                            a.expect(1, -1, "<keyspace/shard> [<cell>...]");
                            KeyspaceShard ks = Values.keyspaceShard(a.arg(0));
                            return Call.of(GetShardReplicationRequest.newBuilder()
                                            .setKeyspace(ks.keyspace()).setShard(ks.shard())
                                            .addAllCells(splitAll(a.rest(1)))
                                            .build(),
                                    VtctldBlockingStub::getShardReplication, Printers.json());
                        }),
                command("ShardReplicationPositions", Group.SHARDS)
                        .args("<keyspace/shard>")
                        .summary("Prints each tablet of a shard with its replication position and lag.")
                        .details("""
                                One line per tablet, primary first, then by alias:
                                  <tablet line as ListAllTablets prints it> <position> <lag>
                                A tablet that did not answer shows <err> for position and lag.""")
                        .sends(ShardReplicationPositionsRequest.class)
                        .parse(a -> {
                            KeyspaceShard ks = Values.keyspaceShard(a.expect(1, 1, "<keyspace/shard>").arg(0));
                            return Call.of(ShardReplicationPositionsRequest.newBuilder()
                                            .setKeyspace(ks.keyspace()).setShard(ks.shard()).build(),
                                    VtctldBlockingStub::shardReplicationPositions,
                                    ShardCommands::printPositions);
                        }));
    }

    static void printPositions(ShardReplicationPositionsResponse resp, PrintWriter out) {
        List<Tablet> tablets = new ArrayList<>(resp.getTabletMapMap().values());
        tablets.sort(Comparator.comparing((Tablet t) -> t.getType() != TabletType.PRIMARY)
                .thenComparing(Tablet::getAlias, TabletLine.ALIAS_ORDER));
        for (Tablet t : tablets) {
            Status s = resp.getReplicationStatusesMap().get(Values.aliasString(t.getAlias()));
            String tail = s == null ? "<err> <err>"
                    : (s.getPosition().isEmpty() ? "<none>" : s.getPosition()) + " "
                            + (s.getReplicationLagUnknown() ? "unknown" : s.getReplicationLagSeconds() + "s");
            out.println(TabletLine.of(t) + " " + tail);
        }
    }

    /** Cells given as several words, each possibly comma-separated. */
    static List<String> splitAll(List<String> words) throws UsageException {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            for (String part : w.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }
}
