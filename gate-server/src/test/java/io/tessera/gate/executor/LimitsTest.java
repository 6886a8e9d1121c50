package io.tessera.gate.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Query timeouts and the in-memory row limit. */
class LimitsTest {
    @Test
    void aTimeoutCommentInterruptsAStatementThatHangs() {
        FakeGateway g = FakeGateway.standard().blockOn("SLEEP(");
        ExecutorFixture f = new ExecutorFixture(g).target("commerce");
        // Warm up the same path, so that the deadline is not spent loading classes before the tablet is called.
        f.exec("SELECT /*+ QUERY_TIMEOUT_MS=60000 */ 1 FROM t");
        TesseraException e = f.fails("SELECT /*+ QUERY_TIMEOUT_MS=1000 */ SLEEP(100) FROM t");
        assertThat(e.kind()).isEqualTo(ErrorKind.QUERY_TIMEOUT);
        assertThat(e.mysqlErrno()).isEqualTo(1317);
        assertThat(e.getMessage()).contains("1000ms");
        org.awaitility.Awaitility.await().until(g::wasInterrupted);
        // The tablet was told how long it had.
        assertThat(f.gateway.lastCall().options().hasAuthoritativeTimeout()).isTrue();
        assertThat(f.gateway.lastCall().options().getAuthoritativeTimeout()).isBetween(1L, 1000L);
    }

    @Test
    void aStreamPastItsDeadlineFailsAndDeliversNothingMore() {
        FakeGateway g = FakeGateway.standard().blockOn("SLEEP(");
        ExecutorFixture f = new ExecutorFixture(g).target("commerce");
        List<io.tessera.proto.query.QueryResult> chunks = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.executor.streamExecute(f.session, f.caller, "SELECT /*+ QUERY_TIMEOUT_MS=60000 */ 1 FROM t",
                java.util.Map.of(), chunks::add);
        assertThat(chunks).isNotEmpty();
        chunks.clear();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.executor.streamExecute(f.session, f.caller,
                "SELECT /*+ QUERY_TIMEOUT_MS=1000 */ SLEEP(100) FROM t", java.util.Map.of(), chunks::add))
                .isInstanceOfSatisfying(TesseraException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.QUERY_TIMEOUT));
        org.awaitility.Awaitility.await().until(g::wasInterrupted);
        assertThat(chunks).isEmpty();
    }

    @Test
    void theSessionAndTheConfigSetTimeoutsToo() {
        FakeGateway g = FakeGateway.standard().blockOn("SLEEP(");
        ExecutorFixture f = new ExecutorFixture(g, ExecutorConfig.defaults().withQueryTimeout(Duration.ofMillis(40)))
                .target("commerce");
        assertThat(f.fails("SELECT SLEEP(100) FROM t").kind()).isEqualTo(ErrorKind.QUERY_TIMEOUT);
        f.exec("SET query_timeout = 30");
        TesseraException e = f.fails("SELECT SLEEP(100) FROM t");
        assertThat(e.getMessage()).contains("30ms");
        // A comment of 0 turns the timeout off: the fast statement runs without a deadline.
        f.exec("SELECT /*+ QUERY_TIMEOUT_MS=0 */ 1 FROM t");
        assertThat(f.gateway.lastCall().options().hasAuthoritativeTimeout()).isFalse();
    }

    @Test
    void statementsWithoutTimeoutRunOnTheCallersThread() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");
        Thread caller = Thread.currentThread();
        List<Thread> seen = new ArrayList<>();
        f.gateway.respond(c -> {
            seen.add(Thread.currentThread());
            return null;
        });
        f.exec("DO 1");
        assertThat(seen).containsExactly(caller);
        assertThat(f.gateway.lastCall().options().hasAuthoritativeTimeout()).isFalse();
    }

    @Test
    void resultsLargerThanTheRowLimitFail() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            rows.add(List.of(Integer.toString(i)));
        }
        FakeGateway g = FakeGateway.standard().answer("SELECT id FROM t", FakeGateway.rows(List.of("id"), rows))
                .answer("SELECT id FROM t LIMIT 10", FakeGateway.rows(List.of("id"), rows.subList(0, 10)));
        ExecutorFixture f = new ExecutorFixture(g, ExecutorConfig.defaults().withMaxMemoryRows(10)).target("commerce");
        TesseraException e = f.fails("SELECT id FROM t");
        assertThat(e.kind()).isEqualTo(ErrorKind.RESULT_ROWS_EXCEEDED);
        assertThat(e.getMessage()).contains("10");
        assertThat(f.exec("SELECT id FROM t LIMIT 10").getRowsCount()).isEqualTo(10);
    }
}
