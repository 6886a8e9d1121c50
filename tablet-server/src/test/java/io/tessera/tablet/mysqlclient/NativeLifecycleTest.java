package io.tessera.tablet.mysqlclient;

import static io.tessera.tablet.mysqlclient.NativeFixture.await;
import static io.tessera.tablet.mysqlclient.NativeFixture.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills, closes and misuse: what a connection does when its statement or itself goes away. */
class NativeLifecycleTest {
    private static final String SLEEP = "SELECT SLEEP(5)";

    @TempDir
    static Path root;

    private static NativeFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new NativeFixture(root);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void killingTheConnectionFailsTheStatementAndClosesIt() throws Exception {
        NativeConnection c = fixture.connect();
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Boolean> onLoop = new AtomicReference<>();
        c.onClose(() -> {
            onLoop.set(c.loop().inEventLoop());
            closed.countDown();
        });
        CompletableFuture<NativeResult> sleeping = fixture.onLoop(() -> c.query(SLEEP));
        awaitRunning(c.connectionId());
        dba("KILL " + c.connectionId());
        assertThatThrownBy(() -> await(sleeping))
                .isInstanceOfSatisfying(NativeConnectionException.class,
                        e -> assertThat(e.responseStarted()).isFalse())
                .hasMessageContaining("closed");
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(onLoop.get()).isTrue();
        assertThat(c.isUsable()).isFalse();
        // A listener added after the close still runs, once.
        CountDownLatch late = new CountDownLatch(1);
        c.onClose(late::countDown);
        assertThat(late.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> fixture.query(c, "SELECT 1")).isInstanceOf(NativeConnectionException.class);
    }

    @Test
    void killingTheQueryFailsItWith1317AndKeepsTheConnection() {
        NativeConnection c = fixture.connect();
        try {
            CompletableFuture<NativeResult> sleeping = fixture.onLoop(() -> c.query(SLEEP));
            awaitRunning(c.connectionId());
            dba("KILL QUERY " + c.connectionId());
            assertThatThrownBy(() -> await(sleeping))
                    .isInstanceOfSatisfying(MysqlServerException.class, e -> {
                        assertThat(e.errno()).isEqualTo(1317);
                        assertThat(e.sqlState()).isEqualTo("70100");
                    });
            assertThat(c.isUsable()).isTrue();
            assertThat(values(fixture.query(c, "SELECT 'still here'").rows().get(0)))
                    .containsExactly("still here");
        } finally {
            c.close();
        }
    }

    @Test
    void oneStatementAtATime() {
        NativeConnection c = fixture.connect();
        try {
            AtomicReference<Throwable> second = new AtomicReference<>();
            CompletableFuture<NativeResult> first = fixture.onLoop(() -> {
                CompletableFuture<NativeResult> f = c.query("SELECT 1");
                assertThat(c.isUsable()).isFalse();
                try {
                    c.query("SELECT 2");
                } catch (IllegalStateException e) {
                    second.set(e);
                }
                return f;
            });
            assertThat(second.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already has a statement in flight");
            assertThat(values(await(first).rows().get(0))).containsExactly("1");
            assertThat(c.isUsable()).isTrue();
            // Off the loop, query() refuses outright.
            assertThatThrownBy(() -> c.query("SELECT 3")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("event loop");
        } finally {
            c.close();
        }
    }

    @Test
    void aStatementCanBeSentFromTheCompletionOfThePreviousOne() {
        NativeConnection c = fixture.connect();
        try {
            AtomicInteger count = new AtomicInteger();
            NativeResult last = await(fixture.onLoop(() -> c.query("SELECT 1")
                    .thenCompose(r -> {
                        count.incrementAndGet();
                        return c.query("SELECT 2");
                    })
                    .thenCompose(r -> {
                        count.incrementAndGet();
                        return c.query("SELECT 3");
                    })));
            assertThat(count).hasValue(2);
            assertThat(values(last.rows().get(0))).containsExactly("3");
        } finally {
            c.close();
        }
    }

    @Test
    void closingWithAStatementInFlightFailsIt() throws Exception {
        NativeConnection c = fixture.connect();
        CountDownLatch closed = new CountDownLatch(1);
        c.onClose(closed::countDown);
        CompletableFuture<NativeResult> sleeping = fixture.onLoop(() -> c.query(SLEEP));
        awaitRunning(c.connectionId());
        c.close(); // from the test thread, not the loop
        assertThatThrownBy(() -> await(sleeping))
                .isInstanceOfSatisfying(NativeConnectionException.class,
                        e -> assertThat(e.responseStarted()).isFalse())
                .hasMessageContaining("closed by the client");
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(c.isUsable()).isFalse();
        c.close(); // twice is harmless
    }

    @Test
    void closingAnIdleConnectionEndsItsSessionOnMysqld() throws Exception {
        NativeConnection c = fixture.connect();
        CountDownLatch closed = new CountDownLatch(1);
        c.onClose(closed::countDown);
        assertThat(sessions(c.connectionId())).isEqualTo(1);
        c.close();
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> sessions(c.connectionId()) == 0);
    }

    private static void awaitRunning(long id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> "SELECT SLEEP(5)".equals(dbaString(
                "SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = " + id)));
    }

    private static int sessions(long id) {
        return Integer.parseInt(dbaString("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + id));
    }

    private static void dba(String sql) {
        fixture.dba(sql);
    }

    private static String dbaString(String sql) {
        try (Connection c = fixture.mysqld.dba().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
