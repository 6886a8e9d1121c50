package io.tessera.gate.executor;

import static io.tessera.gate.executor.FakeGateway.rows;
import static io.tessera.gate.executor.FakeGateway.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.topodata.TabletType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Targets, USE, database selection and routing by keyspace, shard and tablet type. */
class RoutingTest {
    @Test
    void useSelectsAKnownKeyspaceAndRefusesAnUnknownOne() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard());
        f.exec("USE commerce");
        assertThat(f.session.getTargetString()).isEqualTo("commerce");
        f.exec("USE `customer@replica`");
        assertThat(f.session.getTargetString()).isEqualTo("customer@replica");
        f.exec("use commerce:0@rdonly");
        assertThat(f.session.getTargetString()).isEqualTo("commerce:0@rdonly");
        f.exec("USE @primary");
        assertThat(f.session.getTargetString()).isEqualTo("commerce:0@primary");

        TesseraException e = f.fails("USE nosuch");
        assertThat(e.kind()).isEqualTo(ErrorKind.UNKNOWN_DATABASE);
        assertThat(e.mysqlErrno()).isEqualTo(1049);
        assertThat(e.sqlState()).isEqualTo("42000");
        assertThat(e.getMessage()).isEqualTo("Unknown database 'nosuch'");
        assertThat(f.session.getTargetString()).isEqualTo("commerce:0@primary");
        assertThat(f.gateway.calls()).isEmpty();
    }

    @Test
    void statementsGoToTheTargetKeyspaceShardAndPrimary() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");
        f.exec("SELECT * FROM product");
        FakeGateway.Call c = f.gateway.lastCall();
        assertThat(c.method()).isEqualTo("execute");
        assertThat(c.target().getKeyspace()).isEqualTo("commerce");
        assertThat(c.target().getShard()).isEqualTo("0");
        assertThat(c.target().getTabletType()).isEqualTo(TabletType.PRIMARY);
        assertThat(c.pinned()).isFalse();
        assertThat(c.options().getIncludedFields()).isEqualTo(ExecuteOptions.IncludedFields.ALL);
        assertThat(c.effective().getPrincipal()).isEqualTo("alice");
        assertThat(c.immediate().getUsername()).isEqualTo("alice");
        assertThat(c.immediate().getGroupsList()).containsExactly("devs");
    }

    /** The text sent is the plan's, encoded once; with session values filled in, the text made for the call. */
    @Test
    void theTabletGetsTheStatementsTextInEveryCharacter() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");
        for (int i = 0; i < 2; i++) {
            f.exec("SELECT 'héllo € 😀' AS `ç` FROM commerce.product");
            assertThat(f.gateway.lastCall().sql()).isEqualTo("SELECT 'héllo € 😀' AS `ç` FROM `vt_commerce`.product");
        }
        f.exec("SELECT 'ü', DATABASE() FROM product");
        assertThat(f.gateway.lastCall().sql()).startsWith("SELECT 'ü', :__gate1 AS `DATABASE()` FROM product");
    }

    @Test
    void replicaTargetsNeverReachThePrimary() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce@replica");
        f.exec("SELECT * FROM product");
        f.exec("SHOW TABLES");
        f.exec("BEGIN");
        f.exec("SELECT * FROM product WHERE id = 1");
        f.exec("SELECT * FROM product WHERE id = 2");
        f.exec("COMMIT");
        assertThat(f.gateway.calls()).isNotEmpty().allSatisfy(c ->
                assertThat(c.target().getTabletType()).isEqualTo(TabletType.REPLICA));
        FakeGateway.Call begin = f.gateway.calls().get(2);
        assertThat(begin.method()).isEqualTo("beginExecute");
        assertThat(begin.options().getTransactionAccessModeList())
                .containsExactly(ExecuteOptions.TransactionAccessMode.READ_ONLY);
        // A write on a replica is refused by the tablet, never redirected to the primary.
        TesseraException e = f.fails("INSERT INTO product VALUES (1)");
        assertThat(e.kind()).isEqualTo(ErrorKind.WRITE_ON_NON_PRIMARY);
    }

    @Test
    void aDefaultTabletTypeAppliesToTargetsWithoutOne() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard(),
                ExecutorConfig.defaults().withDefaultTabletType(TabletType.REPLICA)).target("commerce");
        f.exec("SELECT 1 FROM t");
        assertThat(f.gateway.lastCall().target().getTabletType()).isEqualTo(TabletType.REPLICA);
    }

    @Test
    void withoutADatabaseASingleKeyspaceIsServed() {
        ExecutorFixture f = new ExecutorFixture(new FakeGateway().keyspace("commerce", "0"));
        f.exec("SELECT * FROM product");
        assertThat(f.gateway.lastCall().target().getKeyspace()).isEqualTo("commerce");
    }

    @Test
    void withoutADatabaseSeveralKeyspacesNeedOne() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard());
        TesseraException e = f.fails("SELECT * FROM product");
        assertThat(e.kind()).isEqualTo(ErrorKind.NO_DATABASE_SELECTED);
        assertThat(e.mysqlErrno()).isEqualTo(1046);
        // Statements that use no table still run (on any keyspace), and a qualified name picks its keyspace.
        f.exec("SELECT 1");
        f.exec("SELECT * FROM customer.corder");
        assertThat(f.gateway.lastCall().target().getKeyspace()).isEqualTo("customer");
        assertThat(f.gateway.lastCall().sql()).isEqualTo("SELECT * FROM `vt_customer`.corder");
    }

    @Test
    void aConfiguredDefaultKeyspaceServesSessionsWithoutOne() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard(),
                ExecutorConfig.defaults().withDefaultKeyspace("customer@replica"));
        f.exec("SELECT * FROM corder");
        assertThat(f.gateway.lastCall().target().getKeyspace()).isEqualTo("customer");
        assertThat(f.gateway.lastCall().target().getTabletType()).isEqualTo(TabletType.REPLICA);
    }

    @Test
    void aKeyspaceWithSeveralShardsNeedsOneInTheTarget() {
        FakeGateway g = FakeGateway.standard().keyspace("sharded", "-80", "80-");
        ExecutorFixture f = new ExecutorFixture(g).target("sharded");
        TesseraException e = f.fails("SELECT * FROM t");
        assertThat(e.kind()).isEqualTo(ErrorKind.KEYSPACE_NEEDS_SHARD);
        assertThat(e.getMessage()).contains("sharded:-80");
        f.target("sharded:80-@replica");
        f.exec("SELECT * FROM t");
        assertThat(f.gateway.lastCall().target().getShard()).isEqualTo("80-");
        assertThat(f.gateway.lastCall().target().getTabletType()).isEqualTo(TabletType.REPLICA);
    }

    @Test
    void statementsNamingAnotherKeyspaceGoThere() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");
        f.exec("SELECT * FROM customer.corder c WHERE c.id = 1");
        assertThat(f.gateway.lastCall().target().getKeyspace()).isEqualTo("customer");
        f.exec("SELECT * FROM commerce.product JOIN customer.corder");
        assertThat(f.gateway.lastCall().target().getKeyspace()).isEqualTo("commerce");
    }

    @Test
    void unknownSessionTargetIsReported() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("gone");
        assertThat(f.fails("SELECT * FROM t").kind()).isEqualTo(ErrorKind.UNKNOWN_DATABASE);
        // A malformed target from a client is reported too, and USE repairs it.
        f.target("ks[-80]");
        assertThat(f.fails("SELECT * FROM t").kind()).isEqualTo(ErrorKind.UNKNOWN_DATABASE);
        f.exec("USE commerce");
        f.exec("SELECT * FROM t");
        assertThat(f.gateway.lastCall().target().getKeyspace()).isEqualTo("commerce");
    }

    @Test
    void showDatabasesListsKeyspacesAndSystemSchemas() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard());
        QueryResult r = f.exec("SHOW DATABASES");
        assertThat(r.getFields(0).getName()).isEqualTo("Database");
        assertThat(values(r)).containsExactly(List.of("commerce"), List.of("customer"),
                List.of("information_schema"), List.of("mysql"), List.of("performance_schema"), List.of("sys"));
        QueryResult like = f.exec("show schemas like 'c%'");
        assertThat(like.getFields(0).getName()).isEqualTo("Database (c%)");
        assertThat(values(like)).containsExactly(List.of("commerce"), List.of("customer"));
        assertThat(f.gateway.calls()).isEmpty();
    }

    @Test
    void databaseIsTheTargetsKeyspace() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard());
        QueryResult none = f.exec("SELECT DATABASE()");
        assertThat(none.getFields(0).getName()).isEqualTo("DATABASE()");
        assertThat(values(none)).containsExactly(java.util.Collections.singletonList(null));
        f.exec("USE commerce@replica");
        assertThat(values(f.exec("select schema() as db"))).containsExactly(List.of("commerce"));
        assertThat(f.exec("select schema() as db").getFields(0).getName()).isEqualTo("db");
        assertThat(f.gateway.calls()).isEmpty();
        // Inside a statement for a tablet it is filled in, named as written.
        f.exec("SELECT DATABASE(), id FROM t");
        FakeGateway.Call c = f.gateway.lastCall();
        assertThat(c.sql()).isEqualTo("SELECT :__gate1 AS `DATABASE()`, id FROM t");
        assertThat(c.bindVariables().get("__gate1").getValue().toStringUtf8()).isEqualTo("commerce");
    }

    @Test
    void lastInsertIdRowCountAndFoundRowsComeFromTheSession() {
        FakeGateway g = FakeGateway.standard()
                .answer("INSERT INTO t (v) VALUES (1)", QueryResult.newBuilder().setRowsAffected(1).setInsertId(42)
                        .build())
                .answer("SELECT * FROM t", rows(List.of("id"), List.of(List.of("1"), List.of("2"))));
        ExecutorFixture f = new ExecutorFixture(g).target("commerce");
        f.exec("INSERT INTO t (v) VALUES (1)");
        assertThat(values(f.exec("SELECT ROW_COUNT(), LAST_INSERT_ID()"))).containsExactly(List.of("1", "42"));
        // As in MySQL, a SELECT leaves ROW_COUNT() at -1.
        assertThat(values(f.exec("SELECT ROW_COUNT()"))).containsExactly(List.of("-1"));
        f.exec("INSERT INTO child (parent) VALUES (LAST_INSERT_ID())");
        assertThat(f.gateway.lastCall().sql()).isEqualTo("INSERT INTO child (parent) VALUES (:__gate1)");
        assertThat(f.gateway.lastCall().bindVariables().get("__gate1").getValue().toStringUtf8()).isEqualTo("42");
        f.exec("SELECT * FROM t");
        assertThat(values(f.exec("SELECT FOUND_ROWS(), ROW_COUNT()"))).containsExactly(List.of("2", "-1"));
        assertThat(f.session.getLastInsertId()).isEqualTo(42);
    }

    @Test
    void countsStatementsAndErrorsAndLogsThem() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");
        Instant before = Instant.now();
        f.exec("SELECT * FROM t");
        Instant afterFirst = Instant.now();
        f.exec("INSERT INTO t VALUES (1)");
        f.fails("USE nosuch");
        ExecutorStats stats = f.executor.stats();
        assertThat(stats.queries()).containsEntry("select", 1L).containsEntry("insert", 1L).containsEntry("use", 1L);
        assertThat(stats.errors()).containsEntry("use", 1L);
        assertThat(stats.recentErrors()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("NOT_FOUND");
            assertThat(e.mysqlErrno()).isEqualTo(1049);
            assertThat(e.sql()).isEqualTo("USE nosuch");
            assertThat(e.user()).isEqualTo("alice");
        });
        assertThat(f.registry.scrape().stream().map(s -> s.getMetadata().getPrometheusName()))
                .contains("tessera_gate_queries", "tessera_gate_query_seconds", "tessera_gate_query_errors");
        assertThat(f.registry.scrape().stream().filter(s -> s instanceof HistogramSnapshot)
                .flatMap(s -> ((HistogramSnapshot) s).getDataPoints().stream()))
                .isNotEmpty().allSatisfy(p -> {
                    assertThat(p.hasClassicHistogramData()).isTrue();
                    assertThat(p.hasNativeHistogramData()).isFalse();
                });
        assertThat(f.log).hasSize(3);
        assertThat(f.log.get(0).statement()).isEqualTo("select");
        assertThat(f.log.get(0).target()).isEqualTo("commerce");
        // The entry's time is when the statement started (the wall clock and the monotonic clock the duration
        // comes from may disagree by a little, hence the millisecond).
        assertThat(f.log.get(0).time()).isBetween(before.minusMillis(1), afterFirst);
        assertThat(f.log.get(0).time().plus(f.log.get(0).duration())).isBefore(afterFirst.plusMillis(1));
        assertThat(f.log.get(2).error()).startsWith("NOT_FOUND 1049");
        assertThat(f.log.get(0).format()).contains("\talice\tcommerce\tselect\t").endsWith("\tSELECT * FROM t");
    }

    @Test
    void emptyStatementsAndUnsupportedOnesFailClearly() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");
        assertThat(f.fails("  /* nothing */ ").mysqlErrno()).isEqualTo(1065);
        assertThat(f.fails("CREATE DATABASE other").kind()).isEqualTo(ErrorKind.UNIMPLEMENTED);
        assertThat(f.fails("KILL 12").kind()).isEqualTo(ErrorKind.UNIMPLEMENTED);
        assertThat(f.fails("SHOW DATABASES WHERE `Database` = 'x'").kind()).isEqualTo(ErrorKind.UNIMPLEMENTED);
        f.exec("CREATE DATABASE IF NOT EXISTS `commerce`");
        assertThat(f.gateway.calls()).isEmpty();
    }
}
