package io.tessera.ctl.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every command {@code tessera-ctl} knows, found by its modern or old name (case-sensitive, as in Vitess). */
public final class CommandRegistry {
    private final List<CommandSpec> commands;
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();

    public CommandRegistry(List<CommandSpec> commands) {
        this.commands = List.copyOf(commands);
        for (CommandSpec c : commands) {
            register(c.name(), c);
            for (String alias : c.aliases()) {
                register(alias, c);
            }
        }
    }

    /** The commands this build implements. */
    public static CommandRegistry standard() {
        List<CommandGroup> groups = List.of(new KeyspaceCommands(), new ShardCommands(), new TabletCommands(),
                new ReparentCommands(), new SchemaCommands(), new VSchemaCommands(), new TopologyCommands());
        List<CommandSpec> all = new ArrayList<>();
        for (CommandGroup g : groups) {
            all.addAll(g.commands());
        }
        return new CommandRegistry(all);
    }

    private void register(String name, CommandSpec c) {
        if (byName.putIfAbsent(name, c) != null) {
            throw new IllegalStateException("command name " + name + " is defined twice");
        }
    }

    public Optional<CommandSpec> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The commands in definition order. */
    public List<CommandSpec> commands() {
        return commands;
    }

    /** Every accepted name, modern and old. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(byName.keySet()));
    }
}
