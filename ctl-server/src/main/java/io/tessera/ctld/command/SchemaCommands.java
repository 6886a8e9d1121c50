package io.tessera.ctld.command;

import io.tessera.ctld.CtldException;
import io.tessera.proto.logutil.Event;
import io.tessera.proto.logutil.Level;
import io.tessera.proto.tabletmanagerdata.SchemaDefinition;
import io.tessera.proto.tabletmanagerdata.TableDefinition;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtctldata.GetSchemaRequest;
import io.tessera.proto.vtctldata.GetSchemaResponse;
import io.tessera.proto.vtctldata.ReloadSchemaKeyspaceRequest;
import io.tessera.proto.vtctldata.ReloadSchemaKeyspaceResponse;
import io.tessera.proto.vtctldata.ReloadSchemaRequest;
import io.tessera.proto.vtctldata.ReloadSchemaResponse;
import io.tessera.proto.vtctldata.ReloadSchemaShardRequest;
import io.tessera.proto.vtctldata.ReloadSchemaShardResponse;
import io.tessera.proto.vttime.Time;
import io.tessera.tabletmanager.TabletManagerDialer;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** GetSchema, ReloadSchema, ReloadSchemaShard and ReloadSchemaKeyspace. */
public final class SchemaCommands {
    /** Tablets reloaded at once when the request does not say. */
    static final int DEFAULT_CONCURRENCY = 10;

    private final TopoServer topo;
    private final TabletManagerDialer dialer;
    private final CommandSettings settings;

    public SchemaCommands(TopoServer topo, TabletManagerDialer dialer, CommandSettings settings) {
        this.topo = Objects.requireNonNull(topo, "topo");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * A tablet's schema as its MySQL has it now. {@code table_names_only} keeps only names (and types);
     * {@code table_sizes_only} keeps names, types, sizes and row counts.
     */
    public GetSchemaResponse getSchema(GetSchemaRequest request) throws TopoException {
        Tablet t = Topo.tablet(topo, request.getTabletAlias());
        if (request.getTableNamesOnly() && request.getTableSizesOnly()) {
            throw CtldException.invalidArgument("table_names_only and table_sizes_only exclude each other");
        }
        SchemaDefinition schema = dialer.dial(t).getSchema(io.tessera.proto.tabletmanagerdata.GetSchemaRequest
                .newBuilder().addAllTables(request.getTablesList()).addAllExcludeTables(request.getExcludeTablesList())
                .setIncludeViews(request.getIncludeViews()).setTableSchemaOnly(request.getTableSchemaOnly()).build())
                .getSchemaDefinition();
        if (request.getTableNamesOnly() || request.getTableSizesOnly()) {
            SchemaDefinition.Builder b = schema.toBuilder().clearTableDefinitions();
            for (TableDefinition td : schema.getTableDefinitionsList()) {
                TableDefinition.Builder slim = TableDefinition.newBuilder().setName(td.getName()).setType(td.getType());
                if (request.getTableSizesOnly()) {
                    slim.setDataLength(td.getDataLength()).setRowCount(td.getRowCount());
                }
                b.addTableDefinitions(slim);
            }
            schema = b.build();
        }
        return GetSchemaResponse.newBuilder().setSchema(schema).build();
    }

    public ReloadSchemaResponse reloadSchema(ReloadSchemaRequest request) throws TopoException {
        Tablet t = Topo.tablet(topo, request.getTabletAlias());
        dialer.dial(t).reloadSchema(io.tessera.proto.tabletmanagerdata.ReloadSchemaRequest.getDefaultInstance());
        return ReloadSchemaResponse.getDefaultInstance();
    }

    /**
     * Reloads the schema of every tablet of a shard (the primary only with {@code include_primary}), at most
     * {@code concurrency} at once, each first waiting for {@code wait_position} when given. Failures are reported
     * as warning events, as in Vitess; the call itself succeeds.
     */
    public ReloadSchemaShardResponse reloadSchemaShard(ReloadSchemaShardRequest request) throws TopoException {
        Topo.shard(topo, request.getKeyspace(), request.getShard());
        List<Event> events = new ArrayList<>();
        reloadShard(request.getKeyspace(), request.getShard(), request.getWaitPosition(), request.getIncludePrimary(),
                request.getConcurrency(), events);
        return ReloadSchemaShardResponse.newBuilder().addAllEvents(events).build();
    }

    /** {@link #reloadSchemaShard} for every shard of a keyspace. */
    public ReloadSchemaKeyspaceResponse reloadSchemaKeyspace(ReloadSchemaKeyspaceRequest request) throws TopoException {
        Topo.requireKeyspace(topo, request.getKeyspace());
        List<Event> events = new ArrayList<>();
        for (String shard : topo.getShardNames(request.getKeyspace())) {
            reloadShard(request.getKeyspace(), shard, request.getWaitPosition(), request.getIncludePrimary(),
                    request.getConcurrency(), events);
        }
        return ReloadSchemaKeyspaceResponse.newBuilder().addAllEvents(events).build();
    }

    private void reloadShard(String ks, String shard, String waitPosition, boolean includePrimary, int concurrency,
            List<Event> events) throws TopoException {
        if (concurrency < 0) {
            throw CtldException.invalidArgument("concurrency must not be negative");
        }
        List<Tablet> tablets = topo.getTabletsByShard(ks, shard).stream()
                .filter(t -> includePrimary || t.getType() != TabletType.PRIMARY).sorted(TabletCommands.BY_ALIAS).toList();
        var outcomes = Fanout.run(tablets, concurrency == 0 ? DEFAULT_CONCURRENCY : concurrency,
                settings.tabletFanoutTimeout(), t -> dialer.dial(t).reloadSchema(
                        io.tessera.proto.tabletmanagerdata.ReloadSchemaRequest.newBuilder()
                                .setWaitPosition(waitPosition).build()));
        for (var o : outcomes) {
            String alias = TabletAliases.format(o.item().getAlias());
            events.add(o.ok() ? event(Level.INFO, "reloaded the schema of " + alias + " (" + ks + "/" + shard + ")")
                    : event(Level.WARNING, "failed to reload the schema of " + alias + " (" + ks + "/" + shard + "): "
                            + Topo.reason(o.error())));
        }
    }

    static Event event(Level level, String text) {
        Instant now = Instant.now();
        return Event.newBuilder().setLevel(level).setValue(text)
                .setTime(Time.newBuilder().setSeconds(now.getEpochSecond()).setNanoseconds(now.getNano())).build();
    }
}
