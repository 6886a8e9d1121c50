package io.tessera.ctld.command;

import io.tessera.tabletmanager.TabletManagerDialer;
import io.tessera.topo.TopoServer;
import java.time.Clock;
import java.util.Objects;

/**
 * Every command of the control daemon, built over one topology and one tablet-manager dialer. The gRPC adapter
 * and tests use this bundle; each command object can also be built on its own.
 */
public record CtldCommands(CellCommands cells, KeyspaceCommands keyspaces, ShardCommands shards,
        ShardReplicationPositions replicationPositions, TabletCommands tablets, TabletActions tabletActions,
        SchemaCommands schema, ApplySchema applySchema, VSchemaCommands vschema, ServingGraph serving,
        TopologyExporter exporter, TopologyImporter importer) {

    public CtldCommands {
        Objects.requireNonNull(cells, "cells");
        Objects.requireNonNull(keyspaces, "keyspaces");
        Objects.requireNonNull(shards, "shards");
        Objects.requireNonNull(replicationPositions, "replicationPositions");
        Objects.requireNonNull(tablets, "tablets");
        Objects.requireNonNull(tabletActions, "tabletActions");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(applySchema, "applySchema");
        Objects.requireNonNull(vschema, "vschema");
        Objects.requireNonNull(serving, "serving");
        Objects.requireNonNull(exporter, "exporter");
        Objects.requireNonNull(importer, "importer");
    }

    /** All commands over {@code topo}, reaching tablets through {@code dialer}. */
    public static CtldCommands create(TopoServer topo, TabletManagerDialer dialer, CommandSettings settings) {
        ServingGraph serving = new ServingGraph(topo);
        ShardCommands shards = new ShardCommands(topo, serving);
        return new CtldCommands(new CellCommands(topo), new KeyspaceCommands(topo, shards, serving), shards,
                new ShardReplicationPositions(topo, dialer, settings), new TabletCommands(topo, serving),
                new TabletActions(topo, dialer, settings), new SchemaCommands(topo, dialer, settings),
                new ApplySchema(topo, dialer, settings), new VSchemaCommands(topo, serving), serving,
                new TopologyExporter(topo, Clock.systemUTC()), new TopologyImporter(topo, serving));
    }
}
