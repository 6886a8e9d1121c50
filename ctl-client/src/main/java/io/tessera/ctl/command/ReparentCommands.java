package io.tessera.ctl.command;

import static io.tessera.ctl.command.CommandSpec.command;

import io.tessera.ctl.cli.FlagDef;
import io.tessera.ctl.cli.ParsedArgs;
import io.tessera.ctl.cli.UsageException;
import io.tessera.ctl.cli.Values;
import io.tessera.ctl.cli.Values.KeyspaceShard;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.vtctldata.EmergencyReparentShardRequest;
import io.tessera.proto.vtctldata.InitShardPrimaryRequest;
import io.tessera.proto.vtctldata.PlannedReparentShardRequest;
import io.tessera.proto.vtctldata.ReparentTabletRequest;
import io.tessera.proto.vtctldata.TabletExternallyReparentedRequest;
import io.tessera.proto.vtctlservice.VtctldGrpc.VtctldBlockingStub;
import java.util.List;
import java.util.Optional;

/** Choosing and changing a shard's primary. */
final class ReparentCommands implements CommandGroup {

    private static final FlagDef KEYSPACE_SHARD = FlagDef.string("keyspace-shard", "keyspace/shard",
            "The shard (instead of the positional argument, as vtctlclient took it).");
    private static final FlagDef NEW_PRIMARY = FlagDef.string("new-primary", "tablet alias",
            "The tablet to promote.").aka("new_master");
    private static final FlagDef WAIT_REPLICAS = FlagDef.duration("wait-replicas-timeout",
            "How long replicas may take to catch up (default 15s, set by the server).");
    private static final FlagDef EXPECTED_PRIMARY = FlagDef.string("expected-primary", "tablet alias",
            "Proceed only if this tablet is the current primary.");

    @Override
    public List<CommandSpec> commands() {
        return List.of(
                command("InitShardPrimary", Group.REPARENT)
                        .aliases("InitShardMaster")
                        .args("<keyspace/shard> <tablet alias>")
                        .summary("Makes a tablet the first primary of a shard and points the others at it "
                                + "(destructive).")
                        .details("Resets replication on every tablet of the shard. Refused if the shard has a "
                                + "primary, unless --force. PlannedReparentShard can also initialise a shard.")
                        .flags(FlagDef.bool("force", "Proceed even if the shard has a primary or the tablet is not "
                                        + "in the shard's replication graph."),
                                WAIT_REPLICAS)
                        .sends(InitShardPrimaryRequest.class)
                        .parse(a -> {
                            a.expect(2, 2, "<keyspace/shard> <tablet alias>");
                            KeyspaceShard ks = Values.keyspaceShard(a.arg(0));
                            TabletAlias elect = Values.alias(a.arg(1));
                            InitShardPrimaryRequest.Builder r = InitShardPrimaryRequest.newBuilder()
                                    .setKeyspace(ks.keyspace()).setShard(ks.shard())
                                    .setPrimaryElectTabletAlias(elect).setForce(a.bool("force"));
                            a.duration("wait-replicas-timeout").map(Values::duration)
                                    .ifPresent(r::setWaitReplicasTimeout);
                            return Call.of(r.build(), VtctldBlockingStub::initShardPrimary, (resp, out) -> {
                                Printers.events(resp.getEventsList(), out);
                                out.println("Initialized " + Values.aliasString(elect) + " as the primary of " + ks);
                            });
                        }),
                command("PlannedReparentShard", Group.REPARENT)
                        .args("<keyspace/shard>")
                        .summary("Moves the primary role to another healthy tablet without losing writes.")
                        .details("""
                                Both syntaxes work:
                                  PlannedReparentShard commerce/0 --new-primary zone1-0000000101
                                  PlannedReparentShard -keyspace_shard=commerce/0 -new_master=zone1-0000000101
                                Without --new-primary the most advanced eligible replica is chosen.""")
                        .flags(KEYSPACE_SHARD, NEW_PRIMARY,
                                FlagDef.string("avoid-primary", "tablet alias",
                                        "Move the primary role away from this tablet.").aka("avoid_master"),
                                WAIT_REPLICAS,
                                FlagDef.duration("tolerable-replication-lag",
                                        "Do not choose a replica lagging more than this."),
                                FlagDef.bool("allow-cross-cell-promotion",
                                        "Allow choosing a tablet in another cell than the current primary."),
                                EXPECTED_PRIMARY)
                        .sends(PlannedReparentShardRequest.class)
                        .parse(a -> {
                            Target t = target(a);
                            PlannedReparentShardRequest.Builder r = PlannedReparentShardRequest.newBuilder()
                                    .setKeyspace(t.shard().keyspace()).setShard(t.shard().shard())
                                    .setAllowCrossCellPromotion(a.bool("allow-cross-cell-promotion"));
                            t.newPrimary().ifPresent(r::setNewPrimary);
                            optionalAlias(a, "avoid-primary").ifPresent(r::setAvoidPrimary);
                            optionalAlias(a, "expected-primary").ifPresent(r::setExpectedPrimary);
                            a.duration("wait-replicas-timeout").map(Values::duration)
                                    .ifPresent(r::setWaitReplicasTimeout);
                            a.duration("tolerable-replication-lag").map(Values::duration)
                                    .ifPresent(r::setTolerableReplicationLag);
                            return Call.of(r.build(), VtctldBlockingStub::plannedReparentShard, (resp, out) -> {
                                Printers.events(resp.getEventsList(), out);
                                out.println(promoted(resp.getKeyspace(), resp.getShard(), resp.getPromotedPrimary(),
                                        t.shard()));
                            });
                        }),
                command("EmergencyReparentShard", Group.REPARENT)
                        .args("<keyspace/shard>")
                        .summary("Fails over from a dead primary to the most advanced replica.")
                        .details("""
                                Both syntaxes work:
                                  EmergencyReparentShard commerce/0 [--new-primary zone1-0000000101]
                                  EmergencyReparentShard -keyspace_shard=commerce/0 -new_master=zone1-0000000101
                                --new-primary is a preference: it is promoted only if it is at least as
                                advanced as every other candidate.""")
                        .flags(KEYSPACE_SHARD, NEW_PRIMARY,
                                FlagDef.list("ignore-replicas", "alias,...", "Tablets not to wait for or consider."),
                                WAIT_REPLICAS,
                                FlagDef.bool("wait-for-all-tablets", "Fail unless every tablet answers."),
                                FlagDef.bool("prevent-cross-cell-promotion",
                                        "Only promote a tablet in the old primary's cell."),
                                EXPECTED_PRIMARY)
                        .sends(EmergencyReparentShardRequest.class)
                        .parse(a -> {
                            Target t = target(a);
                            EmergencyReparentShardRequest.Builder r = EmergencyReparentShardRequest.newBuilder()
                                    .setKeyspace(t.shard().keyspace()).setShard(t.shard().shard())
                                    .addAllIgnoreReplicas(Values.aliases(a.list("ignore-replicas")))
                                    .setWaitForAllTablets(a.bool("wait-for-all-tablets"))
                                    .setPreventCrossCellPromotion(a.bool("prevent-cross-cell-promotion"));
                            t.newPrimary().ifPresent(r::setNewPrimary);
                            optionalAlias(a, "expected-primary").ifPresent(r::setExpectedPrimary);
                            a.duration("wait-replicas-timeout").map(Values::duration)
                                    .ifPresent(r::setWaitReplicasTimeout);
                            return Call.of(r.build(), VtctldBlockingStub::emergencyReparentShard, (resp, out) -> {
                                Printers.events(resp.getEventsList(), out);
                                out.println(promoted(resp.getKeyspace(), resp.getShard(), resp.getPromotedPrimary(),
                                        t.shard()));
                            });
                        }),
                command("TabletExternallyReparented", Group.REPARENT)
                        .args("<tablet alias>")
                        .summary("Records that a tablet was promoted outside Tessera: it becomes the shard's "
                                + "primary.")
                        .sends(TabletExternallyReparentedRequest.class)
                        .parse(a -> Call.of(TabletExternallyReparentedRequest.newBuilder()
                                        .setTablet(TabletCommands.alias(a)).build(),
                                VtctldBlockingStub::tabletExternallyReparented, (resp, out) -> out.println(
                                        "New primary of " + resp.getKeyspace() + "/" + resp.getShard() + ": "
                                                + Values.aliasString(resp.getNewPrimary())
                                                + (resp.hasOldPrimary() ? " (was "
                                                        + Values.aliasString(resp.getOldPrimary()) + ")" : "")))),
                command("ReparentTablet", Group.REPARENT)
                        .args("<tablet alias>")
                        .summary("Points one tablet at its shard's current primary.")
                        .details("Repairs a replica's replication source: the tablet replicates from the primary the "
                                + "shard record names, and replication is started. Refused if the shard has no "
                                + "primary or the tablet is the primary. Nothing is promoted, so it also runs when "
                                + "tessera-ctld has --disable_active_reparents.")
                        .sends(ReparentTabletRequest.class)
                        .parse(a -> Call.of(ReparentTabletRequest.newBuilder()
                                        .setTablet(TabletCommands.alias(a)).build(),
                                VtctldBlockingStub::reparentTablet, (resp, out) -> out.println(
                                        Values.aliasString(resp.getPrimary()) + " is the primary of "
                                                + resp.getKeyspace() + "/" + resp.getShard()
                                                + "; the tablet now replicates from it"))));
    }

    /** The shard and the tablet to promote, from either syntax. */
    private record Target(KeyspaceShard shard, Optional<TabletAlias> newPrimary) {}

    /**
     * vtctldclient: {@code <keyspace/shard>} positional. vtctlclient: {@code -keyspace_shard}. The oldest form,
     * {@code <keyspace/shard> <tablet alias>}, is accepted too.
     */
    private static Target target(ParsedArgs a) throws UsageException {
        Optional<String> flag = a.string("keyspace-shard");
        int positional = a.positionals().size();
        String shard;
        if (flag.isPresent()) {
            a.expect(0, 0, "");
            shard = flag.get();
        } else {
            a.expect(1, 2, "<keyspace/shard> (or --keyspace-shard)");
            shard = a.arg(0);
        }
        Optional<TabletAlias> newPrimary = optionalAlias(a, "new-primary");
        if (positional == 2) {
            if (newPrimary.isPresent()) {
                throw new UsageException(a.command() + ": give the new primary either as --new-primary or as "
                        + "the second argument, not both");
            }
            newPrimary = Optional.of(Values.alias(a.arg(1)));
        }
        return new Target(Values.keyspaceShard(shard), newPrimary);
    }

    private static Optional<TabletAlias> optionalAlias(ParsedArgs a, String flag) throws UsageException {
        Optional<String> v = a.string(flag);
        return v.isEmpty() || v.get().isEmpty() ? Optional.empty() : Optional.of(Values.alias(v.get()));
    }

    private static String promoted(String keyspace, String shard, TabletAlias primary, KeyspaceShard asked) {
        String ks = keyspace.isEmpty() ? asked.toString() : keyspace + "/" + shard;
        return "Promoted " + Values.aliasString(primary) + " to primary of " + ks;
    }
}
