package io.tessera.gate.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.ExecuteOptions.TransactionAccessMode;
import io.tessera.proto.query.ExecuteOptions.TransactionIsolation;
import io.tessera.proto.vtgate.TransactionMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BEGIN, COMMIT, ROLLBACK, autocommit, implicit commits and savepoints. */
class TransactionsTest {
    private final ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");

    @Test
    void aTransactionOpensLazilyAndStaysPinnedToItsTablet() {
        f.exec("BEGIN");
        assertThat(f.session.getInTransaction()).isTrue();
        assertThat(f.gateway.calls()).isEmpty();

        f.exec("INSERT INTO t VALUES (1)");
        FakeGateway.Call begin = f.gateway.lastCall();
        assertThat(begin.method()).isEqualTo("beginExecute");
        assertThat(begin.pinned()).isFalse();
        assertThat(f.session.getShardSessionsCount()).isEqualTo(1);
        long tx = f.session.getShardSessions(0).getTransactionId();
        assertThat(tx).isNotZero();
        assertThat(f.session.getShardSessions(0).getTabletAlias()).isEqualTo(f.gateway.aliasOf("commerce", "0",
                io.tessera.proto.topodata.TabletType.PRIMARY));

        f.exec("UPDATE t SET v = 2");
        f.exec("SELECT * FROM t");
        assertThat(f.gateway.calls().subList(1, 3)).allSatisfy(c -> {
            assertThat(c.method()).isEqualTo("execute");
            assertThat(c.pinned()).isTrue();
            assertThat(c.transactionId()).isEqualTo(tx);
        });

        f.exec("COMMIT");
        assertThat(f.gateway.lastCall().method()).isEqualTo("commit");
        assertThat(f.gateway.lastCall().transactionId()).isEqualTo(tx);
        assertThat(f.session.getInTransaction()).isFalse();
        assertThat(f.session.getShardSessionsList()).isEmpty();
        assertThat(f.gateway.openTransactions()).isZero();

        f.exec("SELECT 1 FROM t");
        assertThat(f.gateway.lastCall().method()).isEqualTo("execute");
        assertThat(f.gateway.lastCall().transactionId()).isZero();
    }

    @Test
    void rollbackEndsTheTransactionAndNeverSendsText() {
        f.exec("START TRANSACTION");
        f.exec("DELETE FROM t");
        f.exec("ROLLBACK");
        assertThat(f.gateway.lastCall().method()).isEqualTo("rollback");
        assertThat(f.gateway.statements()).containsExactly("DELETE FROM t");
        assertThat(f.session.getInTransaction()).isFalse();
        assertThat(f.gateway.openTransactions()).isZero();
        // COMMIT or ROLLBACK with nothing open does nothing.
        f.exec("COMMIT");
        f.exec("ROLLBACK");
        assertThat(f.gateway.calls()).hasSize(2);
    }

    @Test
    void beginCommitsAnOpenTransactionFirst() {
        f.exec("BEGIN");
        f.exec("INSERT INTO t VALUES (1)");
        long first = f.session.getShardSessions(0).getTransactionId();
        f.exec("BEGIN");
        assertThat(f.gateway.lastCall().method()).isEqualTo("commit");
        assertThat(f.gateway.lastCall().transactionId()).isEqualTo(first);
        assertThat(f.session.getInTransaction()).isTrue();
        f.exec("INSERT INTO t VALUES (2)");
        assertThat(f.gateway.lastCall().method()).isEqualTo("beginExecute");
        assertThat(f.session.getShardSessions(0).getTransactionId()).isNotEqualTo(first);
    }

    @Test
    void ddlCommitsTheTransactionThenRunsOnItsOwn() {
        f.exec("BEGIN");
        f.exec("INSERT INTO t VALUES (1)");
        f.exec("CREATE TABLE u (id INT PRIMARY KEY)");
        List<FakeGateway.Call> calls = f.gateway.calls();
        assertThat(calls).extracting(FakeGateway.Call::method).containsExactly("beginExecute", "commit", "execute");
        assertThat(calls.get(2).transactionId()).isZero();
        assertThat(f.session.getInTransaction()).isFalse();
        // A temporary table does not commit: it joins the transaction, on a reserved connection.
        f.exec("BEGIN");
        f.exec("INSERT INTO t VALUES (2)");
        f.exec("CREATE TEMPORARY TABLE tmp (id INT)");
        assertThat(f.gateway.lastCall().method()).isEqualTo("reserveExecute");
        assertThat(f.gateway.lastCall().transactionId()).isEqualTo(f.session.getShardSessions(0).getTransactionId());
        assertThat(f.session.getInTransaction()).isTrue();
        assertThat(f.session.getInReservedConn()).isTrue();
    }

    @Test
    void autocommitOffOpensATransactionWithTheFirstStatement() {
        f.exec("SET autocommit = 0");
        assertThat(f.session.getAutocommit()).isFalse();
        assertThat(f.session.getInTransaction()).isFalse();
        f.exec("INSERT INTO t VALUES (1)");
        assertThat(f.gateway.lastCall().method()).isEqualTo("beginExecute");
        assertThat(f.session.getInTransaction()).isTrue();
        f.exec("COMMIT");
        assertThat(f.session.getInTransaction()).isFalse();
        f.exec("INSERT INTO t VALUES (2)");
        assertThat(f.gateway.lastCall().method()).isEqualTo("beginExecute");
        // SET autocommit = 1 commits what is open.
        f.exec("SET autocommit = 1");
        assertThat(f.gateway.lastCall().method()).isEqualTo("commit");
        assertThat(f.session.getAutocommit()).isTrue();
        assertThat(f.session.getInTransaction()).isFalse();
        assertThat(f.gateway.openTransactions()).isZero();
    }

    @Test
    void startTransactionCharacteristicsGoWithTheBegin() {
        f.exec("START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT");
        f.exec("SELECT * FROM t");
        assertThat(f.gateway.lastCall().options().getTransactionAccessModeList())
                .containsExactly(TransactionAccessMode.READ_ONLY, TransactionAccessMode.CONSISTENT_SNAPSHOT);
        f.exec("COMMIT");
        assertThat(f.session.getOptions().getTransactionAccessModeList()).isEmpty();
        f.exec("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
        f.exec("BEGIN");
        f.exec("SELECT * FROM t");
        assertThat(f.gateway.lastCall().options().getTransactionIsolation())
                .isEqualTo(TransactionIsolation.READ_COMMITTED);
        assertThat(f.gateway.lastCall().options().getTransactionAccessModeList()).isEmpty();
    }

    @Test
    void commitAndChainStartsTheNextTransaction() {
        f.exec("BEGIN");
        f.exec("INSERT INTO t VALUES (1)");
        f.exec("COMMIT AND CHAIN");
        assertThat(f.session.getInTransaction()).isTrue();
        f.exec("INSERT INTO t VALUES (2)");
        assertThat(f.gateway.lastCall().method()).isEqualTo("beginExecute");
    }

    @Test
    void savepointsAreSentAndReplayedWhereTheTransactionGoesLater() {
        f.exec("SAVEPOINT outside"); // autocommit: nothing to mark
        assertThat(f.gateway.calls()).isEmpty();
        assertThat(f.session.getSavepointsList()).isEmpty();

        f.exec("BEGIN");
        f.exec("SAVEPOINT a");
        assertThat(f.gateway.calls()).isEmpty();
        f.exec("INSERT INTO t VALUES (1)");
        // BeginExecute cannot carry statements after BEGIN: begin, replay, run.
        assertThat(f.gateway.calls()).extracting(FakeGateway.Call::method)
                .containsExactly("begin", "execute", "execute");
        assertThat(f.gateway.statements()).containsExactly("SAVEPOINT a", "INSERT INTO t VALUES (1)");
        f.exec("SAVEPOINT b");
        f.exec("ROLLBACK TO SAVEPOINT a");
        f.exec("RELEASE SAVEPOINT a");
        assertThat(f.gateway.statements()).endsWith("SAVEPOINT b", "ROLLBACK TO SAVEPOINT a", "RELEASE SAVEPOINT a");
        assertThat(f.session.getSavepointsList()).containsExactly("SAVEPOINT a", "SAVEPOINT b",
                "ROLLBACK TO SAVEPOINT a", "RELEASE SAVEPOINT a");
        f.exec("COMMIT");
        assertThat(f.session.getSavepointsList()).isEmpty();
    }

    @Test
    void savepointsReachANewReservedConnectionAfterBegin() {
        f.exec("SET foreign_key_checks = 0");
        f.gateway.closeConnectionsOf(f.session.getShardSessions(0).getTabletAlias());
        f.session.clearShardSessions();
        f.exec("BEGIN");
        f.exec("SAVEPOINT s1");
        f.exec("INSERT INTO t VALUES (1)");
        FakeGateway.Call c = f.gateway.lastCall();
        assertThat(c.method()).isEqualTo("reserveBeginExecute");
        assertThat(c.preQueries()).containsExactly("SET @@session.foreign_key_checks = 0");
        assertThat(c.postBeginQueries()).containsExactly("SAVEPOINT s1");
    }

    @Test
    void singleModeRefusesASecondShardAndMultiCommitsBoth() {
        f.exec("BEGIN");
        f.exec("INSERT INTO t VALUES (1)");
        TesseraException e = f.fails("INSERT INTO customer.c VALUES (1)");
        assertThat(e.kind()).isEqualTo(ErrorKind.UNIMPLEMENTED);
        assertThat(e.getMessage()).contains("transaction_mode");
        assertThat(f.session.getInTransaction()).isTrue();
        f.exec("SET transaction_mode = 'multi'");
        assertThat(f.session.getTransactionMode()).isEqualTo(TransactionMode.MULTI);
        f.exec("INSERT INTO customer.c VALUES (1)");
        assertThat(f.session.getShardSessionsCount()).isEqualTo(2);
        f.exec("COMMIT");
        assertThat(f.gateway.calls().stream().filter(c -> c.method().equals("commit")).count()).isEqualTo(2);
        assertThat(f.gateway.openTransactions()).isZero();
    }

    @Test
    void aLostTransactionEndsTheSessionsTransaction() {
        f.exec("BEGIN");
        f.exec("INSERT INTO t VALUES (1)");
        f.gateway.closeConnectionsOf(f.session.getShardSessions(0).getTabletAlias());
        TesseraException e = f.fails("INSERT INTO t VALUES (2)");
        assertThat(e.kind()).isEqualTo(ErrorKind.TX_NOT_FOUND);
        assertThat(f.session.getInTransaction()).isFalse();
        assertThat(f.session.getShardSessionsList()).isEmpty();
        f.exec("INSERT INTO t VALUES (3)");
        assertThat(f.gateway.lastCall().method()).isEqualTo("execute");
    }

    @Test
    void aDeadlockEndsTheTransaction() {
        f.gateway.fail("UPDATE t SET v = 1", TesseraException.mysql(1213, "40001", "Deadlock found", null));
        f.exec("BEGIN");
        f.exec("SELECT * FROM t FOR UPDATE");
        TesseraException e = f.fails("UPDATE t SET v = 1");
        assertThat(e.mysqlErrno()).isEqualTo(1213);
        assertThat(f.session.getInTransaction()).isFalse();
        assertThat(f.session.getShardSessionsList()).isEmpty();
    }

    @Test
    void aFailingStatementKeepsTheTransactionOpen() {
        f.gateway.fail("INSERT INTO t VALUES (1)", TesseraException.mysql(1062, "23000", "Duplicate entry", null));
        f.exec("BEGIN");
        TesseraException e = f.fails("INSERT INTO t VALUES (1)");
        assertThat(e.mysqlErrno()).isEqualTo(1062);
        // BeginExecute opened the transaction before the statement failed: it is kept, to be rolled back.
        assertThat(f.session.getShardSessionsCount()).isEqualTo(1);
        assertThat(f.session.getInTransaction()).isTrue();
        f.exec("ROLLBACK");
        assertThat(f.gateway.openTransactions()).isZero();
    }

    @Test
    void closingTheSessionGivesEverythingBack() {
        f.exec("SET sql_safe_updates = 1");
        f.exec("BEGIN");
        f.exec("INSERT INTO t VALUES (1)");
        assertThat(f.gateway.reservedConnections()).isEqualTo(1);
        f.executor.closeSession(f.session, f.caller);
        assertThat(f.gateway.lastCall().method()).isEqualTo("release");
        assertThat(f.gateway.openTransactions()).isZero();
        assertThat(f.gateway.reservedConnections()).isZero();
        assertThat(f.session.getShardSessionsList()).isEmpty();
        assertThat(f.session.getInTransaction()).isFalse();
        assertThat(f.session.getInReservedConn()).isFalse();
    }
}
