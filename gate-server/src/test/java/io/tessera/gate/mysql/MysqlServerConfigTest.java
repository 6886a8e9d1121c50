package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MysqlServerConfigTest {
    @Test
    void defaults() {
        MysqlServerConfig c = MysqlServerConfig.defaults();
        assertThat(c.port()).isEqualTo(15306);
        assertThat(c.serverVersion()).isEqualTo("8.0.40-Tessera");
        assertThat(c.maxConnections()).isZero();
        assertThat(c.idleTimeout()).isEqualTo(Duration.ZERO);
        assertThat(c.maxPacketBytes()).isEqualTo(64 * 1024 * 1024);
        assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.tlsEnabled()).isFalse();
        assertThat(c.requireSecureTransport()).isFalse();
    }

    @Test
    void invalidSettingsAreRefused() {
        MysqlServerConfig d = MysqlServerConfig.defaults();
        assertThatThrownBy(() -> d.withBindAddress("127.0.0.1", 70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> d.withBindAddress(" ", 1)).hasMessageContaining("bindAddress");
        assertThatThrownBy(() -> d.withMaxConnections(-1)).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> d.withIdleTimeout(Duration.ofSeconds(-1))).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> d.withMaxPacketBytes(100)).hasMessageContaining("maxPacketBytes");
        assertThatThrownBy(() -> d.withHandshakeTimeout(Duration.ZERO)).hasMessageContaining("handshakeTimeout");
        assertThatThrownBy(() -> d.withTls(Path.of("c.pem"), null, false)).hasMessageContaining("sslCert and sslKey");
        assertThatThrownBy(() -> d.withTls(null, null, true)).hasMessageContaining("requireSecureTransport");
        assertThatThrownBy(() -> new MysqlServerConfig("0.0.0.0", 1, "bad\0version", 0, Duration.ZERO, 1024,
                Duration.ofSeconds(1), null, null, false)).hasMessageContaining("serverVersion");
    }

    @Test
    void tlsFilesThatDoNotLoadFailTheStart() {
        MysqlServerConfig c = TestServer.config().withTls(Path.of("/nonexistent/c.pem"), Path.of("/nonexistent/k.pem"),
                false);
        MysqlServer server = new MysqlServer(c, new io.tessera.gate.auth.NoneAuthServer(),
                new ScriptedHandlerFactory(), new io.prometheus.metrics.model.registry.PrometheusRegistry());
        assertThatThrownBy(server::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/nonexistent/c.pem");
        server.close();
    }
}
