package io.tessera.tablet.queryservice;

import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.tessera.common.net.EventLoops;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.queryservice.GrpcQueryServiceClient;
import io.tessera.queryservice.QueryServiceGrpcAdapter;
import io.tessera.tablet.mysqlclient.NativeConnector;
import io.tessera.tablet.mysqlctl.DbCredentials;
import io.tessera.tablet.mysqlctl.ManagedMysqld;
import io.tessera.tablet.mysqlctl.ManagedMysqldConfig;
import io.tessera.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A real MariaDB (managed by mysqlctl) with the tablet's query service on it, served over gRPC on a free loopback
 * port, and a gRPC client: what the query-service tests run against. Several services (with different configs)
 * may share the one mysqld. Closing stops everything it started.
 */
final class QueryServiceFixture implements AutoCloseable {
    static final String KEYSPACE = "commerce";
    static final String SHARD = "0";
    static final TabletAlias ALIAS = TabletAlias.newBuilder().setCell("zone1").setUid(100).build();

    final ManagedMysqld mysqld;
    private final List<Served> served = new ArrayList<>();
    /** With native connections: the one event loop the gRPC servers and their connections to mysqld share. */
    private final EventLoops loops;

    /** A tablet query service with its gRPC server and client. */
    record Served(TabletQueryService service, SettableServingState state, Server server,
            GrpcQueryServiceClient client, ExecutorService streams) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            server.shutdownNow();
            try {
                server.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            streams.shutdownNow();
            service.close();
        }
    }

    QueryServiceFixture(Path root) {
        this(root, false);
    }

    /**
     * @param nativePath serve as the tablet daemon does: on unshaded Netty whose event loop runs plain Executes
     *     over native connections to mysqld (the pool is filled before {@link #serve} returns), rather than every
     *     call through JDBC
     */
    QueryServiceFixture(Path root, boolean nativePath) {
        ManagedMysqldConfig cfg = ManagedMysqldConfig.builder(100, root).port(FreePorts.next()).keyspace(KEYSPACE)
                .credentials(DbCredentials.withPassword("pw")).startReadOnly(false).build();
        this.mysqld = ManagedMysqld.startNew(cfg);
        this.loops = nativePath ? EventLoops.start(1, "fixture-io") : null;
    }

    boolean nativePath() {
        return loops != null;
    }

    /** A primary tablet's query service with {@code config}, reachable through its client. */
    Served serve(QueryServiceConfig config) {
        return serve(config, System::nanoTime);
    }

    /**
     * As {@link #serve(QueryServiceConfig)}, measuring the transaction and idle timeouts on {@code nanoTime}, so a
     * test can move time on instead of waiting.
     */
    Served serve(QueryServiceConfig config, LongSupplier nanoTime) {
        SettableServingState state = new SettableServingState(ServingState.serving(KEYSPACE, SHARD,
                TabletType.PRIMARY));
        NativePool natives = loops == null ? null
                : new NativePool(new NativeConnector(mysqld.app(), loops, config.selectLimit()), loops.loops(),
                        config.poolSize());
        TabletQueryService service = new TabletQueryService(config, state, mysqld.app(), new DbaKiller(mysqld.dba()),
                ALIAS, Clock.systemUTC(), nanoTime, natives);
        ExecutorService streams = Executors.newVirtualThreadPerTaskExecutor();
        int port = FreePorts.next();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        QueryServiceGrpcAdapter adapter = new QueryServiceGrpcAdapter(service, streams);
        Server server;
        try {
            server = loops == null
                    ? NettyServerBuilder.forAddress(address).addService(adapter).build().start()
                    : io.grpc.netty.NettyServerBuilder.forAddress(address)
                            .bossEventLoopGroup(loops.group()).workerEventLoopGroup(loops.group())
                            .channelType(loops.serverSocketChannelType())
                            .executor(MoreExecutors.directExecutor())
                            .callExecutor(QueryServiceGrpcAdapter.callExecutors(streams))
                            .addService(adapter).build().start();
        } catch (IOException e) {
            service.close();
            throw new UncheckedIOException(e);
        }
        if (natives != null) {
            natives.fill();
            await().atMost(Duration.ofSeconds(30)).until(() -> natives.openCount() == natives.perLoop());
        }
        Served s = new Served(service, state, server, GrpcQueryServiceClient.connect("127.0.0.1", port), streams);
        served.add(s);
        return s;
    }

    /** Runs statements as the dba user in the keyspace database (schema setup, inspection). */
    void dba(String... statements) {
        try (Connection c = mysqld.dba().withDatabase("vt_" + KEYSPACE).connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row of {@code sql}, run as the dba user. */
    List<String> dbaColumn(String sql) {
        try (Connection c = mysqld.dba().withDatabase("vt_" + KEYSPACE).connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How many statements containing {@code sql} mysqld is running (the tablet may prefix a SELECT with
     * {@code SET STATEMENT sql_select_limit=... FOR}).
     */
    int running(String sql) {
        return Integer.parseInt(dbaColumn("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%"
                + sql.replace("'", "''") + "%' AND ID <> CONNECTION_ID()").get(0));
    }

    static Target target(TabletType type) {
        return Target.newBuilder().setKeyspace(KEYSPACE).setShard(SHARD).setTabletType(type).build();
    }

    static ExecuteRequest execute(String sql) {
        return execute(sql, Map.of(), 0);
    }

    static ExecuteRequest execute(String sql, Map<String, BindVariable> binds, long transactionId) {
        return ExecuteRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setQuery(BoundQuery.newBuilder().setSql(sql).putAllBindVariables(binds))
                .setTransactionId(transactionId)
                .setOptions(ExecuteOptions.newBuilder().setIncludedFields(ExecuteOptions.IncludedFields.ALL))
                .build();
    }

    static List<List<String>> rows(QueryResult result) {
        List<List<String>> out = new ArrayList<>();
        result.getRowsList().forEach(r -> out.add(io.tessera.queryservice.CompactRows.strings(r)));
        return out;
    }

    @Override
    public void close() {
        for (Served s : served) {
            s.close();
        }
        if (loops != null) {
            loops.close();
        }
        mysqld.close();
    }
}
