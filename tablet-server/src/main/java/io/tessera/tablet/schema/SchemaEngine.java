package io.tessera.tablet.schema;

import io.tessera.proto.query.SchemaTableType;
import io.tessera.proto.tabletmanagerdata.GetSchemaRequest;
import io.tessera.proto.tabletmanagerdata.SchemaDefinition;
import io.tessera.tablet.mysqlctl.DbConnector;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tablet's knowledge of its database's tables and views: columns, primary keys, indexes and CREATE
 * statements, loaded from mysqld.
 *
 * <p>The schema is loaded when the engine opens, every {@link SchemaEngineConfig#reloadTime()}, and whenever
 * {@link #reload()} is called (the ReloadSchema RPC, or after the tablet applied DDL). Each load is compared with
 * the previous one; when objects were created, altered or dropped, every {@link SchemaChangeListener} hears about
 * it, in order. The first successful load is the baseline and announces nothing: a subscriber that starts then
 * reads the whole schema anyway.
 *
 * <p>Loads run one at a time, as the dba user, each on a fresh connection whose queries are bounded by
 * {@link SchemaEngineConfig#mysqlTimeout()}. Thread-safe.
 */
public final class SchemaEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchemaEngine.class);

    private final SchemaEngineConfig config;
    private final DbConnector dba;
    private final ScheduledExecutorService scheduler;
    private final List<SchemaChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final Object reloadLock = new Object();
    private volatile Schema current; // null until the first successful load
    private ScheduledFuture<?> periodic; // guarded by this

    /**
     * An engine that does nothing until {@link #open()} or {@link #reload()}.
     *
     * @param config the database and reload interval
     * @param dba connections to the tablet's mysqld as the dba user, which can read every table's definition
     * @param scheduler runs the periodic reloads; owned by the caller
     */
    public SchemaEngine(SchemaEngineConfig config, DbConnector dba, ScheduledExecutorService scheduler) {
        this.config = Objects.requireNonNull(config, "config");
        this.dba = Objects.requireNonNull(dba, "dba");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Loads the schema and starts the periodic reloads. A failed first load (mysqld not up yet) is logged, not
     * thrown: the next reload, periodic or asked for, takes its place. Opening twice does nothing.
     */
    public synchronized void open() {
        if (periodic != null) {
            return;
        }
        try {
            reload();
        } catch (SchemaLoadException e) {
            log.warn("schema of {} not loaded at open: {}", config.dbName(), e.getMessage());
        }
        long interval = config.reloadTime().toNanos();
        periodic = scheduler.scheduleAtFixedRate(this::periodicReload, interval, interval, TimeUnit.NANOSECONDS);
    }

    /** Stops the periodic reloads; a reload in progress finishes. The last schema stays available. */
    @Override
    public synchronized void close() {
        if (periodic != null) {
            periodic.cancel(false);
            periodic = null;
        }
    }

    /**
     * Loads the schema now, makes it current and tells the listeners what changed since the previous load.
     *
     * @return the schema just loaded
     * @throws SchemaLoadException if mysqld cannot be read; the previous schema stays current
     */
    public Schema reload() {
        synchronized (reloadLock) {
            Schema loaded = load();
            Schema previous = current;
            current = loaded;
            if (previous != null) {
                SchemaChange change = SchemaChange.between(previous, loaded);
                if (!change.isEmpty()) {
                    log.info("schema of {} changed: created {}, altered {}, dropped {}", config.dbName(),
                            change.created(), change.altered(), change.dropped());
                    notifyListeners(change);
                }
            }
            return loaded;
        }
    }

    /** The schema of the latest successful load, if there was one. */
    public Optional<Schema> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Answers the TabletManager GetSchema RPC. It reads the live schema (a reload, so any change it finds is also
     * announced) rather than a cached one: GetSchema feeds schema comparisons and copies, which must not act on a
     * stale view.
     *
     * @throws IllegalArgumentException if a table pattern of the request is not a valid regular expression
     * @throws SchemaLoadException if mysqld cannot be read
     */
    public SchemaDefinition getSchema(GetSchemaRequest request) {
        TableFilter filter = TableFilter.of(request);
        return SchemaDefinitions.of(reload(), filter, request.getTableSchemaOnly());
    }

    /**
     * CREATE statements by object name, for the Query service's GetSchema (the gate's schema tracker). Served from
     * the current schema, loading it first if there is none yet. User-defined functions are not tracked, so
     * {@link SchemaTableType#UDFS} gives nothing.
     *
     * @param type which kind of object
     * @param names the objects wanted; empty means all of that kind. Unknown names are left out.
     * @throws SchemaLoadException if there is no schema yet and mysqld cannot be read
     */
    public Map<String, String> createStatements(SchemaTableType type, Collection<String> names) {
        Schema schema = current().orElseGet(this::reload);
        Set<String> wanted = Set.copyOf(names);
        Map<String, String> statements = new LinkedHashMap<>();
        for (TableSchema table : schema.tables().values()) {
            boolean kindWanted = switch (type) {
                case TABLES -> table.kind() == TableKind.TABLE;
                case VIEWS -> table.kind() == TableKind.VIEW;
                case ALL -> true;
                case UDFS, UNRECOGNIZED -> false;
            };
            if (kindWanted && (wanted.isEmpty() || wanted.contains(table.name()))) {
                statements.put(table.name(), table.createStatement());
            }
        }
        return statements;
    }

    /** Adds a listener for schema changes found from now on. */
    public void addListener(SchemaChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(SchemaChangeListener listener) {
        listeners.remove(listener);
    }

    private Schema load() {
        try (Connection c = dba.withConnectTimeout(config.mysqlTimeout()).connect()) {
            c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, config.mysqlTimeout().toMillis()));
            return SchemaReader.read(c, config.dbName());
        } catch (SQLException e) {
            throw new SchemaLoadException("cannot read the schema of " + config.dbName() + " as " + dba.describe()
                    + ": " + e.getMessage(), e);
        }
    }

    private void notifyListeners(SchemaChange change) {
        for (SchemaChangeListener listener : listeners) {
            try {
                listener.schemaChanged(change);
            } catch (RuntimeException e) {
                log.error("schema change listener {} failed", listener, e);
            }
        }
    }

    private void periodicReload() {
        // Never let an exception escape: it would cancel the periodic task for good.
        try {
            reload();
        } catch (RuntimeException e) {
            log.warn("periodic schema reload of {} failed: {}", config.dbName(), e.getMessage());
        }
    }
}
