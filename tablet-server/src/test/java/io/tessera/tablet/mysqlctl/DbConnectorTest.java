package io.tessera.tablet.mysqlctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DbConnectorTest {
    private final DbUser user = new DbUser("vt_app", "pw");

    @Test
    void tcpUrl() {
        DbConnector c = new DbConnector(MysqlEndpoint.tcp("127.0.0.1", 17100), user).withDatabase("vt_commerce");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:17100/vt_commerce?connectTimeout=5000");
        assertThat(c.properties()).containsEntry("user", "vt_app").containsEntry("password", "pw");
        assertThat(c.jdbcUrl()).doesNotContain("pw");
        assertThat(new DbConnector(MysqlEndpoint.tcp("::1", 3306), user).jdbcUrl()).startsWith("jdbc:mariadb://[::1]:3306/");
    }

    @Test
    void socketUrlUsesTheUnixSocketFactory() {
        DbConnector c = new DbConnector(MysqlEndpoint.tcpAndSocket("127.0.0.1", 17100, Path.of("/vt/x/mysql.sock")), user);
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:mariadb://localhost/?connectTimeout=5000&socketFactory="
                + UnixSocketFactory.class.getName() + "&tesseraUnixSocket=/vt/x/mysql.sock");
    }

    @Test
    void badEndpointsAreRefused() {
        assertThatThrownBy(() -> MysqlEndpoint.tcp("h", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MysqlEndpoint("", 0, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host and port, a unix socket");
        Path longPath = Path.of("/" + "d".repeat(120) + "/mysql.sock");
        assertThatThrownBy(() -> new MysqlEndpoint("", 0, Optional.of(longPath)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("107");
        assertThatThrownBy(() -> new MysqlEndpoint("", 0, Optional.of(Path.of("/a&b/mysql.sock"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("&");
    }
}
