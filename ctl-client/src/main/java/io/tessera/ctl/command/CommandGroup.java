package io.tessera.ctl.command;

import java.util.List;

/** The commands of one area; each implementation is one small class so the registry stays a list of groups. */
public sealed interface CommandGroup
        permits KeyspaceCommands, ShardCommands, TabletCommands, ReparentCommands, SchemaCommands,
                VSchemaCommands, TopologyCommands {

    List<CommandSpec> commands();
}
