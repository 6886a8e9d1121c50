package io.tessera.tablet.mysqlctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Managed mysqld against real MariaDB servers; all instances of this class share one template datadir. */
class ManagedMysqldTest {
    private static final String PASSWORD = "s3cret'\"\\pw";

    @TempDir
    static Path root;

    private static TemplateDatadir template;
    private static FileTime templateInstalledAt;

    private final List<ManagedMysqld> started = new ArrayList<>();

    /** One template for the whole class; every instance below must copy it rather than initialise its own. */
    @BeforeAll
    static void createTemplate() throws Exception {
        template = new TemplateDatadir(root, MysqldBinaries.locate(Optional.empty(), MysqldBinaries.defaultSearchPath()),
                OsUser.current(), Duration.ofMinutes(2));
        assertThat(template.ensure().createdNow()).isTrue();
        templateInstalledAt = Files.getLastModifiedTime(template.dir().resolve("install.log"));
    }

    private static void assertTemplateReused() throws Exception {
        assertThat(template.ensure().createdNow()).isFalse();
        assertThat(Files.getLastModifiedTime(template.dir().resolve("install.log"))).isEqualTo(templateInstalledAt);
        assertThat(template.dir().resolve("data.tmp")).doesNotExist();
    }

    @AfterEach
    void stopAll() {
        for (ManagedMysqld mysqld : started) {
            mysqld.close();
        }
    }

    private ManagedMysqldConfig.Builder config(long uid) {
        return ManagedMysqldConfig.builder(uid, root).port(FreePorts.next()).keyspace("commerce")
                .credentials(DbCredentials.withPassword(PASSWORD));
    }

    private ManagedMysqld start(ManagedMysqldConfig config) {
        ManagedMysqld mysqld = new ManagedMysqld(config);
        started.add(mysqld);
        mysqld.start();
        return mysqld;
    }

    @Test
    void startsStopsRestartsAndKeepsDataAcrossCleanAndCrashRestarts() throws Exception {
        ManagedMysqld mysqld = start(config(100).build());
        TabletDir dir = mysqld.dir();
        assertThat(dir.path()).isEqualTo(root.resolve("vt_0000000100"));
        assertThat(mysqld.isRunning()).isTrue();
        assertThat(dir.myCnf()).isRegularFile();
        assertThat(dir.dataDir().resolve("mysql")).isDirectory();
        assertThat(dir.errorLog()).isRegularFile();
        assertThat(dir.socket()).exists();
        assertThat(dir.pidFile()).isRegularFile();
        assertThat(dir.binlogDir()).isDirectoryContaining(p -> p.getFileName().toString().startsWith("vt-0000000100-bin"));
        assertThat(Files.readString(dir.myCnf())).contains("server_id=100\n", "port=" + mysqld.config().port() + "\n");
        long firstPid = mysqld.pid().orElseThrow();

        try (Connection dba = mysqld.dba().connect(); Statement s = dba.createStatement()) {
            s.execute("SET GLOBAL read_only = OFF");
            s.execute("CREATE TABLE vt_commerce.t (id INT PRIMARY KEY, v VARCHAR(20))");
        }
        try (Connection app = mysqld.app().connect(); Statement s = app.createStatement()) {
            s.execute("INSERT INTO t VALUES (1, 'before restart')");
        }

        mysqld.shutdown();
        assertThat(mysqld.isRunning()).isFalse();
        assertThat(mysqld.pid()).isEmpty();
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        mysqld.start();
        assertThat(mysqld.pid().orElseThrow()).isNotEqualTo(firstPid);
        assertThat(rows(mysqld, "SELECT v FROM t")).containsExactly("before restart");
        // my.cnf says read_only=ON, so a restarted server waits for the tablet before taking writes.
        assertThat(rows(mysqld, "SELECT @@global.read_only")).containsExactly("1");

        // Another daemon object for the same tablet adopts the running server instead of starting a second one.
        ManagedMysqld second = new ManagedMysqld(mysqld.config());
        second.start();
        assertThat(second.pid()).isEqualTo(mysqld.pid());

        long pidBeforeKill = mysqld.pid().orElseThrow();
        mysqld.kill();
        assertThat(ProcessHandle.of(pidBeforeKill).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(mysqld.isRunning()).isFalse();
        mysqld.start();
        assertThat(rows(mysqld, "SELECT v FROM t")).containsExactly("before restart");
        assertTemplateReused();
    }

    @Test
    void createsRoleUsersWithExactlyTheIntendedPrivileges() throws Exception {
        ManagedMysqld mysqld = start(config(101).build());
        assertTemplateReused();

        try (Connection dba = mysqld.dba().connect(); Statement s = dba.createStatement()) {
            // Users and databases were created with sql_log_bin=0: a fresh tablet has no GTIDs of its own.
            assertThat(column(s, "SELECT @@global.gtid_binlog_pos")).containsExactly("");
            assertThat(column(s, "SELECT CONCAT(user, '@', host) FROM mysql.user WHERE user LIKE 'vt\\_%'"))
                    .containsExactlyInAnyOrder("vt_dba@localhost", "vt_app@localhost", "vt_repl@%");
            assertThat(column(s, "SHOW DATABASES")).contains("_vt", "vt_commerce");

            assertThat(grants(s, "vt_dba", "localhost")).containsExactly("ALL PRIVILEGES");
            assertThat(column(s, "SHOW GRANTS FOR 'vt_dba'@'localhost'").getFirst()).endsWith("WITH GRANT OPTION");
            assertThat(grants(s, "vt_app", "localhost")).isEqualTo(Set.copyOf(ServerInit.APP_PRIVILEGES))
                    .doesNotContain("SUPER", "READ_ONLY ADMIN", "ALL PRIVILEGES", "BINLOG ADMIN");
            assertThat(column(s, "SHOW GRANTS FOR 'vt_app'@'localhost'").getFirst()).doesNotContain("GRANT OPTION");
            assertThat(grants(s, "vt_repl", "%"))
                    .containsExactlyInAnyOrder("REPLICATION SLAVE", "REPLICATION SLAVE ADMIN", "BINLOG MONITOR");

            s.execute("CREATE TABLE vt_commerce.t (id INT PRIMARY KEY)");
        }

        // read_only=ON (the start state) refuses the app user's writes and its attempt to lift read_only.
        try (Connection app = mysqld.app().connect(); Statement s = app.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
            assertThatThrownBy(() -> s.execute("SET GLOBAL read_only = OFF"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1227));
        }
        try (Connection dba = mysqld.dba().connect(); Statement s = dba.createStatement()) {
            s.execute("SET GLOBAL read_only = OFF");
        }
        try (Connection app = mysqld.app().connect(); Statement s = app.createStatement()) {
            s.execute("INSERT INTO t VALUES (1)");
        }
        try (Connection dba = mysqld.dba().connect(); Statement s = dba.createStatement()) {
            s.execute("SET GLOBAL read_only = ON");
        }
        try (Connection app = mysqld.app().connect(); Statement s = app.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO t VALUES (2)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
        }

        // The repl user connects over TCP, as a replica would, and can read binlog positions but no data.
        ReplicationParams repl = mysqld.replicationParams();
        assertThat(repl.host()).isEqualTo("127.0.0.1");
        assertThat(repl.port()).isEqualTo(mysqld.config().port());
        assertThat(repl.user()).isEqualTo("vt_repl");
        DbConnector replConnector = new DbConnector(MysqlEndpoint.tcp(repl.host(), repl.port()),
                new DbUser(repl.user(), repl.password()));
        try (Connection c = replConnector.connect(); Statement s = c.createStatement()) {
            assertThat(column(s, "SHOW MASTER STATUS")).hasSize(1);
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM vt_commerce.t"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1142));
        }
        // The dba user exists for local (socket) connections only.
        DbConnector dbaOverTcp = new DbConnector(MysqlEndpoint.tcp("127.0.0.1", mysqld.config().port()),
                mysqld.config().credentials().dba());
        assertThatThrownBy(dbaOverTcp::connect).isInstanceOf(SQLException.class).hasMessageContaining("Access denied");

        mysqld.checkReplicationSettings();
    }

    @Test
    void initialisationRunsOnceAndCanBeRepeatedAfterAnInterruption() throws Exception {
        ManagedMysqld mysqld = start(config(102).build());
        assertTemplateReused();
        assertThat(mysqld.dir().initMarker()).isRegularFile();
        String position;
        try (Connection dba = mysqld.dba().connect(); Statement s = dba.createStatement()) {
            s.execute("DROP DATABASE vt_commerce");
            position = column(s, "SELECT @@global.gtid_binlog_pos").getFirst();
        }

        // An initialised tablet restarts without redoing the setup: the dropped database stays dropped.
        mysqld.shutdown();
        mysqld.start();
        try (Connection dba = mysqld.dba().connect(); Statement s = dba.createStatement()) {
            assertThat(column(s, "SHOW DATABASES")).contains("_vt").doesNotContain("vt_commerce");
        }

        // Without the marker (as after a crash during setup) the setup runs again over the existing users.
        mysqld.shutdown();
        Files.delete(mysqld.dir().initMarker());
        mysqld.start();
        assertThat(mysqld.dir().initMarker()).isRegularFile();
        try (Connection dba = mysqld.dba().connect(); Statement s = dba.createStatement()) {
            assertThat(column(s, "SHOW DATABASES")).contains("_vt", "vt_commerce");
            assertThat(grants(s, "vt_app", "localhost")).isEqualTo(Set.copyOf(ServerInit.APP_PRIVILEGES));
            // The repeated setup wrote nothing to the binlog.
            assertThat(column(s, "SELECT @@global.gtid_binlog_pos")).containsExactly(position);
        }
        try (Connection app = mysqld.app().connect()) {
            assertThat(app.isValid(1)).isTrue();
        }
    }

    @Test
    void missingBinaryIsAClearErrorAndTouchesNothing() {
        Path missing = root.resolve("no-such-dir/mariadbd");
        ManagedMysqld mysqld = new ManagedMysqld(config(103).mysqldPath(missing).build());
        assertThatThrownBy(mysqld::start).isInstanceOf(MysqldException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("--mysqld-path");
        assertThat(root.resolve("vt_0000000103")).doesNotExist();
    }

    @Test
    void serverThatExitsAtStartupIsReportedWithItsErrorLog() throws Exception {
        ManagedMysqld mysqld = new ManagedMysqld(config(104).extraMyCnf("no_such_option=1").build());
        started.add(mysqld);
        assertThatThrownBy(mysqld::start).isInstanceOf(MysqldException.class)
                .hasMessageContaining("exited").hasMessageContaining("error.log")
                .hasMessageContaining("no_such_option");
        assertThat(mysqld.pid()).isEmpty();
        assertTemplateReused();
    }

    private static Set<String> grants(Statement s, String user, String host) throws SQLException {
        Set<String> privileges = new LinkedHashSet<>();
        for (String grant : column(s, "SHOW GRANTS FOR '" + user + "'@'" + host + "'")) {
            if (grant.startsWith("GRANT PROXY")) {
                continue;
            }
            String list = grant.substring("GRANT ".length(), grant.indexOf(" ON "));
            for (String p : list.split(",")) {
                privileges.add(p.strip());
            }
        }
        return privileges;
    }

    private static List<String> column(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static List<String> rows(MysqlDaemon mysqld, String sql) throws SQLException {
        try (Connection c = mysqld.app().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
