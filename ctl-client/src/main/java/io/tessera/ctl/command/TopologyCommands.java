package io.tessera.ctl.command;

import static io.tessera.ctl.command.CommandSpec.command;

import io.tessera.ctl.cli.FlagDef;
import io.tessera.ctl.cli.UsageException;
import io.tessera.ctl.format.Json;
import io.tessera.proto.topodata.CellInfo;
import io.tessera.proto.vtctldata.AddCellInfoRequest;
import io.tessera.proto.vtctldata.DeleteCellInfoRequest;
import io.tessera.proto.vtctldata.ExportTopologyRequest;
import io.tessera.proto.vtctldata.ExportTopologyResponse;
import io.tessera.proto.vtctldata.GetCellInfoNamesRequest;
import io.tessera.proto.vtctldata.GetCellInfoRequest;
import io.tessera.proto.vtctldata.ImportTopologyRequest;
import io.tessera.proto.vtctldata.ImportTopologyResponse;
import io.tessera.proto.vtctldata.TopologyExport;
import io.tessera.proto.vtctldata.UpdateCellInfoRequest;
import io.tessera.proto.vtctlservice.VtctldGrpc.VtctldBlockingStub;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** Cells, and the whole topology exported to or imported from one JSON document. */
final class TopologyCommands implements CommandGroup {

    private final Supplier<InputStream> stdin;

    TopologyCommands() {
        this(() -> System.in);
    }

    TopologyCommands(Supplier<InputStream> stdin) {
        this.stdin = stdin;
    }

    @Override
    public List<CommandSpec> commands() {
        FlagDef serverAddress = FlagDef.string("server-address", "address",
                "Where the cell's topology lives (empty: the global server).");
        FlagDef root = FlagDef.string("root", "path", "Root path of the cell's data on that server.");
        return List.of(
                command("AddCellInfo", Group.TOPOLOGY)
                        .args("<cell>")
                        .summary("Registers a cell and where its topology lives.")
                        .flags(serverAddress, root)
                        .sends(AddCellInfoRequest.class)
                        .parse(a -> Call.of(AddCellInfoRequest.newBuilder()
                                        .setName(a.expect(1, 1, "<cell>").arg(0))
                                        .setCellInfo(CellInfo.newBuilder()
                                                .setServerAddress(a.string("server-address", ""))
                                                .setRoot(a.required("root"))).build(),
                                VtctldBlockingStub::addCellInfo, Call.silent())),
                command("UpdateCellInfo", Group.TOPOLOGY)
                        .args("<cell>")
                        .summary("Changes where a cell's topology lives (only the flags given).")
                        .flags(serverAddress, root)
                        .sends(UpdateCellInfoRequest.class)
                        .parse(a -> Call.of(UpdateCellInfoRequest.newBuilder()
                                        .setName(a.expect(1, 1, "<cell>").arg(0))
                                        .setCellInfo(CellInfo.newBuilder()
                                                .setServerAddress(a.string("server-address", ""))
                                                .setRoot(a.string("root", ""))).build(),
                                VtctldBlockingStub::updateCellInfo, Printers.json(r -> r.getCellInfo()))),
                command("GetCellInfo", Group.TOPOLOGY)
                        .args("<cell>")
                        .summary("Prints a cell's record as JSON.")
                        .sends(GetCellInfoRequest.class)
                        .parse(a -> Call.of(GetCellInfoRequest.newBuilder()
                                        .setCell(a.expect(1, 1, "<cell>").arg(0)).build(),
                                VtctldBlockingStub::getCellInfo, Printers.json(r -> r.getCellInfo()))),
                command("GetCellInfoNames", Group.TOPOLOGY)
                        .summary("Prints the name of every cell, one per line.")
                        .sends(GetCellInfoNamesRequest.class)
                        .parse(a -> Call.of(GetCellInfoNamesRequest.newBuilder().build(),
                                VtctldBlockingStub::getCellInfoNames,
                                Printers.lines(r -> r.getNamesList().stream().sorted().toList()))),
                command("DeleteCellInfo", Group.TOPOLOGY)
                        .args("<cell>")
                        .summary("Removes a cell's record.")
                        .flags(FlagDef.bool("force", "Delete even if the cell cannot be reached or holds data."))
                        .sends(DeleteCellInfoRequest.class)
                        .parse(a -> Call.of(DeleteCellInfoRequest.newBuilder()
                                        .setName(a.expect(1, 1, "<cell>").arg(0))
                                        .setForce(a.bool("force")).build(),
                                VtctldBlockingStub::deleteCellInfo, Call.silent())),
                command("ExportTopology", Group.TOPOLOGY)
                        .summary("Writes the whole topology as one JSON document, to rebuild a lost topology "
                                + "in one command.")
                        .details("""
                                The document holds cells, keyspaces, shards, VSchemas, routing rules, tablets and
                                the serving graph (not locks or versions). ImportTopology reads it back:
                                  tessera-ctl ExportTopology --output topo.json
                                  tessera-ctl ImportTopology topo.json""")
                        .flags(FlagDef.list("keyspaces", "keyspace,...", "Only these keyspaces (default all)."),
                                FlagDef.list("cells", "cell,...", "Only these cells' data (default all)."),
                                FlagDef.string("output", "file", "Write to this file instead of standard output."))
                        .sends(ExportTopologyRequest.class)
                        .parse(a -> {
                            a.expect(0, 0, "");
                            String output = a.string("output", "");
                            return Call.of(ExportTopologyRequest.newBuilder()
                                            .addAllKeyspaces(a.list("keyspaces"))
                                            .addAllCells(a.list("cells")).build(),
                                    VtctldBlockingStub::exportTopology,
                                    (resp, out) -> writeExport(resp, output, out));
                        }),
                command("ImportTopology", Group.TOPOLOGY)
                        .args("<file>")
                        .summary("Writes an ExportTopology document back, rebuilding a lost topology in one "
                                + "command.")
                        .details("""
                                Without --overwrite, nothing is written if any existing record differs from the
                                document. Prints each topology path written (or, with --dry-run, that would be).
                                The file - means standard input.""")
                        .flags(FlagDef.bool("overwrite", "Replace existing records that differ."),
                                FlagDef.bool("dry-run", "Only report what would be written."),
                                FlagDef.bool("rebuild-serving-graph",
                                        "Rebuild SrvKeyspace and SrvVSchema instead of writing the exported ones."))
                        .sends(ImportTopologyRequest.class)
                        .parse(a -> {
                            String file = a.expect(1, 1, "<file>").arg(0);
                            TopologyExport export = VSchemaCommands.parse(read(file), TopologyExport.newBuilder(),
                                    "topology export");
                            boolean dryRun = a.bool("dry-run");
                            return Call.of(ImportTopologyRequest.newBuilder().setTopology(export)
                                            .setOverwrite(a.bool("overwrite"))
                                            .setDryRun(dryRun)
                                            .setRebuildServingGraph(a.bool("rebuild-serving-graph")).build(),
                                    VtctldBlockingStub::importTopology,
                                    (resp, out) -> printImport(resp, dryRun, out));
                        }));
    }

    private String read(String file) throws UsageException {
        try {
            if (file.equals("-")) {
                return new String(stdin.get().readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e);
        }
    }

    private static void writeExport(ExportTopologyResponse resp, String output, PrintWriter out) throws IOException {
        String json = Json.print(resp.getTopology()) + "\n";
        if (output.isEmpty()) {
            out.print(json);
            return;
        }
        Files.writeString(Path.of(output), json, StandardCharsets.UTF_8);
        TopologyExport t = resp.getTopology();
        out.println("Wrote the topology (" + t.getCellsCount() + " cells, " + t.getKeyspacesCount()
                + " keyspaces, " + t.getTabletsCount() + " tablets) to " + output);
    }

    private static void printImport(ImportTopologyResponse resp, boolean dryRun, PrintWriter out) {
        Printers.events(resp.getEventsList(), out);
        String verb = dryRun ? "would write " : "wrote ";
        resp.getWrittenPathsList().forEach(p -> out.println(verb + p));
        resp.getUnchangedPathsList().forEach(p -> out.println("unchanged " + p));
        out.println((dryRun ? "Dry run: " : "") + resp.getWrittenPathsCount() + (dryRun ? " to write, " : " written, ")
                + resp.getUnchangedPathsCount() + " unchanged");
    }
}
