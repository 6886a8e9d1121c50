package io.tessera.gate.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.topodata.TabletType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which statements {@link GateExecutor#start} takes without blocking, and that what it does with them is what
 * {@link GateExecutor#execute} would have done. (Every other executor test runs its statements through
 * {@link ExecutorFixture#exec}, which prefers the non-blocking start, so they all check the agreement too.)
 */
class EventLoopPathTest {

    @Test
    void aStatementOutsideTransactionsStartsWithoutBlockingAndIsRoutedCountedAndLogged() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()
                .answer("SELECT name FROM product", FakeGateway.rows(List.of("name"), List.of(List.of("pen")))))
                .target("commerce@replica");
        QueryResult r = f.exec("SELECT name FROM product");
        assertThat(FakeGateway.values(r)).containsExactly(List.of("pen"));
        assertThat(f.startedStatements).isEqualTo(1);
        FakeGateway.Call c = f.gateway.lastCall();
        assertThat(c.method()).isEqualTo("execute");
        assertThat(c.pinned()).isFalse();
        assertThat(c.target().getTabletType()).isEqualTo(TabletType.REPLICA);
        assertThat(c.transactionId()).isZero();
        assertThat(f.log).hasSize(1);
        assertThat(f.log.getFirst().statement()).isEqualTo("select");
        assertThat(f.log.getFirst().rows()).isEqualTo(1);
        assertThat(f.session.getFoundRows()).isEqualTo(1);
    }

    @Test
    void tabletErrorsComeBackAsTheBlockingPathWouldGiveThem() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()
                .fail("SELECT * FROM missing", TesseraException.mysql(1146, "42S02",
                        "Table 'vt_commerce.missing' doesn't exist", null)))
                .target("commerce");
        TesseraException e = f.fails("SELECT * FROM missing");
        assertThat(f.startedStatements).isEqualTo(1);
        assertThat(e.mysqlErrno()).isEqualTo(1146);
        // Database names are the client's, as on the blocking path.
        assertThat(e.getMessage()).contains("'commerce.missing'").doesNotContain("vt_commerce");
        assertThat(f.log).hasSize(1);
        assertThat(f.log.getFirst().error()).contains("1146");
    }

    @Test
    void statementsThatNeedMoreThanOneRoutedCallTakeTheBlockingPath() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");
        // Gate-only statements, transactions, deadlines and session-pinning statements.
        f.exec("SET autocommit = 1");
        f.exec("BEGIN");
        f.exec("SELECT * FROM product");
        f.exec("COMMIT");
        f.exec("SELECT /*+ QUERY_TIMEOUT_MS=5000 */ * FROM product");
        f.exec("SET foreign_key_checks = 0"); // lives on a reserved connection from now on
        assertThat(f.session.getInReservedConn()).isTrue();
        f.exec("SELECT * FROM product", Map.of());
        assertThat(f.startedStatements).isZero();
        assertThat(f.gateway.lastCall().pinned()).isTrue();
    }
}
