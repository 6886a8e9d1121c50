package io.tessera.tablet.daemon;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.protobuf.services.HealthStatusManager;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.daemon.CloseStack;
import io.tessera.common.http.StatusHttpServer;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.tabletmanagerdata.ReplicationStatusRequest;
import io.tessera.proto.tabletmanagerdata.StartReplicationRequest;
import io.tessera.proto.tabletmanagerdata.UndoDemotePrimaryRequest;
import io.tessera.common.net.EventLoops;
import io.tessera.queryservice.FramedMultiplexServer;
import io.tessera.queryservice.MultiplexEndpoint;
import io.tessera.queryservice.QueryServiceGrpcAdapter;
import io.tessera.proto.vtrpc.Code;
import io.tessera.proto.tabletmanagerdata.SetReplicationSourceRequest;
import io.tessera.tabletmanager.DurabilityPolicy;
import io.tessera.tabletmanager.TabletManagerException;
import io.tessera.tablet.health.HealthCheck;
import io.tessera.tablet.health.HealthMonitor;
import io.tessera.tablet.health.HealthReport;
import io.tessera.tablet.health.HealthStreamer;
import io.tessera.tablet.health.MysqldProbe;
import io.tessera.tablet.health.ReplicationTracker;
import io.tessera.proto.tabletmanagerdata.GetSchemaRequest;
import io.tessera.proto.tabletmanagerdata.SchemaDefinition;
import io.tessera.tablet.manager.SchemaSource;
import io.tessera.tablet.manager.ServingState;
import io.tessera.tablet.manager.TabletManager;
import io.tessera.tablet.manager.TabletManagerBuilder;
import io.tessera.tablet.mysqlctl.MysqlDaemon;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.tessera.tablet.mysqlclient.NativeConnector;
import io.tessera.tablet.queryservice.MeteredQueryService;
import io.tessera.tablet.queryservice.NativePool;
import io.tessera.tablet.queryservice.PoolStats;
import io.tessera.tablet.queryservice.TabletQueryService;
import io.tessera.tablet.registration.TabletIdentity;
import io.tessera.tablet.registration.TabletRegistration;
import io.tessera.tablet.schema.SchemaEngine;
import io.tessera.tablet.schema.SchemaEngineConfig;
import io.tessera.tabletmanager.TabletManagerGrpcService;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running tablet: its mysqld (managed or external), its registration in the topology, the query service, the
 * tablet manager, health and the schema engine, served on gRPC and HTTP. Components are started in dependency
 * order and closed in reverse.
 */
public final class TabletDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TabletDaemon.class);

    /** Things to close on shutdown, last started first. */
    private final CloseStack closeables = new CloseStack("the tablet");
    private Server grpc;
    /** The framed multiplex port, or -1 when it is off. */
    private int multiplexPort = -1;
    private StatusHttpServer http;
    private TabletStateHub state;
    private TabletManager manager;

    private TabletDaemon() {}

    /** Opens the tablet's mysqld for the given identity (managed start, or external attach). */
    @FunctionalInterface
    public interface MysqldOpener {
        MysqlDaemon open(long uid, String dbName);

        /**
         * Opens mysqld knowing whether the topology makes this tablet its shard's primary. A managed mysqld that is
         * not the primary starts in the replica role, so its crash recovery rolls back transactions that no
         * replica acknowledged instead of committing them (see docs/tablet.md). The default ignores the role.
         */
        default MysqlDaemon open(long uid, String dbName, boolean primary) {
            return open(uid, dbName);
        }
    }

    /**
     * Starts a tablet.
     *
     * @throws Exception if any component cannot start; everything already started is closed again
     */
    public static TabletDaemon start(TabletConfig config, MysqldOpener mysqldOpener) throws Exception {
        TabletDaemon d = new TabletDaemon();
        try {
            d.startComponents(config, mysqldOpener);
            return d;
        } catch (Exception | Error e) {
            d.close();
            throw e;
        }
    }

    private void startComponents(TabletConfig config, MysqldOpener mysqldOpener) throws Exception {
        TabletIdentity id = config.identity();
        String alias = TabletAliases.format(id.alias());

        TopoServer topo = TopoServer.open(config.topoAddress());
        closeables.push(topo);

        StartRole role = StartRole.read(topo, id);
        MysqlDaemon mysqld = mysqldOpener.open(Integer.toUnsignedLong(id.alias().getUid()), id.dbName(),
                role.primary());
        if (mysqld instanceof AutoCloseable managed && mysqld.isManaged()) {
            closeables.push(managed);
        }
        log.info("tablet {}: mysqld {} ({})", alias, mysqld.endpoint(), mysqld.isManaged() ? "managed" : "external");

        // The event loops serve the gRPC and multiplex ports and run the query service's native connections to
        // mysqld: a plain statement is received, sent to mysqld and answered on one thread (see
        // TabletQueryService.executeNow).
        EventLoops loops = EventLoops.start(0, "tessera-tablet-io");
        closeables.push(loops);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tessera-tablet-accept", true),
                loops.ioHandlers());
        closeables.push(() -> boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly());
        // Bound before registering, so that the record carries the port (a free one when asked for 0).
        FramedMultiplexServer framed = config.multiplexPort() < 0 ? null
                : FramedMultiplexServer.bind(listen(config.bindAddress(), config.multiplexPort()), boss, loops.group(),
                        loops.serverSocketChannelType());
        if (framed != null) {
            closeables.push(framed);
            multiplexPort = framed.port();
        }
        Tablet registered = new TabletRegistration(topo).register(id,
                framed == null ? Map.of() : Map.of(MultiplexEndpoint.PORT_NAME, framed.port()));

        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4, daemonThreads("tablet-" + alias));
        closeables.push(scheduler::shutdownNow);

        state = new TabletStateHub(new ServingState(registered, false, "starting", List.of(), false));

        List<EventLoop> loopList = loops.loops();
        int perLoop = (config.nativePoolSize() + loopList.size() - 1) / loopList.size();
        NativePool natives = perLoop == 0 ? null
                : new NativePool(new NativeConnector(mysqld.app(), loops, config.queryService().selectLimit()),
                        loopList, perLoop, config.nativePreparedStatements(), config.queryService().idleTimeout());
        TabletQueryService queryService = new TabletQueryService(config.queryService(), state, mysqld.app(),
                mysqld.dba(), id.alias(), natives);
        closeables.push(queryService);
        // Transactions and reserved connections belong to the type they were opened on: a demoted primary must not
        // commit anything more, and gates re-reserve on the tablet that serves the type now.
        state.onStopServing(queryService::closeAllSessions);
        PrometheusRegistry metrics = new PrometheusRegistry();
        MeteredQueryService meteredQueries = new MeteredQueryService(queryService, metrics);

        ReplicationTracker tracker = new ReplicationTracker(config.health(), mysqld.dba(), id.keyspace(), id.shard(),
                Integer.toUnsignedLong(id.alias().getUid()), scheduler, Clock.systemUTC());
        closeables.push(tracker);
        Target initialTarget = Target.newBuilder().setKeyspace(id.keyspace()).setShard(id.shard())
                .setTabletType(registered.getType()).setCell(id.alias().getCell()).build();
        HealthStreamer streamer = new HealthStreamer(id.alias(), HealthReport.notYetChecked(initialTarget));
        closeables.push(streamer);
        MysqldProbe ping = MysqldProbe.ping(mysqld.dba(), config.health().mysqlTimeout());
        // The health check's probe also tells the query service whether mysqld answers: one probe, two readers.
        MysqldProbe probe = () -> {
            var problem = ping.problem();
            state.mysqldReachable(problem.isEmpty());
            return problem;
        };
        HealthCheck check = new HealthCheck(config.health(), probe, tracker, state.healthSource());
        HealthMonitor monitor = new HealthMonitor(config.health(), check, streamer, scheduler);
        closeables.push(monitor);
        state.onTypeChange((before, after) -> {
            if (after == TabletType.PRIMARY) {
                tracker.makePrimary();
            } else if (before == TabletType.PRIMARY) {
                tracker.makeNonPrimary();
            }
            monitor.checkNow();
        });

        SchemaEngine schema = new SchemaEngine(SchemaEngineConfig.forDatabase(id.dbName())
                .withReloadTime(config.schemaReloadTime()), mysqld.dba(), scheduler);
        closeables.push(schema);
        schema.addListener(c -> streamer.announceSchemaChange(c.changedTables(), c.changedViews()));
        schema.open();

        manager = TabletManagerBuilder.forTablet(id.alias()).mysqld(mysqld).topo(topo).listener(state)
                .schema(new SchemaSource() {
                    @Override
                    public SchemaDefinition getSchema(GetSchemaRequest request) {
                        return schema.getSchema(request);
                    }

                    @Override
                    public void reload() {
                        schema.reload();
                    }
                }).build();
        resumeRole(topo, id, tracker, role);
        monitor.start();
        ShardSync shardSync = new ShardSync(topo, id.keyspace(), id.shard(), manager, scheduler);
        closeables.push(shardSync);
        shardSync.start();

        ExecutorService streams = Executors.newVirtualThreadPerTaskExecutor();
        closeables.push(streams::shutdownNow);
        HealthStatusManager grpcHealth = new HealthStatusManager();
        ExecutorService blockingCalls = Executors.newVirtualThreadPerTaskExecutor();
        closeables.push(blockingCalls::shutdownNow);
        QueryServiceGrpcAdapter queryAdapter = new QueryServiceGrpcAdapter(meteredQueries, streams,
                streamer::streamHealth);
        grpc = NettyServerBuilder.forAddress(listen(config.bindAddress(), id.grpcPort()))
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(loops.group())
                .channelType(loops.serverSocketChannelType())
                // Every call starts on the event loop that received it (with a plain executor gRPC would first hop
                // to it just to look the method up). The query service stays there: it runs plain Executes on the
                // loop and hands the rest to its own threads (see QueryServiceGrpcAdapter). The other services
                // (tablet manager, health) block, so they move to virtual threads.
                .executor(MoreExecutors.directExecutor())
                .callExecutor(QueryServiceGrpcAdapter.callExecutors(blockingCalls))
                .addService(queryAdapter)
                .addService(new TabletManagerGrpcService(manager))
                .addService(grpcHealth.getHealthService())
                .build().start();
        closeables.push(() -> {
            grpcHealth.enterTerminalState();
            queryAdapter.finishStreams();
            grpc.shutdown();
            if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
                grpc.shutdownNow();
            }
        });
        if (framed != null) {
            framed.serve(queryAdapter);
            // Closed again before gRPC (and the early close, for a failed start, then does nothing): its streams end
            // once answered while the query service still runs.
            closeables.push(framed);
            log.info("tablet {}: multiplex port {}", alias, framed.port());
        }

        CounterWithCallback.builder().name("tessera_tablet_event_loop_statements_total")
                .help("Execute calls run on the gRPC event loop over a native connection to mysqld (the others ran "
                        + "through the JDBC pools)")
                .callback(cb -> cb.call(queryService.inlineStatements())).register(metrics);
        CounterWithCallback.builder().name("tessera_tablet_multiplexed_executes_total")
                .help("Execute requests received on multiplexed streams (a gate's event-loop statements share one "
                        + "stream per loop instead of a call each), by transport: framed (the multiplex port) or grpc "
                        + "(MultiplexExecuteBatches)")
                .labelNames("transport")
                .callback(cb -> {
                    cb.call(queryAdapter.framedExecutes(), "framed");
                    cb.call(queryAdapter.multiplexedExecutes(), "grpc");
                }).register(metrics);
        GaugeWithCallback.builder().name("tessera_tablet_open_transactions").help("Transactions open now")
                .callback(cb -> cb.call(queryService.openTransactions())).register(metrics);
        GaugeWithCallback.builder().name("tessera_tablet_reserved_connections")
                .help("Reserved connections held now (each also counts against the transaction cap)")
                .callback(cb -> cb.call(queryService.reservedConnections())).register(metrics);
        GaugeWithCallback.builder().name("tessera_tablet_replication_lag_seconds")
                .help("Replication lag measured from the primary's heartbeats at the last health check")
                .callback(cb -> {
                    HealthReport r = monitor.lastReport();
                    cb.call(r == null ? 0 : r.replicationLag().toMillis() / 1000.0);
                }).register(metrics);
        GaugeWithCallback.builder().name("tessera_tablet_pool_connections")
                .help("Connections of the query service's pools, by pool and state (active, idle)")
                .labelNames("pool", "state").callback(cb -> {
                    for (PoolStats p : queryService.poolStats()) {
                        cb.call(p.active(), p.pool(), "active");
                        cb.call(p.idle(), p.pool(), "idle");
                    }
                }).register(metrics);
        GaugeWithCallback.builder().name("tessera_tablet_pool_capacity").help("Pool sizes, by pool")
                .labelNames("pool").callback(cb -> queryService.poolStats().forEach(p -> cb.call(p.capacity(), p.pool())))
                .register(metrics);
        GaugeWithCallback.builder().name("tessera_tablet_pool_waiting")
                .help("Callers waiting for a pooled connection, by pool").labelNames("pool")
                .callback(cb -> queryService.poolStats().forEach(p -> cb.call(p.waiting(), p.pool())))
                .register(metrics);
        GaugeWithCallback.builder().name("tessera_tablet_serving").help("1 if the last health check found the "
                + "tablet serving").callback(cb -> {
                    HealthReport r = monitor.lastReport();
                    cb.call(r != null && r.serving() ? 1 : 0);
                }).register(metrics);
        TabletStatusPage page = new TabletStatusPage(id, mysqld, state, monitor, queryService, meteredQueries);
        http = StatusHttpServer.start(config.bindAddress(), id.httpPort(), page::render, page::health, metrics);
        closeables.push(http);
        log.info("tablet {} serving: gRPC {}, HTTP {}, {}/{} as {}", alias, grpc.getPort(), http.port(),
                id.keyspace(), id.shard(), manager.servingState().type());
    }

    /**
     * Puts mysqld back in the role the topology gives this tablet. A mysqld that (re)starts is read-only with
     * replication stopped and semi-sync off (settings made with SET GLOBAL do not survive a restart): a primary is
     * made writable again with semi-sync as its keyspace's durability policy requires, and a replica with a
     * replication source resumes replicating, acknowledging semi-sync if the policy says its type does. Lag
     * tracking starts in the matching role.
     */
    private void resumeRole(TopoServer topo, TabletIdentity id, ReplicationTracker tracker, StartRole role)
            throws Exception {
        DurabilityPolicy policy = DurabilityPolicy.of(topo.getKeyspace(id.keyspace()).value());
        TabletType type = manager.servingState().type();
        if (type == TabletType.PRIMARY) {
            manager.undoDemotePrimary(UndoDemotePrimaryRequest.newBuilder()
                    .setSemiSync(policy.requiredAcks() > 0).build());
            tracker.makePrimary();
            return;
        }
        tracker.makeNonPrimary();
        try {
            manager.replicationStatus(ReplicationStatusRequest.getDefaultInstance());
        } catch (TabletManagerException e) {
            if (e.code() != Code.FAILED_PRECONDITION) {
                throw e;
            }
            // No replication source: a tablet never pointed at a primary, or a former primary replaced while it
            // was down. Either way the shard's primary is where it belongs, as VTOrc would repair it.
            if (role.shardPrimary().isPresent()) {
                rejoin(role, policy, type);
            }
            return;
        }
        manager.startReplication(StartReplicationRequest.newBuilder().setSemiSync(policy.acks(type)).build());
    }

    /**
     * A replica without a replication source (typically a former primary that another tablet replaced while it
     * was down) replicates from the shard's primary, resuming
     * from what its mysqld holds (crash recovery in the replica role has rolled back what no replica
     * acknowledged). If that fails, for example because the server holds transactions the new primary does not,
     * the tablet stays a read-only replica and says that it needs repair.
     */
    private void rejoin(StartRole role, DurabilityPolicy policy, TabletType type) {
        var primary = role.shardPrimary().orElseThrow();
        try {
            manager.setReplicationSource(SetReplicationSourceRequest.newBuilder().setParent(primary)
                    .setSemiSync(policy.acks(type)).setForceStartReplication(true).build());
            log.info("former primary {} rejoined its shard as a replica of {}",
                    TabletAliases.format(manager.tablet().getAlias()), TabletAliases.format(primary));
        } catch (TabletManagerException e) {
            log.error("tablet {} was primary and another tablet ({}) was promoted meanwhile; it could not rejoin "
                    + "as a replica and needs repair: {}", TabletAliases.format(manager.tablet().getAlias()),
                    TabletAliases.format(primary), e.getMessage());
        }
    }

    /** The gRPC port. */
    public int grpcPort() {
        return grpc.getPort();
    }

    /** The framed multiplex port, or -1 if it is off. */
    public int multiplexPort() {
        return multiplexPort;
    }

    /** The HTTP port. */
    public int httpPort() {
        return http.port();
    }

    /** Blocks until the gRPC server stops. */
    public void awaitTermination() throws InterruptedException {
        grpc.awaitTermination();
    }

    @Override
    public synchronized void close() {
        closeables.close();
    }

    private static InetSocketAddress listen(String bindAddress, int port) {
        return bindAddress.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(bindAddress, port);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        return Thread.ofPlatform().name(prefix + "-", 0).daemon(true).factory();
    }
}
