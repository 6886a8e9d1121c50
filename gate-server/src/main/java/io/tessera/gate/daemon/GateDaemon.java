package io.tessera.gate.daemon;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.daemon.CloseStack;
import io.tessera.common.http.StatusHttpServer;
import io.tessera.common.http.StatusPage.Fact;
import io.tessera.gate.auth.AuthServer;
import io.tessera.gate.auth.NoneAuthServer;
import io.tessera.gate.auth.StaticAuthServer;
import io.tessera.gate.discovery.DiscoveryGateway;
import io.tessera.gate.executor.GateExecutor;
import io.tessera.gate.executor.MysqlSessions;
import io.tessera.gate.executor.QueryLog;
import io.tessera.gate.grpc.VitessGrpcService;
import io.tessera.gate.mysql.MysqlServer;
import io.tessera.common.net.EventLoops;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletType;
import io.tessera.topo.TopoServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code tessera-gate}: the topology connection, discovery and routing to tablets, the executor, the
 * MySQL protocol server, the Vitess gRPC service and the HTTP status page with metrics. Components start in
 * dependency order (clients are accepted last, once the gate knows its tablets) and close in reverse.
 */
public final class GateDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GateDaemon.class);

    private final CloseStack closeables = new CloseStack("tessera-gate");
    private Server grpc;
    private StatusHttpServer http;
    private MysqlServer mysql;

    private GateDaemon() {}

    /**
     * Starts the gate.
     *
     * @throws Exception if any component cannot start; everything already started is closed again
     */
    public static GateDaemon start(GateConfig config) throws Exception {
        GateDaemon d = new GateDaemon();
        try {
            d.startComponents(config);
            return d;
        } catch (Exception | Error e) {
            d.close();
            throw e;
        }
    }

    private void startComponents(GateConfig config) throws Exception {
        PrometheusRegistry metrics = new PrometheusRegistry();
        TopoServer topo = TopoServer.open(config.topoAddress());
        closeables.push(topo);
        // The MySQL connections' event loops also carry the gRPC channels to the tablets: a statement run on its
        // connection's loop sends its call and handles the answer there, without waking another thread.
        EventLoops loops = EventLoops.start(0, "tessera-mysql-io");
        closeables.push(loops);
        DiscoveryGateway gateway = DiscoveryGateway.connect(topo, config.discovery(), config.buffer(), metrics,
                loops);
        closeables.push(gateway);

        QueryLog queryLog = QueryLog.NONE;
        if (config.queryLog().isPresent()) {
            FileQueryLog file = new FileQueryLog(config.queryLog().get());
            closeables.push(file);
            queryLog = file;
        }
        GateExecutor executor = new GateExecutor(gateway, config.executor(), metrics, queryLog);

        if (!config.initialTabletTimeout().isZero()) {
            Set<Target> missing = gateway.waitForTabletTypes(List.of(TabletType.PRIMARY),
                    config.initialTabletTimeout());
            if (!missing.isEmpty()) {
                log.warn("serving without a primary in rotation for {} after --gateway_initial_tablet_timeout {}",
                        missing.stream().map(t -> t.getKeyspace() + "/" + t.getShard()).collect(Collectors.joining(
                                ", ")), config.initialTabletTimeout());
            }
        }

        HealthStatusManager grpcHealth = new HealthStatusManager();
        InetSocketAddress grpcAddress = config.bindAddress().isEmpty() ? new InetSocketAddress(config.grpcPort())
                : new InetSocketAddress(config.bindAddress(), config.grpcPort());
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        closeables.push(threads::shutdownNow);
        grpc = NettyServerBuilder.forAddress(grpcAddress).executor(threads)
                .addService(ServerInterceptors.intercept(new VitessGrpcService(executor, threads),
                        VitessGrpcService.metrics(metrics)))
                .addService(grpcHealth.getHealthService())
                .build().start();
        closeables.push(() -> {
            grpcHealth.enterTerminalState();
            grpc.shutdown();
            if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
                grpc.shutdownNow();
            }
        });

        AuthServer auth = config.auth().impl().equals("none") ? new NoneAuthServer()
                : StaticAuthServer.fromFile(config.auth().staticFile().orElseThrow(), config.auth().reloadInterval(),
                        metrics);
        closeables.push(auth);
        mysql = new MysqlServer(config.mysql(), auth, new MysqlSessions(executor, gateway), metrics, loops);
        mysql.start();
        closeables.push(mysql);

        GateStatusPage page = new GateStatusPage(gateway, executor::stats, mysql::connectionCount, List.of(
                new Fact("topology", config.topoAddress()),
                new Fact("cell", config.discovery().localCell()),
                new Fact("cells watched", String.join(", ", config.discovery().cellsToWatch())),
                new Fact("MySQL port", Integer.toString(mysql.port())),
                new Fact("gRPC port", Integer.toString(grpc.getPort())),
                new Fact("authentication", config.auth().impl()
                        + config.auth().staticFile().map(f -> " (" + f + ")").orElse("")),
                new Fact("failover buffering", config.buffer().enabled()
                        ? "on (window " + config.buffer().window() + ", size " + config.buffer().size() + ")"
                        : "off (--enable_buffer)"),
                new Fact("default tablet type", config.executor().defaultTabletType().name()),
                new Fact("query timeout", config.executor().queryTimeout().isZero() ? "none"
                        : config.executor().queryTimeout().toString())));
        http = StatusHttpServer.start(config.bindAddress(), config.httpPort(), page::render, page::health, metrics);
        closeables.push(http);
        log.info("tessera-gate serving: MySQL {}, gRPC {}, HTTP {}, topology {}", mysql.port(), grpc.getPort(),
                http.port(), config.topoAddress());
    }

    /** The MySQL protocol port. */
    public int mysqlPort() {
        return mysql.port();
    }

    /** The gRPC port. */
    public int grpcPort() {
        return grpc.getPort();
    }

    /** The HTTP port. */
    public int httpPort() {
        return http.port();
    }

    /** Blocks until the gRPC server stops (at {@link #close()}). */
    public void awaitTermination() throws InterruptedException {
        grpc.awaitTermination();
    }

    @Override
    public synchronized void close() {
        closeables.close();
    }
}
