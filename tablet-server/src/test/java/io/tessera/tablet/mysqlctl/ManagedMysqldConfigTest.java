package io.tessera.tablet.mysqlctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManagedMysqldConfigTest {
    private static final Path ROOT = Path.of("/data/vt");

    @Test
    void defaultsFollowTheVitessLocalExample() {
        ManagedMysqldConfig config = ManagedMysqldConfig.builder(100, ROOT).build();
        assertThat(config.port()).isEqualTo(17100);
        assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.hostname()).isEqualTo("127.0.0.1");
        assertThat(config.templateRoot()).isEqualTo(ROOT);
        assertThat(config.credentials()).isEqualTo(DbCredentials.defaults());
        assertThat(config.dbName()).isEmpty();
        assertThat(config.startReadOnly()).isTrue();
        assertThat(config.mysqldPath()).isEmpty();
        assertThat(config.tabletDir().path()).isEqualTo(ROOT.resolve("vt_0000000100"));
    }

    @Test
    void keyspaceNamesTheDatabaseUnlessOverridden() {
        assertThat(ManagedMysqldConfig.builder(1, ROOT).keyspace("commerce").build().dbName()).contains("vt_commerce");
        assertThat(ManagedMysqldConfig.builder(1, ROOT).dbName("legacy").build().dbName()).contains("legacy");
        assertThat(DbNames.forKeyspace("customer", Optional.of("shop"))).isEqualTo("shop");
        assertThat(DbNames.forKeyspace("customer", Optional.empty())).isEqualTo("vt_customer");
        assertThatThrownBy(() -> ManagedMysqldConfig.builder(1, ROOT).dbName("bad name").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad name");
    }

    @Test
    void refusesOutOfRangeValuesWithTheReason() {
        assertThatThrownBy(() -> ManagedMysqldConfig.builder(0, ROOT).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server_id");
        assertThatThrownBy(() -> ManagedMysqldConfig.builder(60000, ROOT).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--mysql_port");
        assertThat(ManagedMysqldConfig.builder(60000, ROOT).port(3306).build().port()).isEqualTo(3306);
        assertThatThrownBy(() -> ManagedMysqldConfig.builder(1, ROOT).port(70000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> ManagedMysqldConfig.builder(1, Path.of("/data/my vt")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data root");
        assertThatThrownBy(() -> ManagedMysqldConfig.builder(1, ROOT).extraMyCnf("[client]").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[mysqld] settings only");
        assertThatThrownBy(() -> ManagedMysqldConfig.builder(1, ROOT).extraMyCnf("a=1\nb=2").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single line");
        assertThatThrownBy(() -> ManagedMysqldConfig.builder(1, ROOT).startTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start timeout");
        assertThatThrownBy(() -> ManagedMysqldConfig.builder(1, ROOT).maxBinlogSizeBytes(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_binlog_size");
    }

    @Test
    void wildcardBindAdvertisesTheMachineName() {
        ManagedMysqldConfig config = ManagedMysqldConfig.builder(1, ROOT).bindAddress("0.0.0.0").build();
        assertThat(config.hostname()).isNotBlank().isNotEqualTo("0.0.0.0");
        assertThat(ManagedMysqldConfig.builder(1, ROOT).bindAddress("0.0.0.0").hostname("db1").build().hostname())
                .isEqualTo("db1");
    }

    @Test
    void managedModeRefusesSharedOrReservedUserNames() {
        DbCredentials shared = new DbCredentials(new DbUser("vt_dba", ""), new DbUser("vt_dba", ""),
                new DbUser("vt_repl", ""));
        assertThatThrownBy(() -> new ManagedMysqld(ManagedMysqldConfig.builder(1, ROOT).credentials(shared).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
        DbCredentials root = new DbCredentials(new DbUser("root", ""), new DbUser("vt_app", ""),
                new DbUser("vt_repl", ""));
        assertThatThrownBy(() -> new ManagedMysqld(ManagedMysqldConfig.builder(1, ROOT).credentials(root).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @Test
    void tabletDirFollowsTheVitessLayout() {
        TabletDir dir = TabletDir.of(ROOT, 42);
        assertThat(dir.path()).isEqualTo(ROOT.resolve("vt_0000000042"));
        assertThat(dir.myCnf()).isEqualTo(dir.path().resolve("my.cnf"));
        assertThat(dir.dataDir()).isEqualTo(dir.path().resolve("data"));
        assertThat(dir.socket()).isEqualTo(dir.path().resolve("mysql.sock"));
        assertThat(dir.pidFile()).isEqualTo(dir.path().resolve("mysqld.pid"));
        assertThat(dir.binlogBase()).isEqualTo(dir.path().resolve("bin-logs/vt-0000000042-bin"));
    }
}
