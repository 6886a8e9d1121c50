package io.tessera.tablet.manager;

import io.tessera.proto.topodata.TabletAlias;
import io.tessera.tablet.flavor.Flavor;
import io.tessera.tablet.mysqlctl.MysqlDaemon;
import io.tessera.topo.TopoServer;
import java.time.Clock;
import java.util.Objects;

/**
 * Builds a {@link TabletManager} for a registered tablet. The tablet's {@code main} does:
 *
 * <pre>{@code
 * TabletManager manager = TabletManagerBuilder.forTablet(alias)
 *         .mysqld(mysqld)                // managed or external
 *         .topo(topoServer)
 *         .listener(queryService::apply) // or TabletStateListener.NONE
 *         .build();                      // flavor detected from @@version unless given
 * grpcServerBuilder.addService(new TabletManagerGrpcService(manager));
 * }</pre>
 *
 * <p>{@link #build()} reads the tablet's record and its shard's tablet controls and hands the resulting state to
 * the listener once, so the query service starts from what the topology says.
 */
public final class TabletManagerBuilder {
    private final TabletAlias alias;
    private MysqlDaemon mysqld;
    private TopoServer topo;
    private Flavor flavor;
    private TabletStateListener listener = TabletStateListener.NONE;
    private TabletManagerConfig config = TabletManagerConfig.DEFAULTS;
    private Clock clock = Clock.systemUTC();
    private SchemaSource schema = SchemaSource.NONE;

    private TabletManagerBuilder(TabletAlias alias) {
        this.alias = Objects.requireNonNull(alias, "alias");
    }

    /** A builder for the tablet with this alias; its record must exist in the topology. */
    public static TabletManagerBuilder forTablet(TabletAlias alias) {
        return new TabletManagerBuilder(alias);
    }

    /** The tablet's MySQL. Required. */
    public TabletManagerBuilder mysqld(MysqlDaemon value) {
        mysqld = Objects.requireNonNull(value, "mysqld");
        return this;
    }

    /** The topology holding the tablet's record. Required. */
    public TabletManagerBuilder topo(TopoServer value) {
        topo = Objects.requireNonNull(value, "topo");
        return this;
    }

    /** The tablet's schema engine, for GetSchema and ReloadSchema (which answer UNIMPLEMENTED without one). */
    public TabletManagerBuilder schema(SchemaSource value) {
        schema = Objects.requireNonNull(value, "schema");
        return this;
    }

    /** The server's flavor; by default detected from its {@code @@version} when building. */
    public TabletManagerBuilder flavor(Flavor value) {
        flavor = Objects.requireNonNull(value, "flavor");
        return this;
    }

    /** Told every serving state the manager decides; by default {@link TabletStateListener#NONE}. */
    public TabletManagerBuilder listener(TabletStateListener value) {
        listener = Objects.requireNonNull(value, "listener");
        return this;
    }

    public TabletManagerBuilder config(TabletManagerConfig value) {
        config = Objects.requireNonNull(value, "config");
        return this;
    }

    /** The clock of primary term start times; the system clock by default. */
    public TabletManagerBuilder clock(Clock value) {
        clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    /**
     * The manager.
     *
     * @throws IllegalStateException if mysqld or topo is missing
     * @throws io.tessera.tabletmanager.TabletManagerException if the tablet's record cannot be read
     *     ({@code NOT_FOUND} when it is not registered), or the server's version cannot be read or is not supported
     */
    public TabletManager build() {
        if (mysqld == null || topo == null) {
            throw new IllegalStateException("a tablet manager needs its mysqld and the topology");
        }
        Flavor f = flavor != null ? flavor : MysqlAdmin.detectFlavor(mysqld);
        TabletStateKeeper state = TabletStateKeeper.load(topo, alias, clock, listener);
        TabletManager manager = new TabletManager(config, new MysqlAdmin(mysqld, f), state, schema);
        state.publish();
        return manager;
    }
}
