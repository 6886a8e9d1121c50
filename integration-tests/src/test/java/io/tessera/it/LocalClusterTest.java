package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.testing.FreePorts;
import io.tessera.testing.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * The newcomer's path: {@code ./deploy/local/up.sh} brings up the whole local cluster (embedded topology, ctld,
 * commerce with tablets 100/101/102, customer -80 with 300/301 and 80- with 400/401, a gate with no passwords) under
 * a temporary data root with every port moved to free ones; the {@code mariadb} command line works through the gate
 * (a table created, filled and read back at {@code commerce@replica}; {@code USE customer:-80} and
 * {@code USE customer:80-} land on each shard's primary); {@code tessera-ctl ListAllTablets zone1} lists the seven
 * tablets; a second {@code up.sh} changes nothing; {@code down.sh --purge} leaves no process and no data root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LocalClusterTest {
    private static final List<String> PROCESSES = List.of("topo", "ctld", "tablet-100", "tablet-101", "tablet-102",
            "tablet-300", "tablet-301", "tablet-400", "tablet-401", "gate");

    private Path tmp;
    private Path dataRoot;
    private LocalPorts ports;
    private CtlRunner ctl;
    private Run firstUp;
    /** Every pid the cluster ran, collected as soon as it is up: the final check and the safety net use them. */
    private final Map<String, Long> pids = new LinkedHashMap<>();

    private record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    @BeforeAll
    void up(@TempDir Path dir) throws Exception {
        tmp = dir;
        dataRoot = tmp.resolve("root");
        ports = LocalPorts.free();
        ctl = new CtlRunner("localhost:" + ports.ctldGrpc(), tmp);
        firstUp = script("up.sh", "--data-root", dataRoot.toString(), "--port-offset",
                Integer.toString(ports.offset()));
        pids.putAll(clusterPids());
        assertThat(firstUp.exitCode()).as("up.sh: %s", firstUp).isZero();
    }

    @AfterAll
    void down() throws Exception {
        keepLogs();
        // Whatever happened above, nothing may outlive the test: down.sh first, then any pid it missed.
        if (Files.exists(dataRoot)) {
            script("down.sh", "--data-root", dataRoot.toString(), "--purge");
        }
        List<String> leftovers = new ArrayList<>();
        for (var e : pids.entrySet()) {
            if (runs(e.getValue())) {
                leftovers.add(e.getKey() + " (pid " + e.getValue() + ")");
                ProcessHandle.of(e.getValue()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        TempDirs.deleteRecursively(dataRoot);
        assertThat(leftovers).as("processes still running after down.sh --purge").isEmpty();
    }

    // ---- the scenario -------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void upStartsEveryProcessAndSaysHowToConnect() {
        assertThat(pids.keySet()).as("processes with a live pid after up.sh")
                .containsAll(PROCESSES).contains("mysqld-100", "mysqld-401");
        assertThat(firstUp.stdout())
                .contains("mysql -h 127.0.0.1 -P " + ports.gateMysql() + " -u user")
                .contains("http://localhost:" + ports.ctldHttp() + "/")
                .contains("http://localhost:" + ports.gateHttp() + "/debug/status")
                .contains("bin/tessera-ctl --server localhost:" + ports.ctldGrpc() + " ListAllTablets zone1")
                .contains("./deploy/local/down.sh --data-root " + dataRoot);
        for (String name : PROCESSES) {
            assertThat(dataRoot.resolve("logs/" + name + ".log")).as("log of %s", name).isNotEmptyFile();
        }
        assertThat(ports.all()).allSatisfy((what, port) ->
                assertThat(FreePorts.isListening(port)).as("%s listens on %d", what, port).isTrue());
    }

    @Test
    @Order(2)
    void theSchemaIsAppliedOnEveryShard() throws Exception {
        assertThat(mariadb("commerce", "SHOW TABLES").lines()).contains("product");
        for (String shard : List.of("customer:-80", "customer:80-")) {
            assertThat(mariadb(shard, "SHOW TABLES").lines()).as(shard).contains("customer", "corder");
        }
    }

    @Test
    @Order(3)
    void aTableCreatedThroughTheGateIsReadBackAtTheReplica() throws Exception {
        mariadb("commerce", "CREATE TABLE newcomer (id BIGINT PRIMARY KEY, name VARCHAR(32)); "
                + "INSERT INTO newcomer VALUES (1, 'first'), (2, 'second'); "
                + "INSERT INTO product (sku, description, price) VALUES ('SKU-1', 'a book', 10)");
        assertThat(mariadb("commerce", "SELECT id, name FROM newcomer ORDER BY id").lines())
                .containsExactly("1\tfirst", "2\tsecond");
        // Replication is asynchronous to the reader: poll briefly.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .untilAsserted(() -> assertThat(mariadb("commerce@replica", "SELECT id, name FROM newcomer ORDER BY id")
                        .lines()).containsExactly("1\tfirst", "2\tsecond"));
        // The reading came from the replica's own mysqld: its server_id is its tablet uid.
        assertThat(mariadb("commerce@replica", "SELECT @@server_id").strip()).isEqualTo("101");
        assertThat(mariadb("commerce", "SELECT @@server_id").strip()).isEqualTo("100");
        assertThat(mariadb("commerce@replica", "SELECT description FROM product WHERE sku = 'SKU-1'").strip())
                .isEqualTo("a book");
    }

    @Test
    @Order(4)
    void useShardTargetsReachEachShardsPrimary() throws Exception {
        assertThat(mariadb(null, "USE customer:-80; SELECT @@server_id").strip()).isEqualTo("300");
        assertThat(mariadb(null, "USE customer:80-; SELECT @@server_id").strip()).isEqualTo("400");

        mariadb(null, "USE customer:-80; INSERT INTO customer (customer_id, email) VALUES (1, 'low@example.com')");
        mariadb(null, "USE customer:80-; INSERT INTO customer (customer_id, email) VALUES (1, 'high@example.com')");
        // Each row is on its own shard's primary, as the tablets' own mysqlds show.
        assertThat(ctl.ok("ExecuteFetchAsDba", "zone1-300", "SELECT email FROM customer").stdout())
                .contains("low@example.com").doesNotContain("high@example.com");
        assertThat(ctl.ok("ExecuteFetchAsDba", "zone1-400", "SELECT email FROM customer").stdout())
                .contains("high@example.com").doesNotContain("low@example.com");
    }

    @Test
    @Order(5)
    void listAllTabletsShowsTheSevenTablets() {
        List<String> lines = ctl.ok("ListAllTablets", "zone1").lines();
        assertThat(lines).hasSize(7);
        Map<String, String> byAlias = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            byAlias.put(f[0], f[1] + " " + f[2] + " " + f[3] + " " + f[4] + " " + f[5]);
        }
        assertThat(byAlias).containsExactly(
                Map.entry("zone1-0000000100", "commerce 0 primary " + tablet(100)),
                Map.entry("zone1-0000000101", "commerce 0 replica " + tablet(101)),
                Map.entry("zone1-0000000102", "commerce 0 rdonly " + tablet(102)),
                Map.entry("zone1-0000000300", "customer -80 primary " + tablet(300)),
                Map.entry("zone1-0000000301", "customer -80 replica " + tablet(301)),
                Map.entry("zone1-0000000400", "customer 80- primary " + tablet(400)),
                Map.entry("zone1-0000000401", "customer 80- replica " + tablet(401)));
    }

    @Test
    @Order(6)
    void upAgainSaysTheClusterIsUpAndChangesNothing() throws Exception {
        Map<String, Long> starts = startsPerLog();
        Run again = script("up.sh", "--data-root", dataRoot.toString());
        assertThat(again.exitCode()).as("second up.sh: %s", again).isZero();
        assertThat(again.stdout()).contains("already up").contains("nothing changed");
        assertThat(clusterPids()).as("the same processes").isEqualTo(pids);
        assertThat(startsPerLog()).as("starts recorded in each process's log").isEqualTo(starts);

        Run otherOffset = script("up.sh", "--data-root", dataRoot.toString(), "--port-offset",
                Integer.toString(ports.offset() + 1));
        assertThat(otherOffset.exitCode()).as("up.sh with another offset: %s", otherOffset).isOne();
        assertThat(otherOffset.stderr()).contains("--port-offset " + ports.offset());
        assertThat(clusterPids()).isEqualTo(pids);
    }

    @Test
    @Order(7)
    void downPurgeLeavesNoProcessNoPortAndNoDataRoot() throws Exception {
        keepLogs();
        Run down = script("down.sh", "--data-root", dataRoot.toString(), "--purge");
        assertThat(down.exitCode()).as("down.sh: %s", down).isZero();
        assertThat(down.stdout()).contains("Stopped " + PROCESSES.size() + " processes")
                .contains("Removed the data root");
        assertThat(pids).allSatisfy((name, pid) ->
                assertThat(runs(pid)).as("%s (pid %d) runs after down.sh", name, pid).isFalse());
        assertThat(dataRoot).doesNotExist();
        assertThat(ports.all()).allSatisfy((what, port) ->
                assertThat(FreePorts.isListening(port)).as("%s on %d after down.sh", what, port).isFalse());

        Run again = script("down.sh", "--data-root", dataRoot.toString());
        assertThat(again.exitCode()).as("down.sh with nothing up: %s", again).isZero();
        assertThat(again.stdout()).contains("nothing to stop");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private String tablet(int uid) {
        return "127.0.0.1:" + ports.tabletGrpc(uid) + " 127.0.0.1:" + ports.tabletMysql(uid);
    }

    /** Runs {@code deploy/local/<name> args...} and returns what it printed. */
    private Run script(String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Launchers.home().resolve("deploy/local").resolve(name).toString());
        cmd.addAll(List.of(args));
        return run(Duration.ofMinutes(5), cmd);
    }

    /**
     * Runs SQL through the gate with the {@code mariadb} command line (batch mode, no column names), as the user
     * {@code user} with no password; {@code database} may be null. Fails the test unless it exits 0.
     */
    private String mariadb(String database, String sql) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(client(), "-h", "127.0.0.1", "-P",
                Integer.toString(ports.gateMysql()), "-u", "user", "-N", "-e", sql));
        if (database != null) {
            cmd.add(database);
        }
        Run r = run(Duration.ofMinutes(1), cmd);
        if (r.exitCode() != 0) {
            throw new AssertionError("mariadb -e \"" + sql + "\" " + database + " failed: " + r);
        }
        return r.stdout();
    }

    private Run run(Duration timeout, List<String> cmd) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeout);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String client() {
        for (String name : List.of("mariadb", "mysql")) {
            for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        throw new AssertionError("neither mariadb nor mysql is installed; ./deploy/test.sh installs the client");
    }

    /** Live processes of the cluster by name: the daemons from pids/, each tablet's mysqld from its pid file. */
    private Map<String, Long> clusterPids() throws IOException {
        Map<String, Long> found = new LinkedHashMap<>();
        for (String name : PROCESSES) {
            pidIn(dataRoot.resolve("pids/" + name + ".pid")).ifPresent(pid -> found.put(name, pid));
        }
        for (int uid : LocalPorts.TABLET_UIDS) {
            pidIn(dataRoot.resolve("vt_%010d/mysqld.pid".formatted(uid))).ifPresent(pid -> found.put("mysqld-" + uid,
                    pid));
        }
        return found;
    }

    /**
     * True if the process still runs. {@link ProcessHandle#isAlive} also says so of a zombie, which has ended and
     * only waits for its parent (here whoever adopted up.sh's daemons) to collect its exit status; a zombie whose
     * other threads still run (a JVM whose main thread ended first) does run.
     */
    private static boolean runs(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            List<String> lines = Files.readAllLines(status);
            boolean zombie = lines.stream().anyMatch(l -> l.startsWith("State:") && l.contains("Z"));
            boolean moreThreads = lines.stream().anyMatch(l -> l.startsWith("Threads:")
                    && Integer.parseInt(l.substring("Threads:".length()).strip()) > 1);
            return !zombie || moreThreads;
        } catch (IOException e) {
            return false; // no such process
        }
    }

    private static Optional<Long> pidIn(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(file).strip());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    }

    /** How many times up.sh started each process: it writes a "=== ... starting" line into the log each time. */
    private Map<String, Long> startsPerLog() throws IOException {
        Map<String, Long> starts = new LinkedHashMap<>();
        try (Stream<Path> logs = Files.list(dataRoot.resolve("logs"))) {
            for (Path log : logs.sorted().toList()) {
                try (Stream<String> lines = Files.lines(log)) {
                    starts.put(log.getFileName().toString(),
                            lines.filter(l -> l.startsWith("=== ") && l.contains(" starting ")).count());
                }
            }
        }
        return starts;
    }

    /** The processes' logs outlive the data root, under target/, for reading after a failure. */
    private void keepLogs() throws IOException {
        Path logs = dataRoot.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return;
        }
        Path keep = Launchers.home().resolve("integration-tests/target/local-cluster-logs");
        Files.createDirectories(keep);
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.toList()) {
                Files.copy(f, keep.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
