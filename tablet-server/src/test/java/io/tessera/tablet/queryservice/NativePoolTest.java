package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tessera.tablet.mysqlclient.NativeConnection;
import io.tessera.tablet.mysqlclient.NativeFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native pool's idle timeout against a real MariaDB: connections unused that long are closed (on mysqld too),
 * a connection in use is not, and the pool opens connections again when statements come back.
 */
class NativePoolTest {
    private static final Duration IDLE = Duration.ofMillis(600);
    private static final Duration WAIT = Duration.ofSeconds(30);

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
    void connectionsUnusedForTheIdleTimeoutAreClosedAndStatementsOpenNewOnes() {
        try (NativePool pool = pool(IDLE)) {
            pool.fill();
            await().atMost(WAIT).until(() -> pool.openCount() == 2);
            assertThat(appConnections()).isEqualTo(2);

            await().atMost(WAIT).until(() -> pool.openCount() == 0);
            await().atMost(WAIT).until(() -> appConnections() == 0);

            // The next statement finds none free (and runs elsewhere), and the pool opens one for the ones after.
            assertThat(onLoop(pool::take)).isNull();
            await().atMost(WAIT).until(() -> pool.openCount() == 1);
            NativeConnection c = onLoop(pool::take);
            assertThat(c).isNotNull();
            assertThat(c.isUsable()).isTrue();
            onLoop(() -> {
                pool.give(c);
                return null;
            });
        }
    }

    @Test
    void aConnectionInUseStaysOpenAndItsIdleTimeStartsWhenItIsGivenBack() throws InterruptedException {
        Duration idle = Duration.ofSeconds(2);
        try (NativePool pool = pool(idle)) {
            pool.fill();
            await().atMost(WAIT).until(() -> pool.openCount() == 2);
            NativeConnection held = onLoop(pool::take);
            assertThat(held).isNotNull();

            // The free one goes; the one in use stays however long it is held.
            await().atMost(WAIT).until(() -> pool.openCount() == 1);
            TimeUnit.MILLISECONDS.sleep(idle.toMillis() * 2);
            assertThat(pool.openCount()).isEqualTo(1);
            assertThat(held.isUsable()).isTrue();

            // Given back after more than the timeout, it is free for a whole timeout again (checked every 200 ms,
            // it would be gone by now if its idle time had started at the take).
            onLoop(() -> {
                pool.give(held);
                return null;
            });
            TimeUnit.MILLISECONDS.sleep(idle.toMillis() / 4);
            assertThat(pool.openCount()).isEqualTo(1);
            assertThat(held.isUsable()).isTrue();
            await().atMost(WAIT).until(() -> pool.openCount() == 0);
            assertThat(held.isUsable()).isFalse();
        }
    }

    @Test
    void withoutAnIdleTimeoutConnectionsStayOpen() throws InterruptedException {
        try (NativePool pool = pool(Duration.ZERO)) {
            pool.fill();
            await().atMost(WAIT).until(() -> pool.openCount() == 2);
            TimeUnit.MILLISECONDS.sleep(IDLE.toMillis() * 2);
            assertThat(pool.openCount()).isEqualTo(2);
        }
        await().atMost(WAIT).until(() -> appConnections() == 0);
    }

    @Test
    void refusesANegativeIdleTimeout() {
        assertThatThrownBy(() -> pool(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idleTimeout");
    }

    private static NativePool pool(Duration idleTimeout) {
        return new NativePool(fixture.connector, List.of(fixture.loop), 2, 0, idleTimeout);
    }

    /** The app user's connections mysqld has open now. */
    private static int appConnections() {
        return Integer.parseInt(NativeFixture.jdbcRow(fixture.mysqld.dba(),
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '"
                        + fixture.app().user().user() + "'").getFirst());
    }

    private static <T> T onLoop(Supplier<T> call) {
        try {
            return fixture.loop.submit(call::get).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
