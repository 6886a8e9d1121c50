package io.tessera.tablet.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.ReserveExecuteRequest;
import io.tessera.proto.query.StreamHealthRequest;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.query.Target;
import io.tessera.proto.queryservice.QueryGrpc;
import io.tessera.proto.tabletmanagerdata.InitPrimaryRequest;
import io.tessera.proto.tabletmanagerdata.InitReplicaRequest;
import io.tessera.proto.tabletmanagerdata.WaitForPositionRequest;
import io.tessera.proto.topodata.TabletType;
import io.tessera.queryservice.CompactRows;
import io.tessera.queryservice.GrpcQueryServiceClient;
import io.tessera.tablet.health.HealthConfig;
import io.tessera.tablet.mysqlctl.DbCredentials;
import io.tessera.tablet.mysqlctl.ManagedMysqld;
import io.tessera.tablet.mysqlctl.ManagedMysqldConfig;
import io.tessera.tablet.queryservice.NativePool;
import io.tessera.tablet.queryservice.QueryServiceConfig;
import io.tessera.tablet.registration.TabletIdentity;
import io.tessera.tabletmanager.TabletManagerClient;
import io.tessera.tabletmanager.TabletManagerClients;
import io.tessera.testing.FreePorts;
import io.tessera.topo.TopoServer;
import io.tessera.topo.server.BackendConfig;
import io.tessera.topo.server.TopoDaemon;
import io.tessera.topo.server.TopoServerConfig;
import io.tessera.topo.topoproto.TabletAliases;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three tablets (100 primary-to-be, 101 replica, 102 rdonly) in commerce/0, each a real TabletDaemon over its own
 * managed MariaDB, registered in a real topology daemon; replication set up through TabletManager RPCs and
 * queries sent through the Query service, as the control daemon and the gate will.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TabletDaemonTest {
    private static final String KS = "commerce";

    private Path tmp;

    private TopoDaemon topoDaemon;
    private String topoAddress;
    private final Map<Integer, TabletDaemon> tablets = new LinkedHashMap<>();
    private final Map<Integer, ManagedMysqld> mysqlds = new LinkedHashMap<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private TopoServer topo;
    private TabletManagerClients dialer;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        tmp = dir;
        topoDaemon = TopoDaemon.start(new TopoServerConfig(FreePorts.next(), "127.0.0.1",
                new BackendConfig.Embedded(tmp.resolve("topo"))));
        topoAddress = "grpc://127.0.0.1:" + topoDaemon.port();
        topo = TopoServer.open(topoAddress);
        dialer = new TabletManagerClients();
        for (int uid : new int[] {100, 101, 102}) {
            TabletType type = uid == 102 ? TabletType.RDONLY : TabletType.REPLICA;
            TabletIdentity id = new TabletIdentity(TabletAliases.parse("zone1-" + uid), "127.0.0.1",
                    FreePorts.next(), FreePorts.next(), KS, "0", type, Optional.empty(), "127.0.0.1",
                    FreePorts.next(), Map.of());
            TabletConfig config = new TabletConfig(id, topoAddress, "127.0.0.1", QueryServiceConfig.defaults(),
                    HealthConfig.defaults().withHealthCheckInterval(Duration.ofMillis(500)), Duration.ofMinutes(30),
                    QueryServiceConfig.DEFAULT_POOL_SIZE, NativePool.DEFAULT_PREPARED_PER_CONNECTION);
            tablets.put(uid, TabletDaemon.start(config, (u, db) -> {
                ManagedMysqld m = ManagedMysqld.startNew(ManagedMysqldConfig.builder(u, tmp.resolve("data"))
                        .port(id.mysqlPort()).dbName(db).credentials(DbCredentials.withPassword("pw")).build());
                mysqlds.put(uid, m);
                return m;
            }));
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        if (dialer != null) {
            dialer.close();
        }
        tablets.values().forEach(TabletDaemon::close);
        if (topo != null) {
            topo.close();
        }
        if (topoDaemon != null) {
            topoDaemon.close();
        }
    }

    private TabletManagerClient manager(int uid) throws Exception {
        return dialer.dial(topo.getTablet(TabletAliases.parse("zone1-" + uid)).value());
    }

    private GrpcQueryServiceClient queries(int uid) {
        GrpcQueryServiceClient c = GrpcQueryServiceClient.connect("127.0.0.1", tablets.get(uid).grpcPort());
        clients.add(c);
        return c;
    }

    private static Target target(TabletType type) {
        return Target.newBuilder().setKeyspace(KS).setShard("0").setTabletType(type).build();
    }

    private static QueryResult execute(GrpcQueryServiceClient c, TabletType type, String sql) {
        return c.execute(ExecuteRequest.newBuilder().setTarget(target(type))
                .setQuery(BoundQuery.newBuilder().setSql(sql)).build()).getResult();
    }

    @Test
    void shardReplicatesThroughTheRpcsAndEachTabletServesItsRole() throws Exception {
        // Registration: every tablet wrote its record and joined the shard's replication graph.
        assertThat(topo.getTabletAliasesByCell("zone1")).hasSize(3);
        assertThat(topo.getShardReplication("zone1", KS, "0").value().getNodesList()).hasSize(3);

        String position = manager(100).initPrimary(InitPrimaryRequest.newBuilder().setSemiSync(false).build())
                .getPosition();
        for (int uid : new int[] {101, 102}) {
            manager(uid).initReplica(InitReplicaRequest.newBuilder()
                    .setParent(TabletAliases.parse("zone1-100")).setReplicationPosition(position)
                    .setSemiSync(false).build());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> topo.getTablet(TabletAliases.parse("zone1-100")).value()
                .getType() == TabletType.PRIMARY);

        GrpcQueryServiceClient primary = queries(100);
        execute(primary, TabletType.PRIMARY, "CREATE TABLE product (sku VARCHAR(32) PRIMARY KEY, price INT)");
        execute(primary, TabletType.PRIMARY, "INSERT INTO product VALUES ('apple', 3), ('pear', 5)");
        String after = manager(100).primaryPosition(io.tessera.proto.tabletmanagerdata.PrimaryPositionRequest
                .getDefaultInstance()).getPosition();

        // GetSchema and ReloadSchema are served by the tablet's schema engine.
        manager(101).reloadSchema(io.tessera.proto.tabletmanagerdata.ReloadSchemaRequest.newBuilder()
                .setWaitPosition(after).build());
        var schema = manager(101).getSchema(io.tessera.proto.tabletmanagerdata.GetSchemaRequest.getDefaultInstance())
                .getSchemaDefinition();
        assertThat(schema.getTableDefinitionsList()).anySatisfy(t -> {
            assertThat(t.getName()).isEqualTo("product");
            assertThat(t.getPrimaryKeyColumnsList()).containsExactly("sku");
        });
        for (int uid : new int[] {101, 102}) {
            manager(uid).waitForPosition(WaitForPositionRequest.newBuilder().setPosition(after).build());
            TabletType type = uid == 101 ? TabletType.REPLICA : TabletType.RDONLY;
            QueryResult r = execute(queries(uid), type, "SELECT sku, price FROM product ORDER BY sku");
            assertThat(r.getRowsList()).extracting(row -> CompactRows.strings(row).get(0))
                    .containsExactly("apple", "pear");
            assertThatThrownBy(() -> execute(queries(uid), type, "INSERT INTO product VALUES ('plum', 1)"))
                    .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.mysqlErrno()).isEqualTo(1290));
            // The target is checked: a replica is not a primary.
            assertThatThrownBy(() -> execute(queries(uid), TabletType.PRIMARY, "SELECT 1"))
                    .isInstanceOf(TesseraException.class);
        }
        HttpResponse<String> primaryMetrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + tablets.get(100).httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(primaryMetrics.body()).contains("tessera_tablet_queries_total{kind=\"write\",rpc=\"Execute\"}")
                .contains("tessera_tablet_query_seconds");

        // A session's reserved connection lives as long as the tablet serves its type.
        GrpcQueryServiceClient rdonly = queries(102);
        long reserved = rdonly.reserveExecute(ReserveExecuteRequest.newBuilder().setTarget(target(TabletType.RDONLY))
                .addPreQueries("SET @@session.time_zone = '+05:00'")
                .setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build()).getReservedId();
        assertThat(CompactRows.strings(rdonly.execute(ExecuteRequest.newBuilder().setTarget(target(TabletType.RDONLY))
                .setReservedId(reserved).setQuery(BoundQuery.newBuilder().setSql("SELECT @@session.time_zone"))
                .build()).getResult().getRows(0))).containsExactly("+05:00");

        // A tablet control that disables the query service for rdonly tablets refuses with its own error.
        topo.updateShardFields(KS, "0", sh -> sh.toBuilder().addTabletControls(
                io.tessera.proto.topodata.Shard.TabletControl.newBuilder().setTabletType(TabletType.RDONLY)
                        .setDisableQueryService(true)).build());
        manager(102).refreshState(io.tessera.proto.tabletmanagerdata.RefreshStateRequest.getDefaultInstance());
        assertThatThrownBy(() -> execute(queries(102), TabletType.RDONLY, "SELECT 1"))
                .isInstanceOfSatisfying(TesseraException.class,
                        e -> assertThat(e.kind()).isEqualTo(io.tessera.common.errors.ErrorKind.QUERY_SERVICE_DISABLED));
        topo.updateShardFields(KS, "0", sh -> sh.toBuilder().clearTabletControls().build());
        manager(102).refreshState(io.tessera.proto.tabletmanagerdata.RefreshStateRequest.getDefaultInstance());
        assertThat(execute(queries(102), TabletType.RDONLY, "SELECT 1").getRowsCount()).isOne();
        // Stopping serving closed the reserved connection; the gate has to reserve a new one.
        assertThatThrownBy(() -> rdonly.execute(ExecuteRequest.newBuilder().setTarget(target(TabletType.RDONLY))
                .setReservedId(reserved).setQuery(BoundQuery.newBuilder().setSql("SELECT 1")).build()))
                .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.kind())
                        .isEqualTo(io.tessera.common.errors.ErrorKind.RESERVED_CONN_NOT_FOUND));

        // The replica's health stream reports it serving, with the lag measured from the primary's heartbeats.
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", tablets.get(101).grpcPort())
                .usePlaintext().build();
        clients.add(channel::shutdownNow);
        Iterator<StreamHealthResponse> stream = QueryGrpc.newBlockingStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS).streamHealth(StreamHealthRequest.getDefaultInstance());
        StreamHealthResponse last = null;
        for (int i = 0; i < 100 && stream.hasNext(); i++) {
            last = stream.next();
            if (last.getServing() && last.getTarget().getTabletType() == TabletType.REPLICA) {
                break;
            }
        }
        assertThat(last).isNotNull();
        assertThat(last.getServing()).as("last health message: %s", last).isTrue();
    }

    @Test
    void healthStreamAndStatusPages() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", tablets.get(101).grpcPort())
                .usePlaintext().build();
        clients.add(channel::shutdownNow);
        Iterator<StreamHealthResponse> stream = QueryGrpc.newBlockingStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS).streamHealth(StreamHealthRequest.getDefaultInstance());
        StreamHealthResponse first = stream.next();
        assertThat(first.getTabletAlias()).isEqualTo(TabletAliases.parse("zone1-101"));
        assertThat(first.getTarget().getKeyspace()).isEqualTo(KS);

        HttpClient http = HttpClient.newHttpClient();
        int port = tablets.get(101).httpPort();
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/debug/status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("zone1-0000000101", "commerce/0", "managed", "Recent errors",
                "Connection pools", "<td>transaction</td>", "reserved connections");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("tessera_tablet_open_transactions",
                "tessera_tablet_reserved_connections 0.0", "tessera_tablet_replication_lag_seconds",
                "tessera_tablet_serving", "tessera_tablet_pool_capacity{pool=\"query\"} 16.0",
                "tessera_tablet_pool_connections{pool=\"stream\",state=\"active\"}");
    }
}
