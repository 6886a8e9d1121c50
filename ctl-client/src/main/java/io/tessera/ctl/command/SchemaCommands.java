package io.tessera.ctl.command;

import static io.tessera.ctl.command.CommandSpec.command;

import io.tessera.ctl.cli.FlagDef;
import io.tessera.ctl.cli.ParsedArgs;
import io.tessera.ctl.cli.SqlSplitter;
import io.tessera.ctl.cli.UsageException;
import io.tessera.ctl.cli.Values;
import io.tessera.ctl.cli.Values.KeyspaceShard;
import io.tessera.proto.tabletmanagerdata.TableDefinition;
import io.tessera.proto.vtctldata.ApplySchemaRequest;
import io.tessera.proto.vtctldata.GetSchemaRequest;
import io.tessera.proto.vtctldata.ReloadSchemaKeyspaceRequest;
import io.tessera.proto.vtctldata.ReloadSchemaRequest;
import io.tessera.proto.vtctldata.ReloadSchemaShardRequest;
import io.tessera.proto.vtctlservice.VtctldGrpc.VtctldBlockingStub;
import io.tessera.proto.vtrpc.CallerID;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading, reloading and changing table schemas. */
final class SchemaCommands implements CommandGroup {

    private static final FlagDef INCLUDE_PRIMARY = FlagDef.bool("include-primary",
            "Reload the primary too.").aka("include_master");
    private static final FlagDef CONCURRENCY = FlagDef.integer("concurrency", "n",
            "Tablets reloaded at once (default: the server's).");
    private static final FlagDef WAIT_POSITION = FlagDef.string("wait-position", "position",
            "Replicas first wait until they have applied this replication position.");

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                command("ReloadSchema", Group.SCHEMA)
                        .args("<tablet alias>")
                        .summary("Makes a tablet re-read its schema from MySQL.")
                        .sends(ReloadSchemaRequest.class)
                        .parse(a -> Call.of(ReloadSchemaRequest.newBuilder()
                                        .setTabletAlias(TabletCommands.alias(a)).build(),
                                VtctldBlockingStub::reloadSchema, Call.silent())),
                command("ReloadSchemaShard", Group.SCHEMA)
                        .args("<keyspace/shard>")
                        .summary("ReloadSchema on every tablet of a shard.")
                        .flags(INCLUDE_PRIMARY, CONCURRENCY, WAIT_POSITION)
                        .sends(ReloadSchemaShardRequest.class)
                        .parse(a -> {
                            KeyspaceShard ks = Values.keyspaceShard(a.expect(1, 1, "<keyspace/shard>").arg(0));
                            return Call.of(ReloadSchemaShardRequest.newBuilder()
                                            .setKeyspace(ks.keyspace()).setShard(ks.shard())
                                            .setIncludePrimary(a.bool("include-primary"))
                                            .setConcurrency(concurrency(a))
                                            .setWaitPosition(a.string("wait-position", "")).build(),
                                    VtctldBlockingStub::reloadSchemaShard,
                                    (resp, out) -> Printers.events(resp.getEventsList(), out));
                        }),
                command("ReloadSchemaKeyspace", Group.SCHEMA)
                        .args("<keyspace>")
                        .summary("ReloadSchema on every tablet of a keyspace.")
                        .flags(INCLUDE_PRIMARY, CONCURRENCY, WAIT_POSITION)
                        .sends(ReloadSchemaKeyspaceRequest.class)
                        .parse(a -> Call.of(ReloadSchemaKeyspaceRequest.newBuilder()
                                        .setKeyspace(a.expect(1, 1, "<keyspace>").arg(0))
                                        .setIncludePrimary(a.bool("include-primary"))
                                        .setConcurrency(concurrency(a))
                                        .setWaitPosition(a.string("wait-position", "")).build(),
                                VtctldBlockingStub::reloadSchemaKeyspace,
                                (resp, out) -> Printers.events(resp.getEventsList(), out))),
                command("GetSchema", Group.SCHEMA)
                        .args("<tablet alias>")
                        .summary("Prints a tablet's schema as JSON, or just the table names.")
                        .flags(FlagDef.list("tables", "table|/regexp/,...", "Only these tables (default all)."),
                                FlagDef.list("exclude-tables", "table|/regexp/,...", "Leave these tables out."),
                                FlagDef.bool("include-views", "Include views."),
                                FlagDef.bool("table-names-only", "Print only table names, one per line."),
                                FlagDef.bool("table-sizes-only", "Only names, sizes and row counts."),
                                FlagDef.bool("table-schema-only", "Only the CREATE statements."))
                        .sends(GetSchemaRequest.class)
                        .parse(a -> {
                            boolean namesOnly = a.bool("table-names-only");
                            return Call.of(GetSchemaRequest.newBuilder()
                                            .setTabletAlias(TabletCommands.alias(a))
                                            .addAllTables(a.list("tables"))
                                            .addAllExcludeTables(a.list("exclude-tables"))
                                            .setIncludeViews(a.bool("include-views"))
                                            .setTableNamesOnly(namesOnly)
                                            .setTableSizesOnly(a.bool("table-sizes-only"))
                                            .setTableSchemaOnly(a.bool("table-schema-only")).build(),
                                    VtctldBlockingStub::getSchema, namesOnly
                                            ? Printers.lines(r -> r.getSchema().getTableDefinitionsList().stream()
                                                    .map(TableDefinition::getName).toList())
                                            : Printers.json(r -> r.getSchema()));
                        }),
                command("ApplySchema", Group.SCHEMA)
                        .args("<keyspace>")
                        .summary("Runs DDL on the primary of every shard of a keyspace.")
                        .details("""
                                The SQL (--sql, which may be repeated, or --sql-file) is split into statements
                                at semicolons outside quotes and comments; they run in order. Online DDL
                                strategies print the migration ids, one per line.""")
                        .flags(FlagDef.repeated("sql", "statements", "SQL to run."),
                                FlagDef.string("sql-file", "file", "File with the SQL to run."),
                                FlagDef.string("ddl-strategy", "strategy", "How to run DDL (default direct)."),
                                FlagDef.list("uuid-list", "uuid,...", "Migration ids for online DDL, one per "
                                        + "statement.").aka("uuid"),
                                FlagDef.string("migration-context", "text", "Context recorded with migrations."),
                                FlagDef.duration("wait-replicas-timeout",
                                        "How long to wait for replicas to receive the change."),
                                FlagDef.string("caller-id", "principal", "Effective caller id for the DDL."),
                                FlagDef.integer("batch-size", "n", "Statements sent per round trip."))
                        .sends(ApplySchemaRequest.class)
                        .parse(a -> {
                            String keyspace = a.expect(1, 1, "<keyspace>").arg(0);
                            List<String> statements = SqlSplitter.split(sql(a));
                            if (statements.isEmpty()) {
                                throw new UsageException("ApplySchema: no SQL statements given");
                            }
                            ApplySchemaRequest.Builder r = ApplySchemaRequest.newBuilder()
                                    .setKeyspace(keyspace)
                                    .addAllSql(statements)
                                    .setDdlStrategy(a.string("ddl-strategy", ""))
                                    .addAllUuidList(a.list("uuid-list"))
                                    .setMigrationContext(a.string("migration-context", ""))
                                    .setBatchSize(a.integer("batch-size").orElse(0));
                            a.duration("wait-replicas-timeout").map(Values::duration)
                                    .ifPresent(r::setWaitReplicasTimeout);
                            a.string("caller-id").ifPresent(p -> r.setCallerId(CallerID.newBuilder()
                                    .setPrincipal(p)));
                            return Call.of(r.build(), VtctldBlockingStub::applySchema,
                                    Printers.lines(resp -> resp.getUuidListList()));
                        }));
    }

    private static int concurrency(ParsedArgs a) throws UsageException {
        long n = a.integer("concurrency").orElse(0);
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new UsageException("--concurrency must be a positive number, not " + n);
        }
        return (int) n;
    }

    /** Every --sql value, or the --sql-file contents; exactly one of the two. */
    private static String sql(ParsedArgs a) throws UsageException {
        List<String> inline = a.list("sql");
        var file = a.string("sql-file");
        if (inline.isEmpty() == file.isEmpty()) {
            throw new UsageException("ApplySchema needs exactly one of --sql and --sql-file");
        }
        if (file.isPresent()) {
            try {
                return Files.readString(Path.of(file.get()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("cannot read --sql-file " + file.get() + ": " + e);
            }
        }
        return String.join(";\n", new ArrayList<>(inline));
    }
}
