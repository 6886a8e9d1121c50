package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.proto.query.StreamHealthRequest;
import io.tessera.proto.query.StreamHealthResponse;
import io.tessera.proto.query.Target;
import io.tessera.proto.queryservice.QueryGrpc;
import io.tessera.proto.tabletmanagerdata.InitPrimaryRequest;
import io.tessera.proto.tabletmanagerdata.InitReplicaRequest;
import io.tessera.proto.tabletmanagerdata.PrimaryPositionRequest;
import io.tessera.proto.tabletmanagerdata.StartReplicationRequest;
import io.tessera.proto.tabletmanagerdata.StopReplicationRequest;
import io.tessera.proto.tabletmanagerdata.WaitForPositionRequest;
import io.tessera.proto.topodata.TabletType;
import io.tessera.queryservice.CompactRows;
import io.tessera.queryservice.GrpcQueryServiceClient;
import io.tessera.tablet.mysqlctl.DbCredentials;
import io.tessera.tablet.mysqlctl.ManagedMysqld;
import io.tessera.tablet.mysqlctl.ManagedMysqldConfig;
import io.tessera.tabletmanager.TabletManagerClient;
import io.tessera.tabletmanager.TabletManagerClients;
import io.tessera.testing.FreePorts;
import io.tessera.testing.ManagedProcess;
import io.tessera.topo.TopoServer;
import io.tessera.topo.topoproto.TabletAliases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tablets as an operator runs them: a {@code bin/tessera-topo} process and three {@code bin/tessera-tablet}
 * processes (100, 101 replica; 102 rdonly) in commerce/0, each running its own MariaDB. Replication is set up
 * through TabletManager RPCs and queries go through the Query service, as the control daemon and the gate do.
 * The tablets run with a 96 MB heap, so a streamed result they buffered would kill them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TabletProcessesTest {
    private static final String KS = "commerce";
    private static final String PASSWORD = "pw";

    private Path tmp;
    private String topoAddress;
    private ManagedProcess topoProcess;
    private final Map<Integer, ManagedProcess> tabletProcesses = new LinkedHashMap<>();
    private final Map<Integer, Integer> grpcPorts = new LinkedHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private TopoServer topo;
    private TabletManagerClients dialer;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        tmp = dir;
        int topoPort = FreePorts.next();
        topoProcess = Launchers.start("tessera-topo", tmp, "topo.log", "--data-dir", tmp.resolve("topo").toString(),
                "--port", Integer.toString(topoPort), "--bind-address", "127.0.0.1");
        topoProcess.awaitReady(() -> FreePorts.isListening(topoPort), Duration.ofSeconds(60));
        topoAddress = "grpc://127.0.0.1:" + topoPort;
        topo = TopoServer.open(topoAddress);
        dialer = new TabletManagerClients();
        for (int uid : new int[] {100, 101, 102}) {
            tabletProcesses.put(uid, startTablet(uid, topoAddress, uid == 102 ? "rdonly" : "replica"));
        }
        for (var e : tabletProcesses.entrySet()) {
            int port = grpcPorts.get(e.getKey());
            e.getValue().awaitReady(() -> FreePorts.isListening(port), Duration.ofSeconds(120));
        }
    }

    private ManagedProcess startTablet(int uid, String topoAddress, String type) {
        int grpcPort = FreePorts.next();
        grpcPorts.put(uid, grpcPort);
        return Launchers.startWithJavaOpts("-Xmx96m", "tessera-tablet", tmp, "tablet-" + uid + ".log",
                "--topo-address", topoAddress, "--tablet-path", "zone1-" + uid, "--init-keyspace", KS,
                "--init-shard", "0", "--init-tablet-type", type, "--tablet-hostname", "127.0.0.1",
                "--bind-address", "127.0.0.1", "--port", Integer.toString(FreePorts.next()),
                "--grpc-port", Integer.toString(grpcPort), "--mysql-port", Integer.toString(FreePorts.next()),
                "--data-root", tmp.resolve("data").toString(), "--db-dba-password", PASSWORD,
                "--db-app-password", PASSWORD, "--db-repl-password", PASSWORD,
                "-health_check_interval", "500ms", "-queryserver-config-transaction-timeout", "2s");
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (dialer != null) {
            dialer.close();
        }
        if (topo != null) {
            topo.close();
        }
        // SIGTERM: each tablet stops its mysqld cleanly before it exits.
        tabletProcesses.values().forEach(p -> p.stop(Duration.ofSeconds(60)));
        if (topoProcess != null) {
            topoProcess.stop(Duration.ofSeconds(30));
        }
    }

    private TabletManagerClient manager(int uid) throws Exception {
        return dialer.dial(topo.getTablet(TabletAliases.parse("zone1-" + uid)).value());
    }

    private GrpcQueryServiceClient queries(int uid) {
        GrpcQueryServiceClient c = GrpcQueryServiceClient.connect("127.0.0.1", grpcPorts.get(uid));
        closeables.add(c);
        return c;
    }

    private static Target target(TabletType type) {
        return Target.newBuilder().setKeyspace(KS).setShard("0").setTabletType(type).build();
    }

    private static QueryResult execute(GrpcQueryServiceClient c, TabletType type, String sql) {
        return c.execute(ExecuteRequest.newBuilder().setTarget(target(type))
                .setQuery(BoundQuery.newBuilder().setSql(sql)).build()).getResult();
    }

    /** Reads tablet {@code uid}'s health stream until a message satisfies {@code condition}. */
    private StreamHealthResponse awaitHealth(int uid, Predicate<StreamHealthResponse> condition, String what) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPorts.get(uid)).usePlaintext().build();
        StreamHealthResponse last = null;
        try {
            Iterator<StreamHealthResponse> stream = QueryGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(90, TimeUnit.SECONDS).streamHealth(StreamHealthRequest.getDefaultInstance());
            while (stream.hasNext()) {
                last = stream.next();
                if (condition.test(last)) {
                    return last;
                }
            }
            throw new AssertionError("health stream of " + uid + " ended before " + what + "; last: " + last);
        } catch (io.grpc.StatusRuntimeException e) {
            throw new AssertionError("no health message of " + uid + " showed " + what + " (" + e.getStatus()
                    + "); last: " + last, e);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    @Order(1)
    void replicationThroughTheRpcsAndEachTabletServesItsRole() throws Exception {
        String position = manager(100).initPrimary(InitPrimaryRequest.newBuilder().setSemiSync(false).build())
                .getPosition();
        for (int uid : new int[] {101, 102}) {
            manager(uid).initReplica(InitReplicaRequest.newBuilder().setParent(TabletAliases.parse("zone1-100"))
                    .setReplicationPosition(position).setSemiSync(false).build());
        }
        GrpcQueryServiceClient primary = queries(100);
        execute(primary, TabletType.PRIMARY, "CREATE TABLE product (sku VARCHAR(32) PRIMARY KEY, price INT)");
        execute(primary, TabletType.PRIMARY, "INSERT INTO product VALUES ('apple', 3), ('pear', 5)");
        String after = manager(100).primaryPosition(PrimaryPositionRequest.getDefaultInstance()).getPosition();
        for (int uid : new int[] {101, 102}) {
            manager(uid).waitForPosition(WaitForPositionRequest.newBuilder().setPosition(after).build());
            TabletType type = uid == 101 ? TabletType.REPLICA : TabletType.RDONLY;
            QueryResult r = execute(queries(uid), type, "SELECT sku FROM product ORDER BY sku");
            assertThat(r.getRowsList()).extracting(row -> CompactRows.strings(row).get(0))
                    .containsExactly("apple", "pear");
            assertThatThrownBy(() -> execute(queries(uid), type, "INSERT INTO product VALUES ('plum', 1)"))
                    .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.mysqlErrno()).isEqualTo(1290));
        }
        awaitHealth(101, h -> h.getServing() && h.getTarget().getTabletType() == TabletType.REPLICA,
                "a serving replica");
    }

    @Test
    @Order(2)
    void lagRisesWhileReplicationIsStoppedAndRecovers() throws Exception {
        manager(101).stopReplication(StopReplicationRequest.getDefaultInstance());
        // The primary writes a heartbeat every second; the stopped replica's copy stops changing.
        awaitHealth(101, h -> h.getRealtimeStats().getReplicationLagSeconds() >= 3, "lag of 3 s or more");
        manager(101).startReplication(StartReplicationRequest.newBuilder().setSemiSync(false).build());
        awaitHealth(101, h -> h.getServing() && h.getRealtimeStats().getReplicationLagSeconds() < 3,
                "lag back under 3 s");
    }

    @Test
    @Order(3)
    void anAbandonedTransactionIsRolledBackAtItsTimeout() throws Exception {
        GrpcQueryServiceClient primary = queries(100);
        long tx = primary.begin(BeginRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).build())
                .getTransactionId();
        primary.execute(ExecuteRequest.newBuilder().setTarget(target(TabletType.PRIMARY)).setTransactionId(tx)
                .setQuery(BoundQuery.newBuilder().setSql("INSERT INTO product VALUES ('abandoned', 1)")).build());
        // The tablet runs with --queryserver-config-transaction-timeout 2s.
        Thread.sleep(4000);
        assertThatThrownBy(() -> primary.commit(CommitRequest.newBuilder().setTarget(target(TabletType.PRIMARY))
                .setTransactionId(tx).build()))
                .isInstanceOfSatisfying(TesseraException.class, e -> assertThat(e.kind())
                        .isIn(ErrorKind.TX_EXPIRED, ErrorKind.TX_NOT_FOUND));
        assertThat(execute(primary, TabletType.PRIMARY, "SELECT sku FROM product WHERE sku = 'abandoned'")
                .getRowsCount()).isZero();
    }

    @Test
    @Order(4)
    void aMillionRowStreamPassesThroughASmallHeap() {
        AtomicLong rows = new AtomicLong();
        AtomicLong sum = new AtomicLong();
        CRC32 crc = new CRC32();
        queries(101).streamExecute(StreamExecuteRequest.newBuilder().setTarget(target(TabletType.REPLICA))
                .setQuery(BoundQuery.newBuilder().setSql("SELECT seq, REPEAT('x', 200) FROM seq_1_to_1000000"))
                .build(), chunk -> {
                    for (var row : chunk.getRowsList()) {
                        List<String> values = CompactRows.strings(row);
                        rows.incrementAndGet();
                        sum.addAndGet(Long.parseLong(values.get(0)));
                        crc.update(values.get(1).getBytes());
                    }
                });
        assertThat(rows.get()).isEqualTo(1_000_000L);
        assertThat(sum.get()).isEqualTo(1_000_000L * 1_000_001L / 2);
        assertThat(tabletProcesses.get(101).isAlive()).isTrue();
    }

    @Test
    @Order(5)
    void aKilledMysqldMakesTheTabletNotServingUntilItIsBack() throws Exception {
        Path tabletDir = tmp.resolve("data").resolve("vt_0000000102");
        long pid = Long.parseLong(Files.readString(tabletDir.resolve("mysqld.pid")).strip());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        StreamHealthResponse down = awaitHealth(102, h -> !h.getServing()
                && !h.getRealtimeStats().getHealthError().isEmpty(), "not serving with a health error");
        assertThat(down.getRealtimeStats().getHealthError()).isNotBlank();
        // Queries are refused at once with their own code while mysqld is down.
        assertThatThrownBy(() -> execute(queries(102), TabletType.RDONLY, "SELECT 1"))
                .isInstanceOfSatisfying(TesseraException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.MYSQLD_DOWN));

        // Bring mysqld back the way an operator would, with the tablet's own my.cnf.
        String mariadbd = Files.exists(Path.of("/usr/sbin/mariadbd")) ? "/usr/sbin/mariadbd" : "mariadbd";
        ManagedProcess restarted = ManagedProcess.start("mysqld-102", List.of(mariadbd,
                "--defaults-file=" + tabletDir.resolve("my.cnf")), Map.of(), tmp, tmp.resolve("mysqld-102.log"));
        closeables.add(restarted);
        // Replication is restarted once mysqld answers again (a restarted mysqld does not start it by itself).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            manager(102).startReplication(StartReplicationRequest.newBuilder().setSemiSync(false).build());
            return true;
        });
        awaitHealth(102, h -> h.getServing() && h.getRealtimeStats().getHealthError().isEmpty(), "serving again");
        assertThat(execute(queries(102), TabletType.RDONLY, "SELECT COUNT(*) FROM product").getRowsCount()).isOne();
    }

    @Test
    @Order(6)
    void anExternalModeTabletServesAServerItDoesNotRun() throws Exception {
        ManagedMysqld external = ManagedMysqld.startNew(ManagedMysqldConfig.builder(200, tmp.resolve("external"))
                .port(FreePorts.next()).keyspace("legacy").credentials(DbCredentials.withPassword(PASSWORD)).build());
        closeables.add(external);
        Path socket = tmp.resolve("external").resolve("vt_0000000200").resolve("mysql.sock");
        int grpcPort = FreePorts.next();
        grpcPorts.put(200, grpcPort);
        ManagedProcess tablet = Launchers.startWithJavaOpts("-Xmx96m", "tessera-tablet", tmp, "tablet-200.log",
                "--topo-address", topoAddress,
                "--tablet-path", "zone1-200", "--init-keyspace", "legacy", "--init-shard", "0",
                "--tablet-hostname", "127.0.0.1", "--bind-address", "127.0.0.1",
                "--port", Integer.toString(FreePorts.next()), "--grpc-port", Integer.toString(grpcPort),
                "--db-socket", socket.toString(), "--db-dba-password", PASSWORD, "--db-app-password", PASSWORD,
                "--db-repl-password", PASSWORD, "-health_check_interval", "500ms");
        tabletProcesses.put(200, tablet);
        tablet.awaitReady(() -> FreePorts.isListening(grpcPort), Duration.ofSeconds(90));
        assertThat(tablet.logText()).contains("external");

        manager(200).initPrimary(InitPrimaryRequest.newBuilder().setSemiSync(false).build());
        GrpcQueryServiceClient q = queries(200);
        Target primary = Target.newBuilder().setKeyspace("legacy").setShard("0").setTabletType(TabletType.PRIMARY).build();
        q.execute(ExecuteRequest.newBuilder().setTarget(primary)
                .setQuery(BoundQuery.newBuilder().setSql("CREATE TABLE t (id INT PRIMARY KEY)")).build());
        q.execute(ExecuteRequest.newBuilder().setTarget(primary)
                .setQuery(BoundQuery.newBuilder().setSql("INSERT INTO t VALUES (1), (2)")).build());
        QueryResult r = q.execute(ExecuteRequest.newBuilder().setTarget(primary)
                .setQuery(BoundQuery.newBuilder().setSql("SELECT COUNT(*) FROM t")).build()).getResult();
        assertThat(CompactRows.strings(r.getRows(0)).get(0)).isEqualTo("2");

        // Stopping the tablet leaves the server it does not own running.
        tablet.stop(Duration.ofSeconds(60));
        assertThat(external.isRunning()).isTrue();
    }
}
