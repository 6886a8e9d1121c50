package io.tessera.gate.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.auth.NoneAuthServer;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Row;
import io.tessera.proto.query.Type;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Commands the event loop runs itself ({@link AsyncCommands}): answered from the handler's future, handed back to
 * the session thread when the handler declines (at once or after starting), errors as ERR packets, one command at a
 * time even when the client pipelines, and the idle timeout counted from the end of the last such command.
 *
 * <p>Which path a command takes is opportunistic: one that arrives before the session thread is back waiting (right
 * after a command it ran) runs there. So the scripted handler answers every command the same on both paths, and a
 * test that needs the event loop first runs commands until one went that way ({@link #untilOnEventLoop}): from then
 * on the session thread waits, and every command the handler can start is started.
 */
class MysqlServerAsyncTest {
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final AsyncHandlers handlers = new AsyncHandlers(later);
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private MysqlServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        later.shutdownNow();
    }

    private int start(MysqlServerConfig config) {
        server = new MysqlServer(config, new NoneAuthServer(), handlers, registry);
        server.start();
        return server.port();
    }

    private Connection mariadb(int port, String options) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/ks?user=app&password=x&" + options);
    }

    @Test
    void queriesAndPreparedStatementsAreAnsweredFromTheEventLoop() throws Exception {
        int port = start(TestServer.config());
        try (Connection c = mariadb(port, "useServerPrepStmts=true"); Statement st = c.createStatement()) {
            untilOnEventLoop(() -> {
                try (ResultSet rs = st.executeQuery("fast 1")) {
                    assertThat(values(rs)).containsExactly("fast-1");
                }
            });
            int before = handlers.started.get();
            try (ResultSet rs = st.executeQuery("fast 3")) {
                assertThat(values(rs)).containsExactly("fast-1", "fast-2", "fast-3");
            }
            assertThat(handlers.started.get() - before).isEqualTo(1);
            assertThat(handlers.blocking).doesNotContain("fast 3");
            try (PreparedStatement ps = c.prepareStatement("echo ?")) {
                // COM_STMT_PREPARE is always the session thread's, so the first execute may find it busy.
                untilOnEventLoop(() -> {
                    ps.setString(1, "hello");
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(values(rs)).containsExactly("hello");
                    }
                });
                int executes = handlers.started.get();
                ps.setString(1, "again");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(values(rs)).containsExactly("again");
                }
                assertThat(handlers.started.get() - executes).isEqualTo(1);
            }
        }
    }

    @Test
    void declinedCommandsRunOnTheSessionThread() throws Exception {
        int port = start(TestServer.config());
        try (Connection c = mariadb(port, ""); Statement st = c.createStatement()) {
            untilOnEventLoop(() -> st.executeQuery("fast 1").close());
            // Declined before starting, and declined after starting (the statement did not run after all).
            try (ResultSet rs = st.executeQuery("slow 2")) {
                assertThat(values(rs)).containsExactly("slow-1", "slow-2");
            }
            untilOnEventLoop(() -> st.executeQuery("fast 1").close());
            int before = handlers.started.get();
            try (ResultSet rs = st.executeQuery("retry 1")) {
                assertThat(values(rs)).containsExactly("retry-1");
            }
            assertThat(handlers.started.get() - before).isEqualTo(1);
            assertThat(handlers.blocking).contains("slow 2", "retry 1");
            assertThat(eventLoopCommands("handed_back")).isEqualTo(1);
            assertThat(eventLoopCommands("answered")).isEqualTo(handlers.started.get() - 1);
            try (ResultSet rs = st.executeQuery("fast 1")) {
                assertThat(values(rs)).containsExactly("fast-1");
            }
        }
    }

    @Test
    void failuresBecomeErrPacketsAndTheConnectionGoesOn() throws Exception {
        int port = start(TestServer.config());
        try (Connection c = mariadb(port, ""); Statement st = c.createStatement()) {
            untilOnEventLoop(() -> st.executeQuery("fast 1").close());
            int before = handlers.started.get();
            assertThatThrownBy(() -> st.executeQuery("fail")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(1064));
            assertThatThrownBy(() -> st.executeQuery("crash")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode()).isEqualTo(ErrorKind.INTERNAL.mysqlErrno()));
            try (ResultSet rs = st.executeQuery("fast 1")) {
                assertThat(values(rs)).containsExactly("fast-1");
            }
            assertThat(handlers.started.get() - before).isEqualTo(3);
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        int port = start(TestServer.config());
        try (RawClient c = new RawClient(port)) {
            assertThat(c.login("app", 0).isOk()).isTrue();
            // Commands first until one ran on the event loop: the session thread then surely waits when the batch
            // arrives.
            untilOnEventLoop(() -> fastOne(c));
            int before = handlers.started.get();
            // Three commands in one write: one the event loop runs (and answers late), then two that it must queue
            // behind it for the session thread.
            byte[] fast = frame(Protocol.COM_QUERY, "fast 2 delay".getBytes(StandardCharsets.UTF_8));
            byte[] slow = frame(Protocol.COM_QUERY, "slow 1".getBytes(StandardCharsets.UTF_8));
            byte[] ping = frame(Protocol.COM_PING, new byte[0]);
            c.writeRaw(RawClient.concat(fast, slow, ping));
            assertThat(columnCount(c.read())).isEqualTo(1);
            c.readUntilEnd(); // column definitions
            List<String> first = rowsUntilEnd(c);
            assertThat(first).containsExactly("fast-1", "fast-2");
            assertThat(columnCount(c.read())).isEqualTo(1);
            c.readUntilEnd();
            assertThat(rowsUntilEnd(c)).containsExactly("slow-1");
            assertThat(c.read().isOk()).isTrue();
            assertThat(handlers.started.get() - before).isEqualTo(1);
            assertThat(handlers.blocking).contains("slow 1");
        }
    }

    @Test
    void theIdleTimeoutCountsFromTheEndOfTheLastCommand() throws Exception {
        int port = start(TestServer.config().withIdleTimeout(Duration.ofMillis(400)));
        try (RawClient c = new RawClient(port)) {
            assertThat(c.login("app", 0).isOk()).isTrue();
            untilOnEventLoop(() -> fastOne(c));
            int before = handlers.started.get();
            // Longer than the idle timeout in flight, then shorter gaps than it between commands.
            c.query("fast 1 delay 900");
            c.readUntilEnd();
            assertThat(rowsUntilEnd(c)).containsExactly("fast-1");
            for (int i = 0; i < 3; i++) {
                Thread.sleep(200);
                fastOne(c);
            }
            assertThat(handlers.started.get() - before).isEqualTo(4);
            List<RawClient.Packet> last = c.readUntilClosed();
            assertThat(last).hasSize(1);
            assertThat(last.getFirst().errno()).isEqualTo(4031);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> handlers.closed.get() == 1);
    }

    private double eventLoopCommands(String outcome) {
        for (MetricSnapshot m : registry.scrape()) {
            if (m instanceof CounterSnapshot c
                    && c.getMetadata().getName().equals("tessera_gate_event_loop_commands")) {
                return c.getDataPoints().stream().filter(d -> outcome.equals(d.getLabels().get("outcome")))
                        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
            }
        }
        return 0;
    }

    /** Something a test does over and over. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs {@code step} (a command the handler starts) until one run went through the event loop; a few tries at
     * most, since only the first can find the session thread not yet back waiting.
     */
    private void untilOnEventLoop(Step step) throws Exception {
        for (int i = 0; i < 50; i++) {
            int before = handlers.started.get();
            step.run();
            if (handlers.started.get() > before) {
                return;
            }
        }
        throw new AssertionError("no command ran on the event loop in 50 tries");
    }

    /** Sends {@code fast 1} and checks its answer. */
    private static void fastOne(RawClient c) throws Exception {
        c.query("fast 1");
        c.readUntilEnd();
        assertThat(rowsUntilEnd(c)).containsExactly("fast-1");
    }

    private static byte[] frame(int command, byte[] body) {
        byte[] payload = RawClient.concat(new byte[] {(byte) command}, body);
        return new PacketBuilder().int3(payload.length).int1(0).bytes(payload).toByteArray();
    }

    private static int columnCount(RawClient.Packet p) {
        assertThat(p.isErr()).as("error %s", p.isErr() ? p.message() : "").isFalse();
        return (int) p.reader().lenencInt();
    }

    /** The single text column of each row up to the end of the result set. */
    private static List<String> rowsUntilEnd(RawClient c) throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        while (true) {
            RawClient.Packet p = c.read();
            if (p.isErr() || (p.first() == 0xfe && p.payload().length < 9)) {
                return out;
            }
            out.add(new String(p.reader().lenencBytes(), StandardCharsets.UTF_8));
        }
    }

    private static List<String> values(ResultSet rs) throws SQLException {
        List<String> out = new CopyOnWriteArrayList<>();
        while (rs.next()) {
            out.add(rs.getString(1));
        }
        return out;
    }

    /**
     * Handlers that start {@code fast N [delay [MS]]} (N rows, answered from another thread, after MS (default
     * 100) milliseconds with {@code delay}), {@code echo ?} (the parameter), {@code fail} (error 1064) and
     * {@code crash} (an unexpected exception); decline {@code slow N} before starting and {@code retry N} after;
     * and answer everything on the blocking path too, the same way (without the delays).
     */
    private static final class AsyncHandlers implements ConnectionHandlerFactory {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final List<String> blocking = new CopyOnWriteArrayList<>();
        private final ScheduledExecutorService later;

        AsyncHandlers(ScheduledExecutorService later) {
            this.later = later;
        }

        @Override
        public ConnectionHandler open(ClientConnection client) {
            return new ConnectionHandler() {
                @Override
                public CompletableFuture<QueryResult> start(String sql, List<BindVariable> parameters) {
                    String[] words = sql.split(" ");
                    if (!words[0].matches("fast|echo|fail|crash|retry")) {
                        return null;
                    }
                    CompletableFuture<QueryResult> out = new CompletableFuture<>();
                    long delay = words[0].equals("fast") && words.length > 2
                            ? (words.length > 3 ? Long.parseLong(words[3]) : 100) : 0;
                    started.incrementAndGet();
                    later.schedule(() -> {
                        if (words[0].equals("retry")) {
                            out.complete(null);
                            return;
                        }
                        try {
                            out.complete(outcome(sql, parameters));
                        } catch (RuntimeException e) {
                            out.completeExceptionally(e);
                        }
                    }, delay, TimeUnit.MILLISECONDS);
                    return out;
                }

                @Override
                public void query(String sql, ResultSink sink) {
                    blocking.add(sql);
                    sink.accept(outcome(sql, null), false);
                }

                @Override
                public void useDatabase(String database) {
                }

                @Override
                public List<Field> fieldList(String table, String wildcard) {
                    return List.of();
                }

                @Override
                public PreparedMetadata prepare(String sql) {
                    return new PreparedMetadata((int) sql.chars().filter(ch -> ch == '?').count(),
                            List.of(column()));
                }

                @Override
                public QueryResult executePrepared(String sql, List<BindVariable> parameters) {
                    blocking.add(sql);
                    return outcome(sql, parameters);
                }

                @Override
                public void reset() {
                }

                @Override
                public void changeUser(AuthenticatedUser user, String database) {
                }

                @Override
                public boolean inTransaction() {
                    return false;
                }

                @Override
                public boolean autocommit() {
                    return true;
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }

        /** What {@code sql} gives, on either path. */
        private static QueryResult outcome(String sql, List<BindVariable> parameters) {
            String[] words = sql.split(" ");
            return switch (words[0]) {
                case "echo" -> single(parameters.getFirst().getValue().toStringUtf8());
                case "fail" -> throw TesseraException.of(ErrorKind.SYNTAX_ERROR, "near 'fail'");
                case "crash" -> throw new IllegalStateException("crash");
                default -> words.length >= 2 && words[1].matches("\\d+") ? rows(words[0], Integer.parseInt(words[1]))
                        : QueryResult.getDefaultInstance();
            };
        }

        private static Field column() {
            return Field.newBuilder().setName("v").setType(Type.VARCHAR).build();
        }

        private static QueryResult rows(String prefix, int n) {
            QueryResult.Builder b = QueryResult.newBuilder().addFields(column());
            for (int i = 1; i <= n; i++) {
                b.addRows(row(prefix + "-" + i));
            }
            return b.build();
        }

        private static QueryResult single(String value) {
            return QueryResult.newBuilder().addFields(column()).addRows(row(value)).build();
        }

        private static Row row(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            return Row.newBuilder().addLengths(bytes.length)
                    .setValues(com.google.protobuf.ByteString.copyFrom(bytes)).build();
        }
    }
}
