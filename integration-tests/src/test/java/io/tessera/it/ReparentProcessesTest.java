package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletType;
import io.tessera.queryservice.GrpcQueryServiceClient;
import io.tessera.testing.FreePorts;
import io.tessera.testing.ManagedProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
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
 * Cluster management as an operator does it: a {@code bin/tessera-topo}, a {@code bin/tessera-ctld} and three
 * {@code bin/tessera-tablet} processes (100 and 101 REPLICA-typed, 102 RDONLY) over their own MariaDB servers in
 * commerce/0, a keyspace with the {@code semi_sync} durability policy. Everything is driven through
 * {@code bin/tessera-ctl}: InitShardMaster, ApplySchema, ExecuteFetchAsDba, PlannedReparentShard there and back,
 * an EmergencyReparentShard after {@code kill -9} of the primary's mysqld under a writer that counts acknowledged
 * inserts, the old primary's return, and TabletExternallyReparented after a promotion done by hand.
 * ListAllTablets is checked at every step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReparentProcessesTest {
    private static final String KS = "commerce";
    private static final String PASSWORD = "pw";

    private Path tmp;
    private String topoAddress;
    private ManagedProcess topoProcess;
    private ManagedProcess ctldProcess;
    private final Map<Integer, ManagedProcess> tablets = new LinkedHashMap<>();
    private final Map<Integer, List<String>> tabletArgs = new LinkedHashMap<>();
    private final Map<Integer, Integer> grpcPorts = new LinkedHashMap<>();
    private final Map<Integer, Integer> mysqlPorts = new LinkedHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private CtlRunner ctl;
    private int ctldHttp;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        tmp = dir;
        int topoPort = FreePorts.next();
        topoProcess = Launchers.start("tessera-topo", tmp, "topo.log", "--data-dir", tmp.resolve("topo").toString(),
                "--port", Integer.toString(topoPort), "--bind-address", "127.0.0.1");
        topoProcess.awaitReady(() -> FreePorts.isListening(topoPort), Duration.ofSeconds(60));
        topoAddress = "grpc://127.0.0.1:" + topoPort;

        int ctldGrpc = FreePorts.next();
        ctldHttp = FreePorts.next();
        ctldProcess = Launchers.start("tessera-ctld", tmp, "ctld.log", "--topo-address", topoAddress,
                "--grpc_port", Integer.toString(ctldGrpc), "--port", Integer.toString(ctldHttp),
                "--bind-address", "127.0.0.1");
        ctldProcess.awaitReady(() -> FreePorts.isListening(ctldGrpc), Duration.ofSeconds(60));
        ctl = new CtlRunner("127.0.0.1:" + ctldGrpc, tmp);

        // The keyspace exists before the tablets, so they start with its durability policy.
        ctl.ok("CreateKeyspace", "--durability-policy", "semi_sync", KS);
        for (int uid : new int[] {100, 101, 102}) {
            startTablet(uid, uid == 102 ? "rdonly" : "replica");
        }
        for (int uid : tablets.keySet()) {
            int port = grpcPorts.get(uid);
            tablets.get(uid).awaitReady(() -> FreePorts.isListening(port), Duration.ofSeconds(120));
        }
    }

    private void startTablet(int uid, String type) {
        List<String> args = tabletArgs.computeIfAbsent(uid, u -> {
            int grpc = FreePorts.next();
            int mysql = FreePorts.next();
            grpcPorts.put(u, grpc);
            mysqlPorts.put(u, mysql);
            return List.of("--topo-address", topoAddress, "--tablet-path", "zone1-" + u, "--init-keyspace", KS,
                    "--init-shard", "0", "--init-tablet-type", type, "--tablet-hostname", "127.0.0.1",
                    "--bind-address", "127.0.0.1", "--port", Integer.toString(FreePorts.next()),
                    "--grpc-port", Integer.toString(grpc), "--mysql-port", Integer.toString(mysql),
                    "--data-root", tmp.resolve("data").toString(), "--db-dba-password", PASSWORD,
                    "--db-app-password", PASSWORD, "--db-repl-password", PASSWORD,
                    "-health_check_interval", "500ms");
        });
        tablets.put(uid, Launchers.startWithJavaOpts("-Xmx96m", "tessera-tablet", tmp,
                "tablet-" + uid + "-" + System.nanoTime() + ".log", args.toArray(String[]::new)));
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        tablets.values().forEach(p -> p.stop(Duration.ofSeconds(60)));
        if (ctldProcess != null) {
            ctldProcess.stop(Duration.ofSeconds(30));
        }
        if (topoProcess != null) {
            topoProcess.stop(Duration.ofSeconds(30));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** Tablet types by uid, as {@code ListAllTablets zone1} prints them. */
    private Map<Integer, String> listAllTablets() {
        CtlRunner.Result r = ctl.ok("ListAllTablets", "zone1");
        Map<Integer, String> types = new LinkedHashMap<>();
        for (String line : r.lines()) {
            String[] f = line.trim().split("\\s+");
            assertThat(f.length).as("ListAllTablets line: %s", line).isGreaterThanOrEqualTo(6);
            assertThat(f[0]).matches("zone1-\\d{10}");
            assertThat(f[1]).isEqualTo(KS);
            assertThat(f[2]).isEqualTo("0");
            assertThat(f[5]).isEqualTo("127.0.0.1:" + mysqlPorts.get(Integer.parseInt(f[0].substring(6)))); 
            types.put(Integer.parseInt(f[0].substring(6)), f[3]);
        }
        return types;
    }

    private void assertTypes(String primary, String replica, String rdonly, String step) {
        Map<Integer, String> expected = new LinkedHashMap<>();
        expected.put(100, "100".equals(primary) ? "primary" : "replica");
        expected.put(101, "101".equals(primary) ? "primary" : "replica");
        expected.put(102, "rdonly");
        assertThat(listAllTablets()).as("ListAllTablets after %s", step).containsExactlyInAnyOrderEntriesOf(expected);
    }

    /** Rows of a bordered table printed by {@code ExecuteFetchAsDba}, header excluded. */
    private static List<List<String>> tableRows(CtlRunner.Result r) {
        List<List<String>> rows = new ArrayList<>();
        boolean header = true;
        for (String line : r.lines()) {
            if (!line.startsWith("|")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            rows.add(Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList());
        }
        return rows;
    }

    private List<List<String>> dba(int uid, String sql) {
        return tableRows(ctl.ok("ExecuteFetchAsDba", "--max_rows", "1000000", "zone1-" + uid, sql));
    }

    private long count(int uid) {
        return Long.parseLong(dba(uid, "SELECT COUNT(*) FROM t").get(0).get(0));
    }

    private Set<Long> ids(int uid) {
        return dba(uid, "SELECT id FROM t").stream().map(r -> Long.parseLong(r.get(0))).collect(Collectors.toSet());
    }

    private void awaitSameRows(int... uids) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Set<Long> first = ids(uids[0]);
            for (int i = 1; i < uids.length; i++) {
                assertThat(ids(uids[i])).as("rows of tablet %d against %d", uids[i], uids[0]).isEqualTo(first);
            }
        });
    }

    private GrpcQueryServiceClient queries(int uid) {
        GrpcQueryServiceClient c = GrpcQueryServiceClient.connect("127.0.0.1", grpcPorts.get(uid));
        closeables.add(c);
        return c;
    }

    private static void insert(GrpcQueryServiceClient c, long id) {
        c.execute(ExecuteRequest.newBuilder()
                .setTarget(Target.newBuilder().setKeyspace(KS).setShard("0").setTabletType(TabletType.PRIMARY))
                .setQuery(BoundQuery.newBuilder().setSql("INSERT INTO t (id, v) VALUES (" + id + ", 'w" + id + "')"))
                .build());
    }

    // ---- scenario -------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void badInputGivesOneLineAndExitOne() {
        for (String[] args : new String[][] {
                {"NoSuchCommand"},
                {"GetTablet", "zone1-notanumber"},
                {"GetKeyspace", "nosuchkeyspace"},
                {"InitShardMaster", "-force", "nosuchkeyspace/0", "zone1-100"}}) {
            CtlRunner.Result r = ctl.run(args);
            assertThat(r.exitCode()).as("tessera-ctl %s", String.join(" ", args)).isEqualTo(1);
            assertThat(r.stderr().strip()).as("stderr of %s", String.join(" ", args)).isNotEmpty()
                    .doesNotContain("\n").doesNotContain("Exception");
        }
    }

    @Test
    @Order(2)
    void initShardMasterMakes100PrimaryAndRowsReachBothReplicas() {
        ctl.ok("InitShardMaster", "-force", KS + "/0", "zone1-100");
        assertTypes("100", "101", "102", "InitShardMaster");

        ctl.ok("ApplySchema", "-sql", "CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(64))", KS);
        for (int i = 1; i <= 5; i++) {
            ctl.ok("ExecuteFetchAsDba", "zone1-100", "INSERT INTO t (id, v) VALUES (" + i + ", 'initial')");
        }
        assertThat(count(100)).isEqualTo(5);
        awaitSameRows(100, 101, 102);
    }

    @Test
    @Order(3)
    void plannedReparentTo101AndBackLosesNoRow() {
        ctl.ok("PlannedReparentShard", "-keyspace_shard=" + KS + "/0", "-new_master=zone1-101");
        assertTypes("101", "100", "102", "PlannedReparentShard to 101");
        ctl.ok("ExecuteFetchAsDba", "zone1-101", "INSERT INTO t (id, v) VALUES (6, 'on 101')");
        awaitSameRows(101, 100, 102);

        ctl.ok("PlannedReparentShard", KS + "/0", "--new-primary", "zone1-100");
        assertTypes("100", "101", "102", "PlannedReparentShard back to 100");
        ctl.ok("ExecuteFetchAsDba", "zone1-100", "INSERT INTO t (id, v) VALUES (7, 'on 100 again')");
        awaitSameRows(100, 101, 102);
        assertThat(count(100)).isEqualTo(7);
    }

    @Test
    @Order(4)
    void emergencyReparentAfterKillingThePrimaryKeepsEveryAcknowledgedRow() throws Exception {
        GrpcQueryServiceClient primary = queries(100);
        Set<Long> acknowledged = new ConcurrentSkipListSet<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong failures = new AtomicLong();
        // What each failed insert met and when (ms since the writer started), for the failure message.
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        Thread writer = Thread.ofPlatform().name("writer").start(() -> {
            long id = 1000;
            while (!stop.get()) {
                id++;
                long s = System.nanoTime();
                try {
                    insert(primary, id);
                    acknowledged.add(id);
                } catch (RuntimeException e) {
                    trace.add(((s - t0) / 1_000_000) + "ms+" + ((System.nanoTime() - s) / 1_000_000) + "ms " + e);
                    failures.incrementAndGet();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 200);

        Path pidFile = tmp.resolve("data").resolve("vt_0000000100").resolve("mysqld.pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle mysqld = ProcessHandle.of(pid).orElseThrow();
        mysqld.destroyForcibly();
        mysqld.onExit().get(30, TimeUnit.SECONDS);
        trace.add("killed at " + ((System.nanoTime() - t0) / 1_000_000) + "ms");
        // The writer keeps trying against the dead primary for a moment, so in-flight inserts fail, not succeed.
        // One of them may wait out the query pool's timeout (30 s) while the pool tries to reconnect, before the
        // health check marks the tablet down and the rest fail at once.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(failures.get())
                .as(() -> "failed inserts (at ms+took ms) " + trace).isGreaterThanOrEqualTo(3));
        stop.set(true);
        writer.join(30_000);
        Set<Long> acked = new HashSet<>(acknowledged);

        CtlRunner.Result ers = ctl.ok("EmergencyReparentShard", "-keyspace_shard=" + KS + "/0");
        assertThat(ers.stdout() + ers.stderr()).contains("zone1-0000000101");
        Map<Integer, String> types = listAllTablets();
        assertThat(types.get(101)).as("ListAllTablets after EmergencyReparentShard").isEqualTo("primary");
        assertThat(types.get(102)).isEqualTo("rdonly");

        Set<Long> onNewPrimary = ids(101);
        assertThat(onNewPrimary).as("acknowledged inserts (%d) on the new primary", acked.size())
                .containsAll(acked);
        // The rdonly tablet follows the new primary. New commits on 101 wait for a semi-sync acknowledgement
        // until a REPLICA-typed tablet replicates from it again (the rdonly never acknowledges): that is the old
        // primary's return, below.
        awaitSameRows(101, 102);
    }

    @Test
    @Order(5)
    void theRestartedOldPrimaryRejoinsAsAReplicaWithEveryRow() {
        // The tablet process saw the new primary's term in the shard record and stepped down already.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(listAllTablets().get(100)).isEqualTo("replica"));
        tablets.get(100).stop(Duration.ofSeconds(60));
        startTablet(100, "replica");
        int port = grpcPorts.get(100);
        tablets.get(100).awaitReady(() -> FreePorts.isListening(port), Duration.ofSeconds(120));

        assertTypes("101", "100", "102", "restart of the old primary");
        awaitSameRows(101, 100, 102);
        ctl.ok("ExecuteFetchAsDba", "zone1-101", "INSERT INTO t (id, v) VALUES (8, 'after failover')");
        ctl.ok("ExecuteFetchAsDba", "zone1-101", "INSERT INTO t (id, v) VALUES (9, 'old primary follows')");
        awaitSameRows(101, 100, 102);
        // The old primary takes no writes: MySQL is read-only and its query service refuses the primary target.
        assertThat(dba(100, "SELECT @@read_only").get(0).get(0)).isEqualTo("1");
        GrpcQueryServiceClient old = queries(100);
        assertThatThrownBy(() -> insert(old, 10)).isInstanceOf(RuntimeException.class);
        assertThat(ids(101)).doesNotContain(10L);
    }

    @Test
    @Order(6)
    void tabletExternallyReparentedRecordsAPromotionDoneByHand() {
        // Promote 100 outside Tessera, the way a DBA or an external failover tool would.
        ctl.ok("ExecuteFetchAsDba", "zone1-101", "SET GLOBAL read_only = ON");
        String finalPosition = dba(101, "SELECT @@gtid_binlog_pos").get(0).get(0);
        assertThat(dba(100, "SELECT MASTER_GTID_WAIT('" + finalPosition + "', 30)").get(0).get(0)).isEqualTo("0");
        ctl.ok("ExecuteFetchAsDba", "zone1-100", "STOP SLAVE");
        ctl.ok("ExecuteFetchAsDba", "zone1-100", "RESET SLAVE ALL");
        ctl.ok("ExecuteFetchAsDba", "zone1-100", "SET GLOBAL read_only = OFF");
        ctl.ok("ExecuteFetchAsDba", "zone1-101", "STOP SLAVE");
        ctl.ok("ExecuteFetchAsDba", "zone1-101", "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT="
                + mysqlPorts.get(100) + ", MASTER_USER='vt_repl', MASTER_PASSWORD='" + PASSWORD
                + "', MASTER_USE_GTID=current_pos");
        ctl.ok("ExecuteFetchAsDba", "zone1-101", "START SLAVE");
        ctl.ok("ExecuteFetchAsDba", "zone1-102", "STOP SLAVE");
        ctl.ok("ExecuteFetchAsDba", "zone1-102", "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT="
                + mysqlPorts.get(100) + ", MASTER_USER='vt_repl', MASTER_PASSWORD='" + PASSWORD
                + "', MASTER_USE_GTID=current_pos");
        ctl.ok("ExecuteFetchAsDba", "zone1-102", "START SLAVE");

        ctl.ok("TabletExternallyReparented", "zone1-100");
        assertTypes("100", "101", "102", "TabletExternallyReparented");
        assertThat(ctl.ok("GetShard", KS + "/0").stdout()).contains("\"uid\": 100");
        ctl.ok("ExecuteFetchAsDba", "zone1-100", "INSERT INTO t (id, v) VALUES (11, 'external primary')");
        awaitSameRows(100, 101, 102);
    }

    @Test
    @Order(8)
    void aLostTopologyIsRebuiltFromItsExportInOneCommand() throws Exception {
        Path export = tmp.resolve("topology.json");
        ctl.ok("ExportTopology", "--output", export.toString());
        String exported = Files.readString(export);
        assertThat(exported).contains("commerce", "semi_sync");

        // A second, empty topology with its own control daemon stands for the one that was lost.
        int topoPort = FreePorts.next();
        ManagedProcess topo2 = Launchers.start("tessera-topo", tmp, "topo2.log", "--data-dir",
                tmp.resolve("topo2").toString(), "--port", Integer.toString(topoPort), "--bind-address", "127.0.0.1");
        closeables.add(() -> topo2.stop(Duration.ofSeconds(30)));
        topo2.awaitReady(() -> FreePorts.isListening(topoPort), Duration.ofSeconds(60));
        int grpc2 = FreePorts.next();
        ManagedProcess ctld2 = Launchers.start("tessera-ctld", tmp, "ctld2.log", "--topo-address",
                "grpc://127.0.0.1:" + topoPort, "--grpc_port", Integer.toString(grpc2), "--port",
                Integer.toString(FreePorts.next()), "--bind-address", "127.0.0.1");
        closeables.add(0, () -> ctld2.stop(Duration.ofSeconds(30)));
        ctld2.awaitReady(() -> FreePorts.isListening(grpc2), Duration.ofSeconds(60));
        CtlRunner ctl2 = new CtlRunner("127.0.0.1:" + grpc2, tmp);

        ctl2.ok("ImportTopology", export.toString());
        assertThat(ctl2.ok("ListAllTablets", "zone1").stdout()).isEqualTo(ctl.ok("ListAllTablets", "zone1").stdout());
        assertThat(ctl2.ok("GetShard", KS + "/0").stdout()).isEqualTo(ctl.ok("GetShard", KS + "/0").stdout());
        assertThat(ctl2.ok("GetKeyspace", KS).stdout()).isEqualTo(ctl.ok("GetKeyspace", KS).stdout());
        // Importing the same document again finds every record identical and changes nothing.
        ctl2.ok("ImportTopology", export.toString());
    }

    @Test
    @Order(7)
    void theWebPageListsKeyspacesShardsAndTabletsWithHealth() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest page = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ctldHttp + "/debug/status")).build();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpResponse<String> r = http.send(page, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            String body = r.body();
            assertThat(body).contains("semi_sync", "zone1-0000000100", "zone1-0000000101", "zone1-0000000102",
                    "commerce/0", "serving", "rdonly");
            // Every tablet reports health: none is left at "no health report yet".
            assertThat(body).doesNotContain("no health report yet");
        });
    }
}
