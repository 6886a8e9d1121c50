package io.tessera.ctl.command;

import static io.tessera.ctl.command.CommandSpec.command;

import io.tessera.ctl.cli.FlagDef;
import io.tessera.ctl.cli.ParsedArgs;
import io.tessera.ctl.cli.UsageException;
import io.tessera.ctl.cli.Values;
import io.tessera.ctl.cli.Values.KeyspaceShard;
import io.tessera.ctl.format.BorderedTable;
import io.tessera.ctl.format.Json;
import io.tessera.ctl.format.QueryResultJson;
import io.tessera.ctl.format.TabletLine;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.vtctldata.ChangeTabletTypeRequest;
import io.tessera.proto.vtctldata.DeleteTabletsRequest;
import io.tessera.proto.vtctldata.ExecuteFetchAsAppRequest;
import io.tessera.proto.vtctldata.ExecuteFetchAsDBARequest;
import io.tessera.proto.vtctldata.GetFullStatusRequest;
import io.tessera.proto.vtctldata.GetTabletRequest;
import io.tessera.proto.vtctldata.GetTabletsRequest;
import io.tessera.proto.vtctldata.GetTabletsResponse;
import io.tessera.proto.vtctldata.InitTabletRequest;
import io.tessera.proto.vtctldata.PingTabletRequest;
import io.tessera.proto.vtctldata.RefreshStateByShardRequest;
import io.tessera.proto.vtctldata.RefreshStateRequest;
import io.tessera.proto.vtctldata.SetWritableRequest;
import io.tessera.proto.vtctldata.StartReplicationRequest;
import io.tessera.proto.vtctldata.StopReplicationRequest;
import io.tessera.proto.vtctlservice.VtctldGrpc.VtctldBlockingStub;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;

/** Tablet records, tablet state, replication on one tablet, and SQL on one tablet. */
final class TabletCommands implements CommandGroup {

    private static final FlagDef MAX_ROWS = FlagDef.integer("max-rows", "n",
            "Fail if the result has more rows (default: the server's limit).");
    private static final FlagDef JSON = FlagDef.bool("json", "Print the result as JSON instead of a table.");

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                command("InitTablet", Group.TABLETS)
                        .args("<tablet alias> <tablet type>")
                        .summary("Writes a tablet record before the tablet starts (tablets normally register "
                                + "themselves).")
                        .flags(FlagDef.bool("allow-update", "Replace an existing record with the same alias."),
                                FlagDef.bool("parent", "Create the keyspace and shard records if missing."),
                                FlagDef.string("hostname", "host", "Host name of the tablet."),
                                FlagDef.string("mysql-host", "host", "Host of its MySQL (default --hostname)."),
                                FlagDef.integer("mysql-port", "port", "Port of its MySQL."),
                                FlagDef.integer("port", "port", "Its HTTP port (port_map vt)."),
                                FlagDef.integer("grpc-port", "port", "Its gRPC port (port_map grpc)."),
                                FlagDef.string("keyspace", "keyspace", "Keyspace of the tablet (required)."),
                                FlagDef.string("shard", "shard", "Shard of the tablet (required)."),
                                FlagDef.string("db-name-override", "name", "Database name instead of vt_<keyspace>."),
                                FlagDef.list("tags", "key:value,...", "Tags of the tablet."))
                        .sends(InitTabletRequest.class)
                        .parse(a -> {
                            a.expect(2, 2, "<tablet alias> <tablet type>");
                            String host = a.string("hostname", "");
                            Tablet.Builder t = Tablet.newBuilder()
                                    .setAlias(Values.alias(a.arg(0)))
                                    .setType(Values.tabletType(a.arg(1)))
                                    .setKeyspace(a.required("keyspace"))
                                    .setShard(a.required("shard"))
                                    .setHostname(host)
                                    .setMysqlHostname(a.string("mysql-host", host))
                                    .setMysqlPort(intFlag(a, "mysql-port"))
                                    .setDbNameOverride(a.string("db-name-override", ""));
                            if (a.has("port")) {
                                t.putPortMap("vt", intFlag(a, "port"));
                            }
                            if (a.has("grpc-port")) {
                                t.putPortMap("grpc", intFlag(a, "grpc-port"));
                            }
                            for (String tag : a.list("tags")) {
                                int colon = tag.indexOf(':');
                                if (colon <= 0) {
                                    throw new UsageException("malformed tag \"" + tag + "\": expected key:value");
                                }
                                t.putTags(tag.substring(0, colon), tag.substring(colon + 1));
                            }
                            return Call.of(InitTabletRequest.newBuilder().setTablet(t)
                                            .setAllowUpdate(a.bool("allow-update"))
                                            .setCreateShardAndKeyspace(a.bool("parent")).build(),
                                    VtctldBlockingStub::initTablet, Call.silent());
                        }),
                command("GetTablet", Group.TABLETS)
                        .args("<tablet alias>")
                        .summary("Prints a tablet record as JSON.")
                        .sends(GetTabletRequest.class)
                        .parse(a -> Call.of(GetTabletRequest.newBuilder().setTabletAlias(alias(a)).build(),
                                VtctldBlockingStub::getTablet, Printers.json(r -> r.getTablet()))),
                command("GetTablets", Group.TABLETS)
                        .args("[<tablet alias>...]")
                        .summary("Lists tablets, filtered by cell, keyspace, shard or type, or by alias.")
                        .details("""
                                --format awk (the default) prints one line per tablet, sorted by alias:
                                  alias keyspace shard type host:grpcport mysqlhost:mysqlport [tags]
                                --format json prints a JSON array of tablet records.""")
                        .flags(FlagDef.list("cell", "cell,...", "Only tablets in these cells.").aka("cells"),
                                FlagDef.string("keyspace", "keyspace", "Only tablets of this keyspace."),
                                FlagDef.string("shard", "shard", "Only tablets of this shard (needs --keyspace)."),
                                FlagDef.string("tablet-type", "type", "Only tablets of this type."),
                                FlagDef.list("tablet-alias", "alias,...", "Only these tablets."),
                                FlagDef.string("format", "awk|json", "Output format (default awk)."),
                                FlagDef.bool("strict", "Fail if a cell cannot be read."))
                        .sends(GetTabletsRequest.class)
                        .parse(a -> {
                            String format = a.string("format", "awk");
                            if (!format.equals("awk") && !format.equals("json")) {
                                throw new UsageException("invalid --format \"" + format + "\": expected awk or json");
                            }
                            List<TabletAlias> aliases = Values.aliases(
                                    java.util.stream.Stream.concat(a.list("tablet-alias").stream(),
                                            a.positionals().stream()).toList());
                            if (!aliases.isEmpty() && (a.has("cell") || a.has("keyspace") || a.has("shard")
                                    || a.has("tablet-type"))) {
                                throw new UsageException("GetTablets takes either tablet aliases or filters "
                                        + "(--cell, --keyspace, --shard, --tablet-type), not both");
                            }
                            GetTabletsRequest.Builder r = filters(a, "cell").addAllTabletAliases(aliases)
                                    .setStrict(a.bool("strict"));
                            return Call.of(r.build(), VtctldBlockingStub::getTablets,
                                    format.equals("json") ? TabletCommands::printJson : TabletCommands::printLines);
                        }),
                command("ListAllTablets", Group.TABLETS)
                        .args("[<cell>...]")
                        .summary("Lists the tablets of the given cells (default all), one line each, sorted "
                                + "by alias.")
                        .details("Each line: alias keyspace shard type host:grpcport mysqlhost:mysqlport [tags]")
                        .flags(FlagDef.string("keyspace", "keyspace", "Only tablets of this keyspace."),
                                FlagDef.string("tablet-type", "type", "Only tablets of this type."))
                        .sends(GetTabletsRequest.class)
                        .parse(a -> Call.of(filters(a, null).addAllCells(ShardCommands.splitAll(a.positionals()))
                                        .build(),
                                VtctldBlockingStub::getTablets, TabletCommands::printLines)),
                command("ListShardTablets", Group.TABLETS)
                        .args("<keyspace/shard>")
                        .summary("Lists the tablets of a shard, one line each.")
                        .sends(GetTabletsRequest.class)
                        .parse(a -> {
                            KeyspaceShard ks = Values.keyspaceShard(a.expect(1, 1, "<keyspace/shard>").arg(0));
                            return Call.of(GetTabletsRequest.newBuilder().setKeyspace(ks.keyspace())
                                            .setShard(ks.shard()).build(),
                                    VtctldBlockingStub::getTablets, TabletCommands::printLines);
                        }),
                command("ListTablets", Group.TABLETS)
                        .args("<tablet alias>...")
                        .summary("Prints the given tablets, one line each.")
                        .sends(GetTabletsRequest.class)
                        .parse(a -> Call.of(GetTabletsRequest.newBuilder()
                                        .addAllTabletAliases(Values.aliases(a.expect(1, -1, "<tablet alias>...")
                                                .positionals()))
                                        .build(),
                                VtctldBlockingStub::getTablets, TabletCommands::printLines)),
                command("DeleteTablets", Group.TABLETS)
                        .aliases("DeleteTablet")
                        .args("<tablet alias>...")
                        .summary("Deletes tablet records.")
                        .flags(FlagDef.bool("allow-primary", "Allow deleting a shard's primary.")
                                .aka("allow_master"))
                        .sends(DeleteTabletsRequest.class)
                        .parse(a -> Call.of(DeleteTabletsRequest.newBuilder()
                                        .addAllTabletAliases(Values.aliases(a.expect(1, -1, "<tablet alias>...")
                                                .positionals()))
                                        .setAllowPrimary(a.bool("allow-primary")).build(),
                                VtctldBlockingStub::deleteTablets, Call.silent())),
                command("ChangeTabletType", Group.TABLETS)
                        .aliases("ChangeSlaveType")
                        .args("<tablet alias> <tablet type>")
                        .summary("Changes a tablet between non-primary types (replica, rdonly, spare, drained...).")
                        .flags(FlagDef.bool("dry-run", "Show the change without making it."))
                        .sends(ChangeTabletTypeRequest.class)
                        .parse(a -> {
                            a.expect(2, 2, "<tablet alias> <tablet type>");
                            return Call.of(ChangeTabletTypeRequest.newBuilder()
                                            .setTabletAlias(Values.alias(a.arg(0)))
                                            .setDbType(Values.tabletType(a.arg(1)))
                                            .setDryRun(a.bool("dry-run")).build(),
                                    VtctldBlockingStub::changeTabletType, (resp, out) -> {
                                        if (resp.getWasDryRun()) {
                                            out.println("--- DRY RUN ---");
                                        }
                                        out.println("- " + TabletLine.of(resp.getBeforeTablet()));
                                        out.println("+ " + TabletLine.of(resp.getAfterTablet()));
                                    });
                        }),
                command("PingTablet", Group.TABLETS)
                        .aliases("Ping")
                        .args("<tablet alias>")
                        .summary("Checks that a tablet answers RPCs.")
                        .sends(PingTabletRequest.class)
                        .parse(a -> Call.of(PingTabletRequest.newBuilder().setTabletAlias(alias(a)).build(),
                                VtctldBlockingStub::pingTablet, Call.silent())),
                command("RefreshState", Group.TABLETS)
                        .args("<tablet alias>")
                        .summary("Makes a tablet re-read its record, tablet controls and serving graph.")
                        .sends(RefreshStateRequest.class)
                        .parse(a -> Call.of(RefreshStateRequest.newBuilder().setTabletAlias(alias(a)).build(),
                                VtctldBlockingStub::refreshState, Call.silent())),
                command("RefreshStateByShard", Group.TABLETS)
                        .args("<keyspace/shard>")
                        .summary("RefreshState on every tablet of a shard.")
                        .flags(ShardCommands.CELLS)
                        .sends(RefreshStateByShardRequest.class)
                        .parse(a -> {
                            KeyspaceShard ks = Values.keyspaceShard(a.expect(1, 1, "<keyspace/shard>").arg(0));
                            return Call.of(RefreshStateByShardRequest.newBuilder().setKeyspace(ks.keyspace())
                                            .setShard(ks.shard()).addAllCells(a.list("cells")).build(),
                                    VtctldBlockingStub::refreshStateByShard, (resp, out) -> {
                                        if (resp.getIsPartialRefresh()) {
                                            out.println("Refresh was partial. Some tablets were not refreshed: "
                                                    + resp.getPartialRefreshDetails());
                                        }
                                    });
                        }),
                command("SetWritable", Group.TABLETS)
                        .args("<tablet alias> <true|false>")
                        .summary("Sets a tablet's MySQL read-write (true) or read-only (false).")
                        .sends(SetWritableRequest.class)
                        .parse(a -> {
                            a.expect(2, 2, "<tablet alias> <true|false>");
                            return setWritable(Values.alias(a.arg(0)), Values.bool("writable", a.arg(1)));
                        }),
                command("SetReadOnly", Group.TABLETS)
                        .args("<tablet alias>")
                        .summary("Sets a tablet's MySQL read-only (the old form of SetWritable <alias> false).")
                        .sends(SetWritableRequest.class)
                        .parse(a -> setWritable(alias(a), false)),
                command("SetReadWrite", Group.TABLETS)
                        .args("<tablet alias>")
                        .summary("Sets a tablet's MySQL read-write (the old form of SetWritable <alias> true).")
                        .sends(SetWritableRequest.class)
                        .parse(a -> setWritable(alias(a), true)),
                command("StartReplication", Group.TABLETS)
                        .aliases("StartSlave")
                        .args("<tablet alias>")
                        .summary("Starts replication on a replica.")
                        .sends(StartReplicationRequest.class)
                        .parse(a -> Call.of(StartReplicationRequest.newBuilder().setTabletAlias(alias(a)).build(),
                                VtctldBlockingStub::startReplication, Call.silent())),
                command("StopReplication", Group.TABLETS)
                        .aliases("StopSlave")
                        .args("<tablet alias>")
                        .summary("Stops replication on a replica.")
                        .sends(StopReplicationRequest.class)
                        .parse(a -> Call.of(StopReplicationRequest.newBuilder().setTabletAlias(alias(a)).build(),
                                VtctldBlockingStub::stopReplication, Call.silent())),
                command("GetFullStatus", Group.TABLETS)
                        .args("<tablet alias>")
                        .summary("Prints a tablet's full replication status as JSON.")
                        .sends(GetFullStatusRequest.class)
                        .parse(a -> Call.of(GetFullStatusRequest.newBuilder().setTabletAlias(alias(a)).build(),
                                VtctldBlockingStub::getFullStatus, Printers.json(r -> r.getStatus()))),
                command("ExecuteFetchAsDBA", Group.TABLETS)
                        .aliases("ExecuteFetchAsDba")
                        .args("<tablet alias> <sql>")
                        .summary("Runs one statement on a tablet's MySQL as the DBA user and prints the result.")
                        .details("The result prints as a bordered table like the mysql client's, or as JSON "
                                + "with --json.")
                        .flags(MAX_ROWS,
                                FlagDef.bool("disable-binlogs", "Do not write the statement to the binary log."),
                                FlagDef.bool("reload-schema", "Reload the tablet's schema afterwards."),
                                JSON)
                        .sends(ExecuteFetchAsDBARequest.class)
                        .parse(a -> {
                            a.expect(2, 2, "<tablet alias> <sql>");
                            return Call.of(ExecuteFetchAsDBARequest.newBuilder()
                                            .setTabletAlias(Values.alias(a.arg(0))).setQuery(a.arg(1))
                                            .setMaxRows(a.integer("max-rows").orElse(0))
                                            .setDisableBinlogs(a.bool("disable-binlogs"))
                                            .setReloadSchema(a.bool("reload-schema")).build(),
                                    VtctldBlockingStub::executeFetchAsDBA,
                                    (resp, out) -> printResult(resp.getResult(), a.bool("json"), out));
                        }),
                command("ExecuteFetchAsApp", Group.TABLETS)
                        .args("<tablet alias> <sql>")
                        .summary("Runs one statement on a tablet's MySQL as the application user.")
                        .flags(MAX_ROWS,
                                FlagDef.bool("use-pool", "Use a pooled application connection."),
                                JSON)
                        .sends(ExecuteFetchAsAppRequest.class)
                        .parse(a -> {
                            a.expect(2, 2, "<tablet alias> <sql>");
                            return Call.of(ExecuteFetchAsAppRequest.newBuilder()
                                            .setTabletAlias(Values.alias(a.arg(0))).setQuery(a.arg(1))
                                            .setMaxRows(a.integer("max-rows").orElse(0))
                                            .setUsePool(a.bool("use-pool")).build(),
                                    VtctldBlockingStub::executeFetchAsApp,
                                    (resp, out) -> printResult(resp.getResult(), a.bool("json"), out));
                        }));
    }

    /** The single positional tablet alias of a command that takes only that. */
    static TabletAlias alias(ParsedArgs a) throws UsageException {
        return Values.alias(a.expect(1, 1, "<tablet alias>").arg(0));
    }

    private static Call<SetWritableRequest, ?> setWritable(TabletAlias alias, boolean writable) {
        return Call.of(SetWritableRequest.newBuilder().setTabletAlias(alias).setWritable(writable).build(),
                VtctldBlockingStub::setWritable, Call.silent());
    }

    /** The --keyspace/--shard/--tablet-type (and optional cell flag) filters of a tablet listing. */
    private static GetTabletsRequest.Builder filters(ParsedArgs a, String cellFlag) throws UsageException {
        GetTabletsRequest.Builder r = GetTabletsRequest.newBuilder()
                .setKeyspace(a.string("keyspace", ""))
                .setShard(a.string("shard", ""));
        if (cellFlag != null) {
            r.addAllCells(a.list(cellFlag));
        }
        if (!r.getShard().isEmpty() && r.getKeyspace().isEmpty()) {
            throw new UsageException("--shard needs --keyspace");
        }
        if (a.has("tablet-type")) {
            r.setTabletType(Values.tabletType(a.string("tablet-type", "")));
        }
        return r;
    }

    private static int intFlag(ParsedArgs a, String flag) throws UsageException {
        long v = a.integer(flag).orElse(0);
        if (v < 0 || v > 65535) {
            throw new UsageException("--" + flag + " must be a port number (0-65535), not " + v);
        }
        return (int) v;
    }

    static void printLines(GetTabletsResponse resp, PrintWriter out) {
        TabletLine.lines(resp.getTabletsList()).forEach(out::println);
    }

    static void printJson(GetTabletsResponse resp, PrintWriter out) {
        out.println(Json.array(resp.getTabletsList().stream()
                .sorted(Comparator.comparing(Tablet::getAlias, TabletLine.ALIAS_ORDER)).toList()));
    }

    static void printResult(QueryResult result, boolean json, PrintWriter out) {
        out.print(json ? QueryResultJson.render(result) : BorderedTable.render(result));
    }
}
