package io.tessera.tablet.mysqlctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MyCnfTest {
    private final ManagedMysqldConfig config = ManagedMysqldConfig.builder(100, Path.of("/vt")).port(17100)
            .maxBinlogSizeBytes(32L * 1024 * 1024).binlogExpire(Duration.ofHours(6))
            .extraMyCnf("innodb_buffer_pool_size=256M").extraMyCnf("sync_binlog=1").build();

    @Test
    void holdsTheReplicationAndLayoutSettings() {
        String cnf = MyCnf.render(config, config.tabletDir(), true);
        List<String> lines = cnf.lines().toList();
        assertThat(lines).contains(
                "[mysqld]",
                "user=root",
                "datadir=/vt/vt_0000000100/data",
                "tmpdir=/vt/vt_0000000100/tmp",
                "socket=/vt/vt_0000000100/mysql.sock",
                "pid-file=/vt/vt_0000000100/mysqld.pid",
                "log_error=/vt/vt_0000000100/error.log",
                "port=17100",
                "bind_address=127.0.0.1",
                "server_id=100",
                "log_bin=/vt/vt_0000000100/bin-logs/vt-0000000100-bin",
                "relay_log=/vt/vt_0000000100/relay-logs/vt-0000000100-relay-bin",
                "binlog_format=ROW",
                "binlog_row_image=FULL",
                "log_slave_updates=ON",
                "gtid_strict_mode=ON",
                "skip_name_resolve=ON",
                "skip_slave_start=ON",
                "read_only=ON",
                "character_set_server=utf8mb4",
                "collation_server=utf8mb4_general_ci",
                "max_binlog_size=33554432",
                "binlog_expire_logs_seconds=21600",
                "innodb_buffer_pool_size=32M",
                "innodb_log_file_size=16M",
                "performance_schema=OFF");
    }

    @Test
    void extraLinesComeLastInMysqldSoTheyWin() {
        List<String> lines = MyCnf.render(config, config.tabletDir(), true).lines().toList();
        int mysqld = lines.indexOf("[mysqld]");
        int defaultPool = lines.indexOf("innodb_buffer_pool_size=32M");
        int extraPool = lines.indexOf("innodb_buffer_pool_size=256M");
        assertThat(mysqld).isGreaterThan(lines.indexOf("[client]"));
        assertThat(extraPool).isGreaterThan(defaultPool).isGreaterThan(mysqld);
        assertThat(lines.getLast()).isEqualTo("sync_binlog=1");
    }

    @Test
    void runsAsRootOnlyWhenTheTabletIsRoot() {
        assertThat(MyCnf.render(config, config.tabletDir(), false).lines()).doesNotContain("user=root");
        assertThat(MyCnf.renderTemplate(Path.of("/t/data"), Path.of("/t/tmp"), false).lines())
                .doesNotContain("user=root").contains("datadir=/t/data", "innodb_log_file_size=16M");
        assertThat(MyCnf.renderTemplate(Path.of("/t/data"), Path.of("/t/tmp"), true).lines()).contains("user=root");
    }

    @Test
    void startReadOnlyCanBeTurnedOff() {
        ManagedMysqldConfig writable = ManagedMysqldConfig.builder(7, Path.of("/vt")).startReadOnly(false).build();
        assertThat(MyCnf.render(writable, writable.tabletDir(), true).lines()).contains("read_only=OFF");
    }
}
