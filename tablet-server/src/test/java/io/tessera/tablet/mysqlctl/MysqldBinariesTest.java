package io.tessera.tablet.mysqlctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MysqldBinariesTest {
    @TempDir
    Path tmp;

    @Test
    void findsTheInstalledMariaDb() {
        MysqldBinaries binaries = MysqldBinaries.locate(Optional.empty(), MysqldBinaries.defaultSearchPath());
        assertThat(binaries.mysqld().getFileName().toString()).isIn("mariadbd", "mysqld");
        assertThat(binaries.installDb().getFileName().toString()).isIn("mariadb-install-db", "mysql_install_db");
        assertThat(binaries.mysqld()).startsWith(binaries.basedir());
    }

    @Test
    void explainsWhatIsMissingAndWhere() throws Exception {
        Path missing = tmp.resolve("bin/mariadbd");
        assertThatThrownBy(() -> MysqldBinaries.locate(Optional.of(missing), List.of()))
                .isInstanceOf(MysqldException.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("--mysqld-path");

        Path emptyDir = Files.createDirectory(tmp.resolve("empty"));
        assertThatThrownBy(() -> MysqldBinaries.locate(Optional.empty(), List.of(emptyDir)))
                .isInstanceOf(MysqldException.class).hasMessageContaining("no mysqld binary found")
                .hasMessageContaining(emptyDir.toString()).hasMessageContaining("mariadbd");

        // A server binary with no install tool anywhere near it or on the search path.
        Path sbin = Files.createDirectories(tmp.resolve("opt/sbin"));
        Path server = Files.writeString(sbin.resolve("mariadbd"), "");
        Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> MysqldBinaries.locate(Optional.of(server), List.of(emptyDir)))
                .isInstanceOf(MysqldException.class).hasMessageContaining("mariadb-install-db");

        Path notExecutable = Files.writeString(tmp.resolve("mysqld"), "");
        assertThatThrownBy(() -> MysqldBinaries.locate(Optional.of(notExecutable), List.of()))
                .isInstanceOf(MysqldException.class).hasMessageContaining("not executable");
    }
}
