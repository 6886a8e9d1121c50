package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.gate.auth.NoneAuthServer;
import io.tessera.testing.FreePorts;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Connection limits, timeouts, shutdown and binding. */
class MysqlServerLimitsTest {
    @Test
    void connectionsOverTheLimitGetErr1040First() throws Exception {
        try (TestServer server = TestServer.start(TestServer.config().withMaxConnections(2))) {
            Connection c1 = server.mariadb("");
            try (Connection c2 = server.mysql("")) {
                assertThat(server.server.connectionCount()).isEqualTo(2);
                assertThat(server.gauge("tessera_gate_connections")).isEqualTo(2);
                assertThatThrownBy(() -> server.mariadb("").close())
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getErrorCode()).isEqualTo(1040);
                            assertThat(e.getMessage()).contains("Too many connections");
                        });
                try (RawClient raw = new RawClient(server.port())) {
                    RawClient.Packet first = raw.read();
                    assertThat(first.isErr()).isTrue();
                    assertThat(first.errno()).isEqualTo(1040);
                    assertThat(first.sqlState()).isEqualTo("08004");
                    assertThat(raw.isClosedByServer()).isTrue();
                }
                assertThat(server.counter("tessera_gate_connections_refused", "reason", "max_connections"))
                        .isEqualTo(2);
                c1.close();
                await().atMost(Duration.ofSeconds(30)).until(() -> server.server.connectionCount() == 1);
                try (Connection c3 = server.mariadb("")) {
                    assertThat(c3.isValid(5)).isTrue();
                }
                assertThat(c2.isValid(5)).isTrue();
            }
            assertThat(server.counter("tessera_gate_connections_accepted", null, null)).isEqualTo(5);
        }
    }

    @Test
    void idleConnectionsAreClosedWithErr4031() throws Exception {
        try (TestServer server = TestServer.start(TestServer.config().withIdleTimeout(Duration.ofMillis(300)));
                RawClient c = new RawClient(server.port())) {
            assertThat(c.login("idle", 0).isOk()).isTrue();
            c.command(Protocol.COM_PING, new byte[0]);
            assertThat(c.read().isOk()).isTrue();
            List<RawClient.Packet> packets = c.readUntilClosed();
            assertThat(packets).hasSize(1);
            assertThat(packets.get(0).errno()).isEqualTo(4031);
            assertThat(packets.get(0).message()).contains("inactivity").contains("300ms");
            ScriptedHandlerFactory.Handler h = server.handlers.last();
            await().atMost(Duration.ofSeconds(30)).until(() -> h.closes.get() == 1);
        }
    }

    @Test
    void clientsThatDoNotAuthenticateInTimeAreDropped() throws Exception {
        try (TestServer server = TestServer.start(TestServer.config().withHandshakeTimeout(Duration.ofMillis(300)));
                RawClient c = new RawClient(server.port())) {
            c.greeting();
            assertThat(c.readUntilClosed()).isEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    server.counter("tessera_gate_connections_refused", "reason", "handshake_timeout") == 1);
            assertThat(server.handlers.opened).isEmpty();
        }
    }

    @Test
    void closeEndsEverySessionAndClosesEveryHandler() throws Exception {
        TestServer server = TestServer.start();
        Connection a = server.mariadb("");
        Connection b = server.mysql("useServerPrepStmts=true");
        Connection busy = server.mariadb("");
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
                try (Statement st = busy.createStatement()) {
                    st.execute("sleep");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, executor);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.handlers.statements.contains("sleep"));
            assertThat(server.server.connectionCount()).isEqualTo(3);
            server.close();
            assertThat(server.handlers.opened).hasSize(3);
            assertThat(server.handlers.opened).allSatisfy(h -> assertThat(h.closes.get()).isEqualTo(1));
            assertThat(server.server.connectionCount()).isZero();
            assertThatThrownBy(() -> sleeping.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(a.isValid(5)).isFalse();
            assertThat(b.isValid(5)).isFalse();
        } finally {
            a.close();
            b.close();
            busy.close();
        }
    }

    @Test
    void aTakenPortFailsTheStartAndTheRegistryStaysUsable() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        int port = FreePorts.next();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            MysqlServer server = new MysqlServer(TestServer.config().withBindAddress("127.0.0.1", port),
                    new NoneAuthServer(), new ScriptedHandlerFactory(), registry);
            assertThatThrownBy(server::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
            server.close();
        }
        try (TestServer again = new TestServer(TestServer.config().withBindAddress("127.0.0.1", port),
                new NoneAuthServer(), registry)) {
            assertThat(again.port()).isEqualTo(port);
            try (Connection c = again.mariadb("")) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void aServerStartsOnce() {
        try (TestServer server = TestServer.start()) {
            assertThatThrownBy(server.server::start).isInstanceOf(IllegalStateException.class);
        }
    }
}
