package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.client.GateClient;
import io.tessera.client.GateException;
import io.tessera.client.GateSession;
import io.tessera.examples.guestbook.Guestbook;
import io.tessera.tablet.mysqlctl.UnixSocketFactory;
import io.tessera.testing.FreePorts;
import io.tessera.testing.ManagedProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * Applications through a real {@code bin/tessera-gate}: a {@code tessera-topo}, a {@code tessera-ctld}, three
 * {@code tessera-tablet} processes over their own MariaDB servers in commerce/0 (100 primary, 101 replica, 102 rdonly)
 * and a gate with a static auth file and failover buffering on. Real clients only: the {@code mariadb} command line,
 * MySQL Connector/J (plain and with server-side prepared statements), MariaDB Connector/J, {@code mariadb-dump},
 * sysbench, and raw sockets for garbage. Tablet query counts (each tablet's /metrics) prove where readings went.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GateProcessesTest {
    private static final String KS = "commerce";
    private static final String DB_PASSWORD = "pw";
    private static final String USER = "app";
    private static final String PASSWORD = "s3cret";

    private Path tmp;
    private String topoAddress;
    private ManagedProcess topoProcess;
    private ManagedProcess ctldProcess;
    private ManagedProcess gateProcess;
    private final Map<Integer, ManagedProcess> tablets = new LinkedHashMap<>();
    private final Map<Integer, Integer> tabletHttpPorts = new LinkedHashMap<>();
    private CtlRunner ctl;
    private int gateMysqlPort;
    private int gateHttpPort;
    private int gateGrpcPort;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        tmp = dir;
        int topoPort = FreePorts.next();
        topoProcess = Launchers.start("tessera-topo", tmp, "topo.log", "--data-dir", tmp.resolve("topo").toString(),
                "--port", Integer.toString(topoPort), "--bind-address", "127.0.0.1");
        topoProcess.awaitReady(() -> FreePorts.isListening(topoPort), Duration.ofSeconds(60));
        topoAddress = "grpc://127.0.0.1:" + topoPort;

        int ctldGrpc = FreePorts.next();
        ctldProcess = Launchers.start("tessera-ctld", tmp, "ctld.log", "--topo-address", topoAddress,
                "--grpc_port", Integer.toString(ctldGrpc), "--port", Integer.toString(FreePorts.next()),
                "--bind-address", "127.0.0.1");
        ctldProcess.awaitReady(() -> FreePorts.isListening(ctldGrpc), Duration.ofSeconds(60));
        ctl = new CtlRunner("127.0.0.1:" + ctldGrpc, tmp);
        ctl.ok("CreateKeyspace", "--durability-policy", "none", KS);

        Map<Integer, Integer> grpcPorts = new LinkedHashMap<>();
        for (int uid : new int[] {100, 101, 102}) {
            int grpc = FreePorts.next();
            int httpPort = FreePorts.next();
            grpcPorts.put(uid, grpc);
            tabletHttpPorts.put(uid, httpPort);
            tablets.put(uid, Launchers.startWithJavaOpts("-Xmx96m", "tessera-tablet", tmp, "tablet-" + uid + ".log",
                    "--topo-address", topoAddress, "--tablet-path", "zone1-" + uid, "--init-keyspace", KS,
                    "--init-shard", "0", "--init-tablet-type", uid == 102 ? "rdonly" : "replica",
                    "--tablet-hostname", "127.0.0.1", "--bind-address", "127.0.0.1",
                    "--port", Integer.toString(httpPort), "--grpc-port", Integer.toString(grpc),
                    "--mysql-port", Integer.toString(FreePorts.next()), "--data-root", tmp.resolve("data").toString(),
                    "--db-dba-password", DB_PASSWORD, "--db-app-password", DB_PASSWORD,
                    "--db-repl-password", DB_PASSWORD, "-health_check_interval", "500ms",
                    "--degraded_threshold", "2s", "--unhealthy_threshold", "4s"));
        }
        for (int uid : tablets.keySet()) {
            int port = grpcPorts.get(uid);
            tablets.get(uid).awaitReady(() -> FreePorts.isListening(port), Duration.ofSeconds(120));
        }
        ctl.ok("InitShardPrimary", "--force", KS + "/0", "zone1-100");

        Path auth = tmp.resolve("auth.json");
        Files.writeString(auth, """
                {"%s": [{"Password": "%s", "UserData": "app-user"}],
                 "other": [{"MysqlNativePassword": "*5109F56F7FC304125C7D74ACE2D551189C89F583", "UserData": "o"}]}
                """.formatted(USER, PASSWORD));
        gateMysqlPort = FreePorts.next();
        gateHttpPort = FreePorts.next();
        gateGrpcPort = FreePorts.next();
        gateProcess = Launchers.startWithJavaOpts("-Xmx256m", "tessera-gate", tmp, "gate.log",
                "--topo-address", topoAddress, "--cell", "zone1", "--cells_to_watch", "zone1",
                "--mysql_server_port", Integer.toString(gateMysqlPort), "--mysql_server_bind_address", "127.0.0.1",
                "--port", Integer.toString(gateHttpPort), "--grpc_port", Integer.toString(gateGrpcPort),
                "--bind-address", "127.0.0.1", "--mysql_auth_server_impl", "static",
                "--mysql_auth_server_static_file", auth.toString(), "--tablet_refresh_interval", "1s",
                "--healthcheck_retry_delay", "500ms", "--discovery_low_replication_lag", "2s",
                "--min_number_serving_vttablets", "1", "--enable_buffer", "--buffer_window", "20s",
                "--buffer_min_time_between_failovers", "1s", "--log_queries_to_file",
                tmp.resolve("queries.log").toString());
        gateProcess.awaitReady(() -> FreePorts.isListening(gateMysqlPort), Duration.ofSeconds(60));
        // The gate serves once it has seen the primary: a write goes through.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            try (Connection c = mariadb(KS); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS ping (id INT PRIMARY KEY)");
                return true;
            }
        });
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (gateProcess != null) {
            gateProcess.stop(Duration.ofSeconds(30));
        }
        tablets.values().forEach(p -> p.stop(Duration.ofSeconds(60)));
        if (ctldProcess != null) {
            ctldProcess.stop(Duration.ofSeconds(30));
        }
        if (topoProcess != null) {
            topoProcess.stop(Duration.ofSeconds(30));
        }
        keepLogs();
    }

    /** The processes' logs outlive the temporary directory, under target/, for reading after a failure. */
    private void keepLogs() throws Exception {
        Path keep = Launchers.home().resolve("integration-tests/target/gate-processes-logs");
        Files.createDirectories(keep);
        try (var files = Files.list(tmp)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(f, keep.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    // ---- clients ------------------------------------------------------------------------------------------------

    private Connection mariadb(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + gateMysqlPort + "/" + database + "?user="
                + USER + "&password=" + PASSWORD);
    }

    private Connection mysqlConnector(String database, boolean serverPrepares) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + gateMysqlPort + "/" + database + "?user="
                + USER + "&password=" + PASSWORD + "&sslMode=DISABLED&allowPublicKeyRetrieval=true"
                + "&useServerPrepStmts=" + serverPrepares + "&cachePrepStmts=" + serverPrepares);
    }

    private record Run(int exitCode, String stdout, String stderr) {}

    private Run run(Path stdin, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run mariadbCli(String database, Path stdin, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(client("mariadb", "mysql"), "-h", "127.0.0.1", "-P",
                Integer.toString(gateMysqlPort), "-u", USER, "-p" + PASSWORD));
        cmd.addAll(List.of(extra));
        cmd.add(database);
        return run(stdin, cmd.toArray(String[]::new));
    }

    private static String client(String... names) {
        for (String name : names) {
            for (String dir : new String[] {"/usr/bin", "/usr/local/bin"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        throw new AssertionError("none of " + String.join(", ", names) + " is installed; ./deploy/test.sh installs "
                + "the MariaDB client and sysbench");
    }

    private String get(int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s on port %d", path, port).isEqualTo(200);
        return r.body();
    }

    /** Read statements a tablet's query service has run, from its /metrics. */
    private double tabletReads(int uid) throws Exception {
        double sum = 0;
        for (String line : get(tabletHttpPorts.get(uid), "/metrics").lines().toList()) {
            if (line.startsWith("tessera_tablet_queries_total{") && line.contains("kind=\"read\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    // ---- scenario -----------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void mariadbCommandLineCreatesInsertsAndReads() throws Exception {
        Run r = mariadbCli(KS, null, "-e", "CREATE TABLE cli (id INT PRIMARY KEY, name VARCHAR(32), price "
                + "DECIMAL(10,2), made DATE); INSERT INTO cli VALUES (1, 'one', 1.50, '2026-01-02'), "
                + "(2, NULL, 2.25, NULL); SELECT id, name, price, made FROM cli ORDER BY id; SELECT DATABASE();");
        assertThat(r.exitCode()).as("stderr: %s", r.stderr()).isZero();
        assertThat(r.stdout().lines().toList()).containsExactly(
                "id\tname\tprice\tmade", "1\tone\t1.50\t2026-01-02", "2\tNULL\t2.25\tNULL", "DATABASE()", KS);

        Run bad = mariadbCli(KS, null, "-e", "SELECT * FROM no_such_table");
        assertThat(bad.exitCode()).isOne();
        assertThat(bad.stderr()).contains("1146").contains("no_such_table").doesNotContain("vt_" + KS);

        Run denied = run(null, client("mariadb", "mysql"), "-h", "127.0.0.1", "-P", Integer.toString(gateMysqlPort),
                "-u", USER, "-pwrong", "-e", "SELECT 1");
        assertThat(denied.exitCode()).isOne();
        assertThat(denied.stderr()).contains("1045").contains("Access denied");

        // A user stored only as a mysql_native_password hash, with MySQL Connector/J's default plugin.
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + gateMysqlPort + "/" + KS
                + "?user=other&password=other-pw&sslMode=DISABLED&allowPublicKeyRetrieval=true");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM cli")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }

        Run databases = mariadbCli(KS, null, "-N", "-e", "SHOW DATABASES");
        assertThat(databases.stdout().lines().toList()).contains(KS).noneMatch(l -> l.startsWith("vt_"));

        // The Vitess operator statements, answered by the gate from its health check.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Run tabletList = mariadbCli(KS, null, "-N", "-e", "SHOW VITESS_TABLETS");
            assertThat(tabletList.exitCode()).as("stderr: %s", tabletList.stderr()).isZero();
            List<String> rows = tabletList.stdout().lines().toList();
            assertThat(rows).hasSize(3);
            assertThat(rows.get(0)).matches("zone1\tcommerce\t0\tPRIMARY\tSERVING\tzone1-0000000100\t"
                    + "127\\.0\\.0\\.1\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(rows.subList(1, 3)).containsExactly(
                    "zone1\tcommerce\t0\tREPLICA\tSERVING\tzone1-0000000101\t127.0.0.1\t",
                    "zone1\tcommerce\t0\tRDONLY\tSERVING\tzone1-0000000102\t127.0.0.1\t");
        });
        assertThat(mariadbCli(KS, null, "-N", "-e", "SHOW VITESS_TABLETS LIKE 'localhost'").stdout()).isEmpty();
        Run shards = mariadbCli(KS + "@replica", null, "-N", "-e", "SHOW VITESS_SHARDS; SHOW VITESS_TARGET");
        assertThat(shards.stdout().lines().toList()).containsExactly(KS + "/0", KS + "@replica");
    }

    @Test
    @Order(2)
    void jdbcDriversPlainAndWithServerSidePrepares() throws Exception {
        try (Connection c = mariadb(KS); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE typed (id BIGINT PRIMARY KEY, i INT, u INT UNSIGNED, d DOUBLE, "
                    + "dec1 DECIMAL(12,3), s VARCHAR(64), b VARBINARY(16), dt DATETIME(3), day DATE, t TEXT)");
        }
        int id = 0;
        for (int variant = 0; variant < 3; variant++) {
            try (Connection c = switch (variant) {
                case 0 -> mysqlConnector(KS, false);
                case 1 -> mysqlConnector(KS, true);
                default -> mariadb(KS);
            }) {
                for (int n = 0; n < 3; n++) {
                    id++;
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO typed VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                        ps.setLong(1, id);
                        ps.setInt(2, -id);
                        ps.setLong(3, 4_000_000_000L + id);
                        ps.setDouble(4, id + 0.25);
                        ps.setBigDecimal(5, new BigDecimal("123.456").add(BigDecimal.valueOf(id)));
                        ps.setString(6, "héllo 'quoted' " + id);
                        ps.setBytes(7, new byte[] {0, 1, (byte) 0xff, (byte) id});
                        ps.setObject(8, LocalDateTime.of(2026, 11, 21, 10, 30, 15, 123_000_000));
                        ps.setObject(9, LocalDate.of(2026, 1, id));
                        ps.setNull(10, java.sql.Types.VARCHAR);
                        assertThat(ps.executeUpdate()).isOne();
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT i, u, d, dec1, s, b, dt, day, t "
                            + "FROM typed WHERE id = ?")) {
                        ps.setLong(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                            assertThat(rs.getInt(1)).isEqualTo(-id);
                            assertThat(rs.getLong(2)).isEqualTo(4_000_000_000L + id);
                            assertThat(rs.getDouble(3)).isEqualTo(id + 0.25);
                            assertThat(rs.getBigDecimal(4)).isEqualByComparingTo(
                                    new BigDecimal("123.456").add(BigDecimal.valueOf(id)));
                            assertThat(rs.getString(5)).isEqualTo("héllo 'quoted' " + id);
                            assertThat(rs.getBytes(6)).containsExactly(0, 1, 0xff, id);
                            assertThat(rs.getObject(7, LocalDateTime.class))
                                    .isEqualTo(LocalDateTime.of(2026, 11, 21, 10, 30, 15, 123_000_000));
                            assertThat(rs.getObject(8, LocalDate.class)).isEqualTo(LocalDate.of(2026, 1, id));
                            assertThat(rs.getString(9)).isNull();
                            assertThat(rs.next()).isFalse();
                        }
                    }
                }
                // A transaction: rolled back rows vanish, committed rows stay; LAST_INSERT_ID is the session's.
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO typed (id, s) VALUES (" + (1000 + variant) + ", 'rolled back')");
                    c.rollback();
                    s.executeUpdate("INSERT INTO typed (id, s) VALUES (" + (2000 + variant) + ", 'committed')");
                    c.commit();
                }
                c.setAutoCommit(true);
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM typed WHERE id IN (" + (1000 + variant)
                                + ", " + (2000 + variant) + ")")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("driver variant %d", variant).isOne();
                }
                try (Statement s = c.createStatement()) {
                    assertThatThrownBy(() -> s.executeQuery("SELECT nope FROM typed"))
                            .isInstanceOfSatisfying(SQLException.class, e -> {
                                assertThat(e.getErrorCode()).isEqualTo(1054);
                                assertThat(e.getSQLState()).isEqualTo("42S22");
                            });
                }
            }
        }
    }

    @Test
    @Order(2)
    void killEndsAnotherSessionAndRollsBackItsTransaction() throws Exception {
        try (Connection killer = mariadb(KS); Statement k = killer.createStatement();
                Connection victim = mariadb(KS); Statement v = victim.createStatement()) {
            k.execute("CREATE TABLE killed (id INT PRIMARY KEY, n INT)");
            k.execute("INSERT INTO killed VALUES (1, 0)");
            victim.setAutoCommit(false);
            assertThat(v.executeUpdate("UPDATE killed SET n = 1 WHERE id = 1")).isOne();
            assertThat(v.executeUpdate("INSERT INTO killed VALUES (2, 0)")).isOne();
            long id;
            try (ResultSet rs = v.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                id = rs.getLong(1);
            }

            k.execute("KILL QUERY " + id); // nothing running: the session and its transaction go on
            k.execute("KILL " + id);
            assertThatThrownBy(() -> v.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
            // The victim's transaction was rolled back: its row lock is released (else this update would wait out
            // innodb_lock_wait_timeout and fail) and its insert is gone.
            assertThat(k.executeUpdate("UPDATE killed SET n = 5 WHERE id = 1")).isOne();
            try (ResultSet rs = k.executeQuery("SELECT id, n FROM killed ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isOne();
                assertThat(rs.getInt(2)).isEqualTo(5);
                assertThat(rs.next()).isFalse();
            }
            assertThatThrownBy(() -> k.execute("KILL " + id)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1094));
        }
        // Another user's session is not the app user's to end.
        try (Connection app = mariadb(KS); Statement a = app.createStatement();
                Connection other = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + gateMysqlPort + "/"
                        + KS + "?user=other&password=other-pw");
                Statement o = other.createStatement(); ResultSet rs = o.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            long otherId = rs.getLong(1);
            assertThatThrownBy(() -> a.execute("KILL " + otherId)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1095));
            try (ResultSet still = o.executeQuery("SELECT 1")) {
                assertThat(still.next()).isTrue();
            }
        }
    }

    @Test
    @Order(2)
    void killQueryInterruptsTheStatementOnMysqldAndTheSessionGoesOn() throws Exception {
        try (Connection killer = mariadb(KS); Statement k = killer.createStatement();
                Connection victim = mariadb(KS); Statement v = victim.createStatement();
                Connection mysqld = primaryMysqld(); Statement m = mysqld.createStatement();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            k.execute("CREATE TABLE interrupted (id INT PRIMARY KEY)");
            long id = connectionId(v);

            // Autocommit: the statement goes without blocking, on the event loop's shared stream to the tablet.
            Future<Boolean> sleeping = threads.submit(() -> v.execute("SELECT SLEEP(61)"));
            await().atMost(Duration.ofSeconds(30)).until(() -> running(m, "SLEEP(61)") == 1);
            k.execute("KILL QUERY " + id);
            assertThatThrownBy(() -> sleeping.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1317);
                        assertThat(e.getSQLState()).isEqualTo("70100");
                    });
            await().atMost(Duration.ofSeconds(30)).until(() -> running(m, "SLEEP(61)") == 0);
            try (ResultSet rs = v.executeQuery("SELECT 7")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
            }

            // In a transaction, and under a timeout of its own (so the gate waits for it on the session's thread,
            // over a call of its own to the tablet): the statement ends, the transaction goes on and commits.
            victim.setAutoCommit(false);
            v.executeUpdate("INSERT INTO interrupted VALUES (1)");
            Future<Boolean> inTransaction = threads.submit(() ->
                    v.execute("SELECT /*+ QUERY_TIMEOUT_MS=120000 */ SLEEP(62) FROM interrupted"));
            await().atMost(Duration.ofSeconds(30)).until(() -> running(m, "SLEEP(62)") == 1);
            k.execute("KILL QUERY " + id);
            assertThatThrownBy(() -> inTransaction.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1317));
            v.executeUpdate("INSERT INTO interrupted VALUES (2)");
            victim.commit();
            try (ResultSet rs = k.executeQuery("SELECT COUNT(*) FROM interrupted")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> running(m, "SLEEP(62)") == 0);
        }

        // Ctrl-C in the mariadb client: it sends KILL QUERY on a second connection and reports the interruption.
        try (Connection mysqld = primaryMysqld(); Statement m = mysqld.createStatement()) {
            Path out = Files.createTempFile(tmp, "ctrl-c", ".txt");
            Process cli = new ProcessBuilder(client("mariadb", "mysql"), "-h", "127.0.0.1", "-P",
                    Integer.toString(gateMysqlPort), "-u", USER, "-p" + PASSWORD, "-e", "SELECT SLEEP(64)", KS)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> running(m, "SLEEP(64)") == 1);
                // bash's own kill, so the test needs no procps.
                assertThat(new ProcessBuilder("bash", "-c", "kill -INT " + cli.pid()).start()
                        .waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(cli.waitFor(30, TimeUnit.SECONDS)).as("the client ends once the query is killed").isTrue();
            } finally {
                cli.destroyForcibly().waitFor();
            }
            assertThat(Files.readString(out)).contains("query killed").contains("ERROR 1317");
            // The gate answers 1317 once it has cancelled the call; the tablet's kill on mysqld follows (as MySQL's
            // KILL QUERY returns before the statement has ended).
            await().atMost(Duration.ofSeconds(30)).until(() -> running(m, "SLEEP(64)") == 0);
        }

        // A driver's own query timeout (MySQL Connector/J sends KILL QUERY on a second connection) now stops the
        // statement: the driver reports its timeout and the row is not written.
        try (Connection c = mysqlConnector(KS, false); Statement s = c.createStatement();
                Connection mysqld = primaryMysqld(); Statement m = mysqld.createStatement()) {
            s.setQueryTimeout(1);
            long started = System.nanoTime();
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO interrupted SELECT 3 FROM DUAL WHERE SLEEP(63) = 0"))
                    .isInstanceOf(java.sql.SQLTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> running(m, "SLEEP(63)") == 0);
            s.setQueryTimeout(0);
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM interrupted WHERE id = 3")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    /** The primary tablet's own mysqld, as its DBA user over the unix socket. */
    private Connection primaryMysqld() throws SQLException {
        Path socket = tmp.resolve("data").resolve("vt_0000000100").resolve("mysql.sock");
        return DriverManager.getConnection("jdbc:mariadb://localhost/?socketFactory="
                + UnixSocketFactory.class.getName() + "&" + UnixSocketFactory.SOCKET_PATH_OPTION + "=" + socket
                + "&user=vt_dba&password=" + DB_PASSWORD);
    }

    /** How many statements containing {@code marker} mysqld is running (not counting this query). */
    private static int running(Statement mysqld, String marker) throws SQLException {
        try (ResultSet rs = mysqld.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                + "WHERE ID <> CONNECTION_ID() AND INFO LIKE '%" + marker + "%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long connectionId(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Order(3)
    void replicaReadsReachOnlyTheReplica() throws Exception {
        try (Connection c = mariadb(KS); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE readings (id INT PRIMARY KEY)");
            s.execute("INSERT INTO readings VALUES (1), (2), (3)");
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            try (Connection c = mariadb(KS + "@replica"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM readings")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        });
        double primaryBefore = tabletReads(100);
        double replicaBefore = tabletReads(101);
        double rdonlyBefore = tabletReads(102);
        try (Connection c = mariadb(KS + "@replica"); Statement s = c.createStatement()) {
            for (int i = 0; i < 50; i++) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM readings")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(3);
                }
            }
        }
        assertThat(tabletReads(101) - replicaBefore).isGreaterThanOrEqualTo(50);
        assertThat(tabletReads(100)).as("readings on the primary").isEqualTo(primaryBefore);
        assertThat(tabletReads(102)).as("readings on the rdonly").isEqualTo(rdonlyBefore);

        // USE switches the target the same way (counted once connected: the driver's setup reads at the primary).
        try (Connection c = mariadb(KS); Statement s = c.createStatement()) {
            primaryBefore = tabletReads(100);
            s.execute("USE `" + KS + "@rdonly`");
            for (int i = 0; i < 10; i++) {
                s.executeQuery("SELECT COUNT(*) FROM readings").close();
            }
        }
        assertThat(tabletReads(102) - rdonlyBefore).isGreaterThanOrEqualTo(10);
        assertThat(tabletReads(100)).as("readings on the primary").isEqualTo(primaryBefore);

        // A report at @replica stages and reworks rows in a temporary table; real tables stay read-only there.
        try (Connection c = mariadb(KS + "@replica"); Statement s = c.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE staged AS SELECT id FROM readings");
            assertThat(s.executeUpdate("INSERT INTO staged VALUES (10), (11)")).isEqualTo(2);
            assertThat(s.executeUpdate("UPDATE staged SET id = id + 100 WHERE id >= 10")).isEqualTo(2);
            assertThat(s.executeUpdate("DELETE FROM staged WHERE id = 1")).isOne();
            try (ResultSet rs = s.executeQuery("SELECT GROUP_CONCAT(id ORDER BY id) FROM staged")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("2,3,110,111");
            }
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO readings VALUES (9)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
            assertThatThrownBy(() -> s.executeUpdate("UPDATE staged JOIN readings USING (id) SET staged.id = 0"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
            s.execute("DROP TEMPORARY TABLE staged");
        }
        try (Connection c = mariadb(KS); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM readings")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    @Order(4)
    void aReplicaWithStoppedReplicationLeavesRotationAndReturns() throws Exception {
        ctl.ok("StopReplication", "zone1-101");
        try {
            // Once its lag passes the unhealthy threshold the replica reports a health error and leaves rotation;
            // with no other replica, @replica statements (even a driver's connection setup) find no tablet.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThatThrownBy(() -> {
                        try (Connection c = mariadb(KS + "@replica"); Statement s = c.createStatement()) {
                            s.executeQuery("SELECT COUNT(*) FROM readings").close();
                        }
                    }).isInstanceOf(SQLException.class).hasMessageContaining("no healthy replica tablet"));
            assertThat(get(gateHttpPort, "/debug/status")).contains("zone1-0000000101");
        } finally {
            ctl.ok("StartReplication", "zone1-101");
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> {
                    try (Connection c = mariadb(KS + "@replica"); Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM readings")) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(3);
                    }
                });
    }

    @Test
    @Order(5)
    void mysqldumpWithForeignKeysRoundTripsThroughTheGate() throws Exception {
        try (Connection c = mariadb(KS); Statement s = c.createStatement()) {
            // a_child comes before b_parent in the dump: its foreign key is a forward reference.
            s.execute("CREATE TABLE b_parent (id INT PRIMARY KEY, name VARCHAR(32) NOT NULL)");
            s.execute("CREATE TABLE a_child (id INT PRIMARY KEY, parent_id INT NOT NULL, note TEXT, "
                    + "CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES b_parent (id))");
            s.execute("INSERT INTO b_parent VALUES (1, 'first'), (2, 'second')");
            s.execute("INSERT INTO a_child VALUES (10, 1, 'x'), (11, 2, NULL), (12, 2, 'quote '' and \\\\')");
        }
        String dump = client("mariadb-dump", "mysqldump");
        List<String> dumpArgs = List.of(dump, "-h", "127.0.0.1", "-P", Integer.toString(gateMysqlPort), "-u", USER,
                "-p" + PASSWORD, "--skip-dump-date", KS, "a_child", "b_parent");
        Run first = run(null, dumpArgs.toArray(String[]::new));
        assertThat(first.exitCode()).as("mariadb-dump stderr: %s", first.stderr()).isZero();
        assertThat(first.stdout()).contains("FOREIGN_KEY_CHECKS=0").contains("CREATE TABLE `a_child`")
                .contains("REFERENCES `b_parent`").doesNotContain("vt_" + KS);

        try (Connection c = mariadb(KS); Statement s = c.createStatement()) {
            s.execute("DROP TABLE a_child");
            s.execute("DROP TABLE b_parent");
        }
        Path file = tmp.resolve("dump.sql");
        Files.writeString(file, first.stdout());
        Run load = mariadbCli(KS, file);
        assertThat(load.exitCode()).as("loading the dump: %s", load.stderr()).isZero();

        Run second = run(null, dumpArgs.toArray(String[]::new));
        assertThat(second.exitCode()).as("mariadb-dump stderr: %s", second.stderr()).isZero();
        assertThat(second.stdout()).isEqualTo(first.stdout());
    }

    @Test
    @Order(6)
    void garbageAndTruncatedPacketsLeaveTheGateServingOthers() throws Exception {
        try (Connection survivor = mariadb(KS)) {
            byte[][] attacks = {
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x00},
                {0x05, 0x00, 0x00, 0x01, 0x03},
                {0x10, 0x00, 0x00, 0x07, 0x01, 0x02, 0x03}};
            for (byte[] attack : attacks) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", gateMysqlPort), 5000);
                    socket.setSoTimeout(10_000);
                    InputStream in = socket.getInputStream();
                    byte[] greeting = new byte[4];
                    assertThat(in.readNBytes(greeting, 0, 4)).isEqualTo(4);
                    OutputStream out = socket.getOutputStream();
                    out.write(attack);
                    out.flush();
                    socket.shutdownOutput();
                    // The gate answers (an ERR, or nothing) and closes this one connection.
                    while (in.read() >= 0) {
                        // drain until the gate closes
                    }
                }
            }
            try (Statement s = survivor.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM readings")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        }
        try (Connection fresh = mysqlConnector(KS, false); Statement s = fresh.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    @Order(7)
    void plannedReparentUnderAWriterGivesNoClientErrors() throws Exception {
        try (Connection c = mariadb(KS); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE writes (id BIGINT PRIMARY KEY, v VARCHAR(32))");
            s.execute("CREATE TABLE locked (id BIGINT PRIMARY KEY)");
        }
        // A client holding a table lock on the primary (a reserved connection) would keep it from going read-only:
        // the reparent ends that session, and the client hears of it once.
        Connection locker = mariadb(KS);
        Statement lockerStatement = locker.createStatement();
        lockerStatement.execute("LOCK TABLES locked WRITE");
        Set<Long> acknowledged = new ConcurrentSkipListSet<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = Thread.ofPlatform().name("gate-writer").start(() -> {
            long id = 0;
            try (Connection c = mysqlConnector(KS, true);
                    PreparedStatement ps = c.prepareStatement("INSERT INTO writes VALUES (?, ?)")) {
                while (!stop.get()) {
                    id++;
                    ps.setLong(1, id);
                    ps.setString(2, "w" + id);
                    try {
                        ps.executeUpdate();
                        acknowledged.add(id);
                    } catch (SQLException e) {
                        errors.add(id + ": " + e.getErrorCode() + " " + e.getMessage());
                    }
                }
            } catch (SQLException e) {
                errors.add("connection: " + e.getMessage());
            }
        });
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 100);
            ctl.ok("PlannedReparentShard", KS + "/0", "--new-primary", "zone1-101");
            int afterReparent = acknowledged.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= afterReparent + 100);
        } finally {
            stop.set(true);
            writer.join(60_000);
        }
        assertThat(errors).as("client errors during PlannedReparentShard").isEmpty();
        try (locker; lockerStatement) {
            assertThatThrownBy(() -> lockerStatement.execute("INSERT INTO locked VALUES (1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1927);
                        assertThat(e.getMessage()).contains("table locks");
                    });
            lockerStatement.execute("INSERT INTO locked VALUES (2)");
        }
        Set<Long> stored = new HashSet<>();
        try (Connection c = mariadb(KS); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM writes")) {
            while (rs.next()) {
                stored.add(rs.getLong(1));
            }
        }
        assertThat(stored).containsAll(acknowledged);
        String tablets = ctl.ok("ListAllTablets", "zone1").stdout();
        assertThat(tablets.lines().filter(l -> l.contains(" primary ")).toList()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("zone1-0000000101"));
    }

    @Test
    @Order(8)
    void sysbenchReadWriteRunsWithoutErrors() throws Exception {
        String sysbench = client("sysbench");
        List<String> common = List.of("--db-driver=mysql", "--mysql-host=127.0.0.1",
                "--mysql-port=" + gateMysqlPort, "--mysql-user=" + USER, "--mysql-password=" + PASSWORD,
                "--mysql-db=" + KS, "--tables=8", "--table-size=5000");
        List<String> prepare = new ArrayList<>(List.of(sysbench, "oltp_read_write"));
        prepare.addAll(common);
        prepare.add("prepare");
        Run prepared = run(null, prepare.toArray(String[]::new));
        assertThat(prepared.exitCode()).as("sysbench prepare: %s %s", prepared.stdout(), prepared.stderr()).isZero();

        List<String> bench = new ArrayList<>(List.of(sysbench, "oltp_read_write"));
        bench.addAll(common);
        bench.addAll(List.of("--threads=4", "--time=60", "--report-interval=0", "run"));
        Run result = run(null, bench.toArray(String[]::new));
        assertThat(result.exitCode()).as("sysbench run: %s %s", result.stdout(), result.stderr()).isZero();
        assertThat(result.stdout()).containsPattern("transactions:\\s+[1-9]\\d*")
                .containsPattern("reconnects:\\s+0\\s");
        // sysbench retries a transaction InnoDB chose as a deadlock victim and counts it as an "ignored error"; that
        // happens against MariaDB directly too. Anything else would be an error the gate caused: the gate's query
        // log must show no other failure of sysbench's statements.
        java.util.regex.Matcher ignored = java.util.regex.Pattern.compile("ignored errors:\\s+(\\d+)")
                .matcher(result.stdout());
        assertThat(ignored.find()).isTrue();
        long deadlocks = Long.parseLong(ignored.group(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> failures = Files.readAllLines(tmp.resolve("queries.log")).stream()
                    .map(l -> l.split("\t", -1)).filter(f -> f.length >= 8 && f[7].contains("sbtest"))
                    .filter(f -> !f[6].isEmpty()).map(f -> f[6] + " " + f[7]).toList();
            assertThat(failures).as("sysbench statements that failed at the gate")
                    .allMatch(f -> f.startsWith("ABORTED 1213 ") || f.startsWith("DEADLINE_EXCEEDED 1205 ")
                            || f.startsWith("UNKNOWN 1205 "));
            assertThat((long) failures.size()).isEqualTo(deadlocks);
        });
    }

    @Test
    @Order(9)
    void guestbookOverTheGrpcClientLibrary() {
        try (GateClient client = GateClient.connect("127.0.0.1", gateGrpcPort)) {
            Guestbook book = new Guestbook(client, KS);
            book.createSchema();
            book.post("front", "hello");
            book.post("front", "from the gRPC API");
            book.post("other", "elsewhere");
            assertThat(book.readFromPrimary("front")).containsExactly("hello", "from the gRPC API");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(book.read("front")).containsExactly("hello", "from the gRPC API"));
            try (GateSession session = client.session(KS)) {
                assertThatThrownBy(() -> session.execute("SELECT * FROM no_such_table"))
                        .isInstanceOfSatisfying(GateException.class,
                                e -> assertThat(e.mysqlErrno()).isEqualTo(1146));
                assertThat(session.execute("SELECT COUNT(*) FROM messages WHERE page = ?", "front").rows().get(0)
                        .getLong(0)).isEqualTo(2L);
            }
        }
    }

    @Test
    @Order(10)
    void statusPageAndMetricsDescribeTheGate() throws Exception {
        String status = get(gateHttpPort, "/debug/status");
        assertThat(status).contains("zone1-0000000100").contains("zone1-0000000101").contains("zone1-0000000102");
        String metrics = get(gateHttpPort, "/metrics");
        assertThat(metrics).contains("tessera_gate_queries_total").contains("tessera_gate_connections")
                .contains("tessera_gate_auth_failures_total");
        // Statements outside transactions (the drivers' and sysbench's reads above) ran on the connections' event
        // loops, not on their session threads.
        assertThat(sample(metrics, "tessera_gate_event_loop_commands_total{outcome=\"answered\"}")).isPositive();
        // ... and the tablets ran such statements on their event loops too, over native connections to mysqld,
        // having received them on the gate's multiplexed streams, on the tablets' framed multiplex ports, rather than
        // as a call each.
        double nativeStatements = 0;
        double multiplexed = 0;
        for (int port : tabletHttpPorts.values()) {
            String tabletMetrics = get(port, "/metrics");
            nativeStatements += sample(tabletMetrics, "tessera_tablet_event_loop_statements_total ");
            multiplexed += sample(tabletMetrics, "tessera_tablet_multiplexed_executes_total{transport=\"framed\"}");
        }
        assertThat(nativeStatements).isPositive();
        assertThat(multiplexed).isPositive();
        assertThat(Files.readString(tmp.resolve("queries.log"))).contains("INSERT INTO writes");
    }

    @Test
    @Order(11)
    void libmariadbTakesCachedColumnDefinitionsOnlyFromAGateThatAnnouncesMariadb() throws Exception {
        // sysbench's prepared point selects on the tables sysbenchReadWriteRunsWithoutErrors made, through gates of
        // their own (fresh metrics, no auth), one with the default version and one with MariaDB's form of it.
        assertThat(cacheMetadataSessionsOfSysbenchThrough(List.of())).as("default version").isZero();
        assertThat(cacheMetadataSessionsOfSysbenchThrough(
                List.of("--mysql_server_version", "5.5.5-10.11.19-MariaDB-Tessera"))).as("MariaDB's form").isPositive();
    }

    /**
     * Starts a gate with {@code extraFlags}, runs two seconds of sysbench point selects (prepared statements)
     * through it, and returns its count of sessions that took MARIADB_CLIENT_CACHE_METADATA.
     */
    private double cacheMetadataSessionsOfSysbenchThrough(List<String> extraFlags) throws Exception {
        int mysqlPort = FreePorts.next();
        int httpPort = FreePorts.next();
        List<String> args = new ArrayList<>(List.of("--topo-address", topoAddress, "--cell", "zone1",
                "--mysql_server_port", Integer.toString(mysqlPort), "--mysql_server_bind_address", "127.0.0.1",
                "--port", Integer.toString(httpPort), "--grpc_port", Integer.toString(FreePorts.next()),
                "--bind-address", "127.0.0.1", "--mysql_auth_server_impl", "none"));
        args.addAll(extraFlags);
        ManagedProcess gate = Launchers.startWithJavaOpts("-Xmx128m", "tessera-gate", tmp,
                "gate-" + mysqlPort + ".log", args.toArray(String[]::new));
        try {
            gate.awaitReady(() -> FreePorts.isListening(mysqlPort), Duration.ofSeconds(60));
            List<String> bench = List.of(client("sysbench"), "oltp_point_select", "--db-driver=mysql",
                    "--mysql-host=127.0.0.1", "--mysql-port=" + mysqlPort, "--mysql-user=" + USER, "--mysql-db=" + KS,
                    "--tables=8", "--table-size=5000", "--db-ps-mode=auto", "--threads=1", "--time=2",
                    "--report-interval=0", "run");
            // The new gate serves once it has seen the tablets: retry until a run goes through.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Run result = run(null, bench.toArray(String[]::new));
                assertThat(result.exitCode()).as("sysbench: %s %s", result.stdout(), result.stderr()).isZero();
                assertThat(result.stdout()).containsPattern("read:\\s+[1-9]\\d*");
            });
            return sample(get(httpPort, "/metrics"), "tessera_gate_cache_metadata_sessions_total ");
        } finally {
            gate.stop(Duration.ofSeconds(30));
        }
    }

    /** The sum of the Prometheus samples whose line starts with {@code prefix} (name and labels). */
    private static double sample(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
