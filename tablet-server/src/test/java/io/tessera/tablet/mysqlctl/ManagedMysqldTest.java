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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Managed mysqld against real MariaDB servers; all instances of this class share one template datadir. */
class ManagedMysqldTest {
    private static final String PASSWORD = "s3cret'\"\\pw";

    @TempDir
    static Path root;

    private final List<ManagedMysqld> started = new ArrayList<>();

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
