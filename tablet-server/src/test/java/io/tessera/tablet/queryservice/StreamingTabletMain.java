package io.tessera.tablet.queryservice;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.tessera.proto.topodata.TabletType;
import io.tessera.queryservice.QueryServiceGrpcAdapter;
import io.tessera.tablet.mysqlctl.DbConnector;
import io.tessera.tablet.mysqlctl.DbUser;
import io.tessera.tablet.mysqlctl.MysqlEndpoint;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A query service on its own, for tests that need it in a separate process (for example with a small heap):
 * serves the keyspace database of the mysqld at the given unix socket over gRPC on the given port, as a serving
 * primary with default limits, until it is terminated.
 *
 * <p>Arguments: {@code <grpc port> <mysqld socket> <database> <app user> <dba user>}; the passwords come from the
 * environment variables {@code APP_PASSWORD} and {@code DBA_PASSWORD}.
 */
public final class StreamingTabletMain {
    private StreamingTabletMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        MysqlEndpoint endpoint = MysqlEndpoint.tcpAndSocket("127.0.0.1", 3306, Path.of(args[1]));
        DbConnector app = new DbConnector(endpoint, new DbUser(args[3], System.getenv("APP_PASSWORD")))
                .withDatabase(args[2]);
        DbConnector dba = new DbConnector(endpoint, new DbUser(args[4], System.getenv("DBA_PASSWORD")));
        SettableServingState state = new SettableServingState(ServingState.serving(
                QueryServiceFixture.KEYSPACE, QueryServiceFixture.SHARD, TabletType.PRIMARY));
        TabletQueryService service = new TabletQueryService(QueryServiceConfig.defaults(), state, app, dba,
                QueryServiceFixture.ALIAS);
        ExecutorService streams = Executors.newVirtualThreadPerTaskExecutor();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new QueryServiceGrpcAdapter(service, streams))
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            streams.shutdownNow();
            service.close();
        }));
        System.out.println("serving on 127.0.0.1:" + port + " with max heap " + Runtime.getRuntime().maxMemory());
        server.awaitTermination();
    }
}
