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
    void insideATransactionOnlyStatementsOnItsOneShardSessionStart() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");
        f.exec("BEGIN"); // only marks the session
        assertThat(f.startedStatements).isEqualTo(1);
        f.exec("SELECT * FROM product"); // opens the transaction on the tablet: BeginExecute, the blocking way
        assertThat(f.startedStatements).isEqualTo(1);
        assertThat(f.gateway.lastCall().method()).isEqualTo("beginExecute");
        long transaction = f.session.getShardSessions(0).getTransactionId();
        f.exec("UPDATE product SET price = 2");
        assertThat(f.startedStatements).isEqualTo(2);
        FakeGateway.Call c = f.gateway.lastCall();
        assertThat(c.method()).isEqualTo("execute");
        assertThat(c.pinned()).isTrue();
        assertThat(c.transactionId()).isEqualTo(transaction);
        f.exec("COMMIT");
        assertThat(f.startedStatements).isEqualTo(2);
        assertThat(f.gateway.lastCall().method()).isEqualTo("commit");
        assertThat(f.session.getInTransaction()).isFalse();
        assertThat(f.session.getShardSessionsCount()).isZero();
    }

    @Test
    void aDeadlockInsideTheTransactionEndsItAsOnTheBlockingPath() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()
                .fail("UPDATE product SET price = 3", TesseraException.mysql(1213, "40001", "Deadlock found", null)))
                .target("commerce");
        f.exec("BEGIN");
        f.exec("SELECT * FROM product");
        int before = f.startedStatements;
        assertThat(f.fails("UPDATE product SET price = 3").mysqlErrno()).isEqualTo(1213);
        assertThat(f.startedStatements - before).isEqualTo(1);
        // MySQL rolled the transaction back: the session is out of it and holds nothing.
        assertThat(f.session.getInTransaction()).isFalse();
        assertThat(f.session.getShardSessionsCount()).isZero();
    }

    @Test
    void statementsThatNeedMoreThanOneCallOrAThreadToWaitOnTakeTheBlockingPath() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");
        f.exec("SET autocommit = 1");
        f.exec("SELECT /*+ QUERY_TIMEOUT_MS=5000 */ * FROM product");
        f.exec("SET foreign_key_checks = 0"); // lives on a reserved connection from now on
        assertThat(f.session.getInReservedConn()).isTrue();
        f.exec("SELECT * FROM product", Map.of());
        assertThat(f.gateway.lastCall().pinned()).isTrue();
        f.exec("BEGIN");
        f.exec("SELECT * FROM product");
        f.exec("SELECT * FROM product");
        f.exec("COMMIT");
        assertThat(f.startedStatements).isEqualTo(1); // BEGIN
    }
}
