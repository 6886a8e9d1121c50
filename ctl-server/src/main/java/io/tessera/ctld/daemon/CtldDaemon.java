package io.tessera.ctld.daemon;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.daemon.CloseStack;
import io.tessera.common.http.StatusHttpServer;
import io.tessera.common.http.StatusPage.Fact;
import io.tessera.ctld.command.CommandSettings;
import io.tessera.ctld.command.CtldCommands;
import io.tessera.ctld.reparent.Reparenter;
import io.tessera.ctld.server.RpcMetrics;
import io.tessera.ctld.server.VtctldGrpcService;
import io.tessera.ctld.web.CtldStatusPage;
import io.tessera.ctld.web.TabletHealthCache;
import io.tessera.tabletmanager.TabletManagerClients;
import io.tessera.tabletmanager.TabletManagerDialer;
import io.tessera.topo.TopoServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code tessera-ctld}: the topology connection, the tablet-manager clients, the Vtctld gRPC service (on
 * virtual threads, since some commands wait a long time on tablets) and the HTTP status page with metrics.
 * Components start in dependency order and close in reverse.
 */
public final class CtldDaemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CtldDaemon.class);

    private final CloseStack closeables = new CloseStack("tessera-ctld");
    private Server grpc;
    private StatusHttpServer http;

    private CtldDaemon() {}

    /**
     * Starts the daemon.
     *
     * @param reparenters builds the reparent workflows over the daemon's topology and tablet-manager dialer
     * @throws Exception if any component cannot start; everything already started is closed again
     */
    public static CtldDaemon start(CtldConfig config,
            BiFunction<TopoServer, TabletManagerDialer, Reparenter> reparenters) throws Exception {
        CtldDaemon d = new CtldDaemon();
        try {
            d.startComponents(config, reparenters);
            return d;
        } catch (Exception | Error e) {
            d.close();
            throw e;
        }
    }

    private void startComponents(CtldConfig config, BiFunction<TopoServer, TabletManagerDialer, Reparenter> reparenters)
            throws Exception {
        TopoServer topo = TopoServer.open(config.topoAddress());
        closeables.push(topo);
        TabletManagerClients dialer = new TabletManagerClients(config.tabletManagerTimeout());
        closeables.push(dialer);
        CtldCommands commands = CtldCommands.create(topo, dialer, new CommandSettings(config.actionTimeout()));
        Reparenter reparenter = reparenters.apply(topo, dialer);

        PrometheusRegistry metrics = new PrometheusRegistry();
        HealthStatusManager grpcHealth = new HealthStatusManager();
        InetSocketAddress grpcAddress = config.bindAddress().isEmpty() ? new InetSocketAddress(config.grpcPort())
                : new InetSocketAddress(config.bindAddress(), config.grpcPort());
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        closeables.push(executor::shutdownNow);
        grpc = NettyServerBuilder.forAddress(grpcAddress).executor(executor)
                .addService(ServerInterceptors.intercept(
                        new VtctldGrpcService(commands, reparenter, config.disableActiveReparents()),
                        new RpcMetrics(metrics)))
                .addService(grpcHealth.getHealthService())
                .build().start();
        closeables.push(() -> {
            grpcHealth.enterTerminalState();
            grpc.shutdown();
            if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
                grpc.shutdownNow();
            }
        });

        TabletHealthCache health = new TabletHealthCache(topo, config.healthScanInterval());
        closeables.push(health);
        CtldStatusPage page = new CtldStatusPage(topo, health, List.of(
                new Fact("topology", config.topoAddress()),
                new Fact("gRPC port", Integer.toString(grpc.getPort())),
                new Fact("active reparents", config.disableActiveReparents()
                        ? "disabled (--disable_active_reparents)" : "enabled"),
                new Fact("action timeout", config.actionTimeout().toString()),
                new Fact("tablet manager timeout", config.tabletManagerTimeout().toString())));
        http = StatusHttpServer.start(config.bindAddress(), config.httpPort(), page::render, page::health, metrics);
        closeables.push(http);
        log.info("tessera-ctld serving: gRPC {}, HTTP {}, topology {}", grpc.getPort(), http.port(),
                config.topoAddress());
    }

    /** The gRPC port. */
    public int grpcPort() {
        return grpc.getPort();
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
}
