package io.tessera.gate.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.query.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reserved connections that the tablet closed under the session (a reparent). */
class ReservedConnectionTest {
    private final ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");

    @Test
    void outsideATransactionALostConnectionIsReservedAgainOnce() {
        f.exec("SET foreign_key_checks = 0");
        long first = f.session.getShardSessions(0).getReservedId();
        TabletAlias alias = f.session.getShardSessions(0).getTabletAlias();
        f.gateway.closeConnectionsOf(alias);
        f.gateway.clearCalls();

        f.exec("INSERT INTO child VALUES (1, 99)");
        assertThat(f.gateway.calls()).extracting(FakeGateway.Call::method)
                .containsExactly("execute", "reserveExecute");
        assertThat(f.gateway.calls().get(0).reservedId()).isEqualTo(first);
        FakeGateway.Call again = f.gateway.calls().get(1);
        assertThat(again.preQueries()).containsExactly("SET @@session.foreign_key_checks = 0");
        assertThat(again.sql()).isEqualTo("INSERT INTO child VALUES (1, 99)");
        long second = f.session.getShardSessions(0).getReservedId();
        assertThat(second).isNotEqualTo(first);
        assertThat(f.gateway.variablesOf(second)).containsEntry("foreign_key_checks", "0");
    }

    @Test
    void aTabletTheGatewayNoLongerKnowsCountsAsLost() {
        f.exec("SET foreign_key_checks = 0");
        f.session.setShardSessions(0, f.session.getShardSessions(0).toBuilder()
                .setTabletAlias(TabletAlias.newBuilder().setCell("zone1").setUid(999)));
        f.exec("SELECT * FROM t");
        assertThat(f.gateway.lastCall().method()).isEqualTo("reserveExecute");
    }

    @Test
    void theRetryHappensOnlyOnce() {
        f.exec("SET foreign_key_checks = 0");
        f.gateway.closeConnectionsOf(f.session.getShardSessions(0).getTabletAlias());
        f.gateway.fail("SELECT * FROM t", TesseraException.of(ErrorKind.RESERVED_CONN_NOT_FOUND, 1, "x"));
        TesseraException e = f.fails("SELECT * FROM t");
        assertThat(e.kind()).isEqualTo(ErrorKind.RESERVED_CONN_NOT_FOUND);
        assertThat(f.gateway.calls().stream().filter(c -> "SELECT * FROM t".equals(c.sql())).count()).isEqualTo(2);
    }

    @Test
    void insideATransactionTheTransactionIsGone() {
        f.exec("SET foreign_key_checks = 0");
        f.exec("BEGIN");
        f.exec("INSERT INTO child VALUES (1, 1)");
        assertThat(f.session.getShardSessions(0).getTransactionId()).isNotZero();
        f.gateway.closeConnectionsOf(f.session.getShardSessions(0).getTabletAlias());
        f.gateway.clearCalls();

        TesseraException e = f.fails("INSERT INTO child VALUES (2, 2)");
        assertThat(e.kind()).isEqualTo(ErrorKind.TX_NOT_FOUND);
        assertThat(f.gateway.calls()).hasSize(1);
        assertThat(f.session.getInTransaction()).isFalse();
        assertThat(f.session.getShardSessionsList()).isEmpty();
        // The session still has its variables: the next statement reserves a new connection with them.
        f.exec("INSERT INTO child VALUES (3, 3)");
        assertThat(f.gateway.lastCall().method()).isEqualTo("reserveExecute");
        assertThat(f.gateway.lastCall().preQueries()).containsExactly("SET @@session.foreign_key_checks = 0");
    }

    @Test
    void temporaryTablesAndLocksStayOnTheirConnection() {
        f.exec("CREATE TEMPORARY TABLE tmp (id INT)");
        assertThat(f.gateway.lastCall().method()).isEqualTo("reserveExecute");
        long reserved = f.session.getShardSessions(0).getReservedId();
        f.exec("INSERT INTO tmp VALUES (1)");
        f.exec("LOCK TABLES t WRITE");
        f.exec("UNLOCK TABLES");
        assertThat(f.gateway.calls().subList(1, 4)).allSatisfy(c -> assertThat(c.reservedId()).isEqualTo(reserved));
    }

    @Test
    void aLostConnectionThatHeldLocksOrTemporaryTablesIsReportedOnceNotReplaced() {
        f.exec("SET foreign_key_checks = 0");
        assertThat(f.session.getReservedConnState()).as("variables can be replayed").isFalse();
        f.exec("LOCK TABLES t WRITE");
        assertThat(f.session.getReservedConnState()).isTrue();
        f.gateway.closeConnectionsOf(f.session.getShardSessions(0).getTabletAlias());
        f.gateway.clearCalls();

        TesseraException e = f.fails("INSERT INTO t VALUES (1)");
        assertThat(e.kind()).isEqualTo(ErrorKind.RESERVED_STATE_LOST);
        assertThat(e.mysqlErrno()).isEqualTo(1927);
        assertThat(e.getMessage()).contains("commerce/0").contains("table locks");
        assertThat(f.gateway.calls()).extracting(FakeGateway.Call::method).containsExactly("execute");
        assertThat(f.session.getReservedConnState()).isFalse();
        assertThat(f.session.getShardSessionsList()).isEmpty();

        // Reported once: the next statement reserves a new connection, with the session's variables.
        f.exec("INSERT INTO t VALUES (1)");
        assertThat(f.gateway.lastCall().method()).isEqualTo("reserveExecute");
        assertThat(f.gateway.lastCall().preQueries()).containsExactly("SET @@session.foreign_key_checks = 0");
    }

    @Test
    void aStreamOnALostConnectionWithStateIsReportedToo() {
        f.exec("CREATE TEMPORARY TABLE tmp (id INT)");
        f.gateway.closeConnectionsOf(f.session.getShardSessions(0).getTabletAlias());
        List<QueryResult> chunks = new ArrayList<>();
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(TesseraException.class,
                () -> f.executor.streamExecute(f.session, f.caller, "SELECT * FROM tmp", Map.of(), chunks::add))
                .kind()).isEqualTo(ErrorKind.RESERVED_STATE_LOST);
        assertThat(chunks).isEmpty();
        assertThat(f.session.getReservedConnState()).isFalse();
    }

    @Test
    void unlockWithoutAReservedConnectionDoesNothing() {
        f.exec("UNLOCK TABLES");
        assertThat(f.gateway.calls()).isEmpty();
    }
}
