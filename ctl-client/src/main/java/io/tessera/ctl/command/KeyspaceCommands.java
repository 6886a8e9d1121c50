package io.tessera.ctl.command;

import static io.tessera.ctl.command.CommandSpec.command;

import io.tessera.ctl.cli.FlagDef;
import io.tessera.ctl.cli.UsageException;
import io.tessera.ctl.format.Json;
import io.tessera.proto.topodata.KeyspaceType;
import io.tessera.proto.vtctldata.CreateKeyspaceRequest;
import io.tessera.proto.vtctldata.DeleteKeyspaceRequest;
import io.tessera.proto.vtctldata.GetKeyspaceRequest;
import io.tessera.proto.vtctldata.GetKeyspacesRequest;
import io.tessera.proto.vtctldata.Keyspace;
import io.tessera.proto.vtctldata.SetKeyspaceDurabilityPolicyRequest;
import io.tessera.proto.vtctlservice.VtctldGrpc.VtctldBlockingStub;
import io.tessera.proto.vttime.Time;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/** CreateKeyspace, GetKeyspace, GetKeyspaces, DeleteKeyspace, SetKeyspaceDurabilityPolicy. */
final class KeyspaceCommands implements CommandGroup {

    static final FlagDef DURABILITY = FlagDef.string("durability-policy", "policy",
            "Durability policy: none or semi_sync.");

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                command("CreateKeyspace", Group.KEYSPACES)
                        .args("<keyspace>")
                        .summary("Creates a keyspace record in the global topology.")
                        .flags(FlagDef.bool("force", "Succeed if the keyspace already exists."),
                                DURABILITY,
                                FlagDef.bool("allow-empty-vschema", "Do not create an empty VSchema for it."),
                                FlagDef.string("sidecar-db-name", "name", "Sidecar database name (default _vt)."),
                                FlagDef.string("type", "NORMAL|SNAPSHOT", "Keyspace type (default NORMAL)."),
                                FlagDef.string("base-keyspace", "keyspace",
                                        "For a SNAPSHOT keyspace: the keyspace whose backups it restores."),
                                FlagDef.string("snapshot-time", "RFC3339 time",
                                        "For a SNAPSHOT keyspace: the point in time it restores."))
                        .sends(CreateKeyspaceRequest.class)
                        .parse(a -> {
                            a.expect(1, 1, "<keyspace>");
                            CreateKeyspaceRequest.Builder r = CreateKeyspaceRequest.newBuilder()
                                    .setName(a.arg(0))
                                    .setForce(a.bool("force"))
                                    .setAllowEmptyVSchema(a.bool("allow-empty-vschema"))
                                    .setDurabilityPolicy(a.string("durability-policy", ""))
                                    .setSidecarDbName(a.string("sidecar-db-name", ""))
                                    .setBaseKeyspace(a.string("base-keyspace", ""));
                            if (a.has("type")) {
                                r.setType(keyspaceType(a.string("type", "")));
                            }
                            if (a.has("snapshot-time")) {
                                r.setSnapshotTime(time(a.string("snapshot-time", "")));
                            }
                            return Call.of(r.build(), VtctldBlockingStub::createKeyspace, (resp, out) -> {
                                out.println("Successfully created keyspace " + resp.getKeyspace().getName()
                                        + ". Result:");
                                out.println(Json.print(resp.getKeyspace()));
                            });
                        }),
                command("GetKeyspace", Group.KEYSPACES)
                        .args("<keyspace>")
                        .summary("Prints a keyspace record as JSON.")
                        .sends(GetKeyspaceRequest.class)
                        .parse(a -> Call.of(
                                GetKeyspaceRequest.newBuilder().setKeyspace(a.expect(1, 1, "<keyspace>").arg(0))
                                        .build(),
                                VtctldBlockingStub::getKeyspace, Printers.json(r -> r.getKeyspace()))),
                command("GetKeyspaces", Group.KEYSPACES)
                        .summary("Prints the name of every keyspace, one per line.")
                        .sends(GetKeyspacesRequest.class)
                        .parse(a -> {
                            a.expect(0, 0, "");
                            return Call.of(GetKeyspacesRequest.getDefaultInstance(),
                                    VtctldBlockingStub::getKeyspaces,
                                    Printers.lines(r -> r.getKeyspacesList().stream().map(Keyspace::getName)
                                            .sorted().toList()));
                        }),
                command("DeleteKeyspace", Group.KEYSPACES)
                        .args("<keyspace>")
                        .summary("Deletes a keyspace; with --recursive also its shards and their tablets.")
                        .flags(FlagDef.bool("recursive", "Also delete its shards and their tablet records."),
                                FlagDef.bool("force", "Go on even if the keyspace lock cannot be taken."))
                        .sends(DeleteKeyspaceRequest.class)
                        .parse(a -> Call.of(DeleteKeyspaceRequest.newBuilder()
                                        .setKeyspace(a.expect(1, 1, "<keyspace>").arg(0))
                                        .setRecursive(a.bool("recursive"))
                                        .setForce(a.bool("force"))
                                        .build(),
                                VtctldBlockingStub::deleteKeyspace, Call.silent())),
                command("SetKeyspaceDurabilityPolicy", Group.KEYSPACES)
                        .args("<keyspace>")
                        .summary("Sets the durability policy (none, semi_sync) reparents follow for a keyspace.")
                        .flags(DURABILITY)
                        .sends(SetKeyspaceDurabilityPolicyRequest.class)
                        .parse(a -> Call.of(SetKeyspaceDurabilityPolicyRequest.newBuilder()
                                        .setKeyspace(a.expect(1, 1, "<keyspace>").arg(0))
                                        .setDurabilityPolicy(a.required("durability-policy"))
                                        .build(),
                                VtctldBlockingStub::setKeyspaceDurabilityPolicy,
                                Printers.json(r -> r.getKeyspace()))));
    }

    private static KeyspaceType keyspaceType(String text) throws UsageException {
        try {
            KeyspaceType t = KeyspaceType.valueOf(text.toUpperCase(Locale.ROOT));
            if (t != KeyspaceType.UNRECOGNIZED) {
                return t;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message
        }
        {
            throw new UsageException("unknown keyspace type \"" + text + "\": expected NORMAL or SNAPSHOT");
        }
    }

    private static Time time(String text) throws UsageException {
        try {
            Instant t = Instant.parse(text);
            return Time.newBuilder().setSeconds(t.getEpochSecond()).setNanoseconds(t.getNano()).build();
        } catch (DateTimeParseException e) {
            throw new UsageException("invalid time \"" + text + "\": expected RFC 3339, e.g. 2024-05-01T12:00:00Z");
        }
    }
}
