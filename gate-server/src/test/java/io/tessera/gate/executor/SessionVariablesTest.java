package io.tessera.gate.executor;

import static io.tessera.gate.executor.FakeGateway.values;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SET statements: the gate's own variables, user variables, and variables carried on reserved connections. */
class SessionVariablesTest {
    private final ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");

    @Test
    void aSessionVariableReservesAConnectionThatLaterStatementsUse() {
        f.exec("SET foreign_key_checks = 0");
        FakeGateway.Call check = f.gateway.calls().get(0);
        assertThat(check.sql()).isEqualTo("SELECT 0, @@session.foreign_key_checks");
        FakeGateway.Call reserve = f.gateway.calls().get(1);
        assertThat(reserve.method()).isEqualTo("reserveExecute");
        assertThat(reserve.preQueries()).isEmpty();
        assertThat(reserve.sql()).isEqualTo("SET @@session.foreign_key_checks = 0");
        assertThat(f.session.getSystemVariablesMap()).containsEntry("foreign_key_checks", "0");
        assertThat(f.session.getInReservedConn()).isTrue();
        long reserved = f.session.getShardSessions(0).getReservedId();
        assertThat(f.gateway.variablesOf(reserved)).containsEntry("foreign_key_checks", "0");

        f.exec("CREATE TABLE child (id INT, p INT, FOREIGN KEY (p) REFERENCES parent (id))");
        f.exec("INSERT INTO child VALUES (1, 1)");
        assertThat(f.gateway.calls().subList(2, 4)).allSatisfy(c -> {
            assertThat(c.method()).isEqualTo("execute");
            assertThat(c.reservedId()).isEqualTo(reserved);
            assertThat(c.pinned()).isTrue();
        });

        // Another keyspace gets its own reserved connection, with the variables replayed first.
        f.exec("USE customer");
        f.exec("INSERT INTO c VALUES (1)");
        FakeGateway.Call other = f.gateway.lastCall();
        assertThat(other.method()).isEqualTo("reserveExecute");
        assertThat(other.target().getKeyspace()).isEqualTo("customer");
        assertThat(other.preQueries()).containsExactly("SET @@session.foreign_key_checks = 0");
    }

    @Test
    void settingTheValueAConnectionAlreadyHasReservesNothing() {
        f.exec("SET foreign_key_checks = 1, unique_checks = ON, "
                + "sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO'");
        assertThat(f.gateway.calls()).extracting(FakeGateway.Call::method).containsExactly("execute");
        assertThat(f.session.getInReservedConn()).isFalse();
        assertThat(f.session.getSystemVariablesMap()).isEmpty();
        // What a driver sends at connect time: the mode it wants is already the connection's.
        String mode = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO";
        f.gateway.answer("SELECT CONCAT(@@sql_mode, ',STRICT_TRANS_TABLES'), @@session.sql_mode",
                FakeGateway.rows(List.of("a", "b"), List.of(List.of(mode + ",STRICT_TRANS_TABLES", mode))));
        f.gateway.answer("SELECT CONCAT(@@sql_mode, ',NO_ZERO_DATE'), @@session.sql_mode",
                FakeGateway.rows(List.of("a", "b"), List.of(List.of(mode + ",NO_ZERO_DATE", mode))));
        f.exec("SET autocommit = 1, sql_mode = CONCAT(@@sql_mode, ',STRICT_TRANS_TABLES')");
        assertThat(f.session.getInReservedConn()).isFalse();
        f.exec("SET sql_mode = CONCAT(@@sql_mode, ',NO_ZERO_DATE')");
        assertThat(f.session.getInReservedConn()).isTrue();
        assertThat(f.session.getSystemVariablesMap()).containsEntry("sql_mode", "'" + mode + ",NO_ZERO_DATE'");
    }

    @Test
    void theMysqldumpHeaderAndFooterRun() {
        List<String> dump = List.of(
                "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */",
                "/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */",
                "/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */",
                "/*!40101 SET NAMES utf8mb4 */",
                "/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */",
                "/*!40103 SET TIME_ZONE='+00:00' */",
                "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */",
                "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */",
                "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */",
                "/*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY, NOTE_VERBOSITY=0 */",
                "/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */",
                "DROP TABLE IF EXISTS `child`",
                "/*!40101 SET @saved_cs_client     = @@character_set_client */",
                "/*!40101 SET character_set_client = utf8mb4 */",
                "CREATE TABLE `child` (`id` int(11) NOT NULL, `p` int(11) DEFAULT NULL, PRIMARY KEY (`id`), "
                        + "CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `parent` (`id`)) ENGINE=InnoDB",
                "/*!40101 SET character_set_client = @saved_cs_client */",
                "LOCK TABLES `child` WRITE",
                "/*!40000 ALTER TABLE `child` DISABLE KEYS */",
                "INSERT INTO `child` VALUES (1,1),(2,2)",
                "/*!40000 ALTER TABLE `child` ENABLE KEYS */",
                "UNLOCK TABLES",
                "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */",
                "/*!40101 SET SQL_MODE=@OLD_SQL_MODE */",
                "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */",
                "/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */",
                "/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */",
                "/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */",
                "/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */",
                "/*M!100616 SET NOTE_VERBOSITY=@OLD_NOTE_VERBOSITY */",
                "/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */");
        long reserved = -1;
        for (String sql : dump) {
            f.exec(sql);
            if (sql.startsWith("DROP TABLE")) {
                reserved = f.session.getShardSessions(0).getReservedId();
                assertThat(f.gateway.variablesOf(reserved)).containsEntry("foreign_key_checks", "0")
                        .containsEntry("unique_checks", "0").containsEntry("time_zone", "+00:00")
                        .containsEntry("sql_mode", "NO_AUTO_VALUE_ON_ZERO").containsEntry("sql_notes", "0");
            }
        }
        // Every statement of the table's part ran on the one reserved connection, none in a pooled one.
        for (FakeGateway.Call c : f.gateway.calls()) {
            if (c.sql() != null && (c.sql().contains("child") || c.sql().startsWith("UNLOCK"))) {
                assertThat(c.reservedId()).as(c.sql()).isEqualTo(reserved);
            }
        }
        assertThat(f.session.getShardSessionsCount()).isEqualTo(1);
        // The footer put every variable back as it was.
        assertThat(f.gateway.variablesOf(reserved)).containsEntry("foreign_key_checks", "1")
                .containsEntry("unique_checks", "1").containsEntry("time_zone", "SYSTEM")
                .containsEntry("sql_mode", "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO")
                .containsEntry("sql_notes", "1").containsEntry("note_verbosity", "basic,explain");
        assertThat(f.session.getUserDefinedVariablesMap().get("old_sql_mode").getValue().toStringUtf8())
                .isEqualTo("STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO");
        assertThat(f.session.getSystemVariablesMap()).containsEntry("character_set_client", "'utf8mb4'")
                .containsEntry("names", "'utf8mb4'");
        // Character sets never reach a tablet.
        assertThat(f.gateway.statements()).noneMatch(s -> s.toLowerCase().contains("set @@session.character_set"));
    }

    @Test
    void userVariablesAreKeptAndFilledIn() {
        f.exec("SET @a = 5, @b := 'x''y', @c = NULL, @d = 1.5");
        assertThat(f.gateway.calls()).isEmpty();
        assertThat(f.session.getUserDefinedVariablesMap().get("a").getType()).isEqualTo(Type.INT64);
        assertThat(f.session.getUserDefinedVariablesMap().get("d").getType()).isEqualTo(Type.DECIMAL);
        QueryResult r = f.exec("SELECT @a, @B AS bee, @c, @nope");
        assertThat(f.gateway.calls()).isEmpty();
        assertThat(r.getFieldsList()).extracting(io.tessera.proto.query.Field::getName)
                .containsExactly("@a", "bee", "@c", "@nope");
        assertThat(values(r)).containsExactly(java.util.Arrays.asList("5", "x'y", null, null));

        f.exec("SELECT * FROM t WHERE id = @a");
        assertThat(f.gateway.lastCall().sql()).isEqualTo("SELECT * FROM t WHERE id = :__gate1");
        assertThat(f.gateway.lastCall().bindVariables().get("__gate1").getValue().toStringUtf8()).isEqualTo("5");
        f.exec("SELECT @a + 1 FROM t");
        assertThat(f.gateway.lastCall().sql()).isEqualTo("SELECT :__gate1 + 1 AS `@a + 1` FROM t");

        // A variable computed from another and from MySQL.
        f.exec("SET @e = @a, @f = @e");
        assertThat(f.session.getUserDefinedVariablesMap().get("f").getValue().toStringUtf8()).isEqualTo("5");
        f.exec("SET @n = :v1", Map.of("v1", BindVariable.newBuilder().setType(Type.VARCHAR)
                .setValue(ByteString.copyFromUtf8("bound")).build()));
        assertThat(f.session.getUserDefinedVariablesMap().get("n").getValue().toStringUtf8()).isEqualTo("bound");
    }

    @Test
    void valuesTheGateHoldsNeedNoRoundTrip() {
        f.exec("SET NAMES utf8mb4");
        f.exec("/*!40101 SET @saved_cs_client = @@character_set_client */");
        f.exec("/*!40101 SET character_set_client = latin1 */");
        f.exec("/*!40101 SET character_set_client = @saved_cs_client */");
        assertThat(f.gateway.calls()).isEmpty();
        assertThat(values(f.exec("SELECT @saved_cs_client, @@character_set_client")))
                .containsExactly(List.of("utf8mb4", "utf8mb4"));
    }

    @Test
    void selectsOfTheGatesVariablesAreAnsweredByTheGate() {
        f.exec("SET autocommit = OFF");
        QueryResult r = f.exec("SELECT @@autocommit, @@session.tx_read_only AS ro, @@transaction_read_only");
        assertThat(values(r)).containsExactly(List.of("0", "0", "0"));
        assertThat(r.getFieldsList()).extracting(io.tessera.proto.query.Field::getName)
                .containsExactly("@@autocommit", "ro", "@@transaction_read_only");
        f.exec("START TRANSACTION READ ONLY");
        assertThat(values(f.exec("SELECT @@tx_read_only"))).containsExactly(List.of("1"));
        assertThat(f.gateway.calls()).isEmpty();
        // Mixed with variables only the tablet knows, the statement goes to the tablet with the gate's filled in.
        f.exec("SELECT @@autocommit, @@max_allowed_packet");
        assertThat(f.gateway.lastCall().sql())
                .isEqualTo("SELECT :__gate1 AS `@@autocommit`, @@max_allowed_packet");
    }

    @Test
    void characterSetsAreRecordedAndReadBack() {
        f.exec("SET NAMES latin1");
        f.exec("SET character_set_results = NULL");
        assertThat(f.gateway.calls()).isEmpty();
        assertThat(f.session.getInReservedConn()).isFalse();
        f.exec("SELECT @@character_set_client, @@character_set_results, @@wait_timeout");
        FakeGateway.Call c = f.gateway.lastCall();
        assertThat(c.bindVariables().get("__gate1").getValue().toStringUtf8()).isEqualTo("latin1");
        assertThat(c.bindVariables().get("__gate2").getType()).isEqualTo(Type.NULL_TYPE);
        assertThat(f.fails("SET NAMES klingon").kind()).isEqualTo(ErrorKind.WRONG_VALUE_FOR_VAR);
        f.exec("SET NAMES DEFAULT");
        assertThat(f.session.getSystemVariablesMap()).doesNotContainKey("names");
    }

    @Test
    void selectLimitAndQueryTimeoutGoIntoTheOptions() {
        f.exec("SET sql_select_limit = 10, query_timeout = 1500");
        assertThat(f.session.getOptions().getSqlSelectLimit()).isEqualTo(10);
        assertThat(f.session.getQueryTimeout()).isEqualTo(1500);
        f.exec("SET SQL_SELECT_LIMIT = DEFAULT");
        assertThat(f.session.getOptions().getSqlSelectLimit()).isZero();
        f.exec("SET sql_select_limit = 18446744073709551615");
        assertThat(f.session.getOptions().getSqlSelectLimit()).isZero();
    }

    @Test
    void refusesGlobalsUnknownVariablesAndBadValues() {
        TesseraException global = f.fails("SET GLOBAL max_connections = 10");
        assertThat(global.kind()).isEqualTo(ErrorKind.UNIMPLEMENTED);
        TesseraException unknown = f.fails("SET no_such_variable = 1");
        assertThat(unknown.mysqlErrno()).isEqualTo(1193);
        assertThat(f.session.getSystemVariablesMap()).isEmpty();
        assertThat(f.fails("SET autocommit = 7").kind()).isEqualTo(ErrorKind.WRONG_VALUE_FOR_VAR);
        assertThat(f.fails("SET transaction_mode = 'twopc'").kind()).isEqualTo(ErrorKind.WRONG_VALUE_FOR_VAR);
        assertThat(f.fails("SET SESSION TRANSACTION ISOLATION LEVEL SNAPSHOT").kind())
                .isEqualTo(ErrorKind.SYNTAX_ERROR);
        // Nothing was ever sent as SET to a pooled connection.
        assertThat(f.gateway.calls()).noneMatch(c -> c.sql() != null && c.sql().startsWith("SET")
                && c.reservedId() == 0 && !c.method().startsWith("reserve"));
    }

    @Test
    void defaultPutsAVariableBackEverywhere() {
        f.exec("SET sql_safe_updates = 1");
        long reserved = f.session.getShardSessions(0).getReservedId();
        assertThat(f.gateway.variablesOf(reserved)).containsEntry("sql_safe_updates", "1");
        f.exec("SET sql_safe_updates = DEFAULT");
        assertThat(f.gateway.variablesOf(reserved)).containsEntry("sql_safe_updates", "0");
        assertThat(f.session.getSystemVariablesMap()).doesNotContainKey("sql_safe_updates");
    }

    @Test
    void setInsideATransactionReservesTheTransactionsConnection() {
        f.exec("BEGIN");
        f.exec("INSERT INTO t VALUES (1)");
        long tx = f.session.getShardSessions(0).getTransactionId();
        f.exec("SET time_zone = '+01:00'");
        FakeGateway.Call reserve = f.gateway.lastCall();
        assertThat(reserve.method()).isEqualTo("reserveExecute");
        assertThat(reserve.transactionId()).isEqualTo(tx);
        assertThat(f.session.getShardSessions(0).getReservedId()).isNotZero();
        f.exec("COMMIT");
        // The connection stays reserved after the commit.
        assertThat(f.session.getShardSessions(0).getTransactionId()).isZero();
        assertThat(f.session.getShardSessions(0).getReservedId()).isNotZero();
        f.exec("SELECT * FROM t");
        assertThat(f.gateway.lastCall().reservedId()).isEqualTo(f.session.getShardSessions(0).getReservedId());
    }

    @Test
    void lockFunctionsKeepTheirConnection() {
        f.exec("SELECT GET_LOCK('job', 10)");
        assertThat(f.gateway.lastCall().method()).isEqualTo("reserveExecute");
        f.exec("SELECT RELEASE_LOCK('job')");
        assertThat(f.gateway.lastCall().reservedId()).isEqualTo(f.session.getShardSessions(0).getReservedId());
    }

    @Test
    void sessionTrackingAndTheIsolationLevelStayAtTheGate() {
        // MariaDB Connector/J's connect-time SET names transaction_isolation, which a MariaDB tablet does not know.
        f.exec("SET session_track_schema = 1, session_track_system_variables = 'autocommit,transaction_isolation'");
        assertThat(f.gateway.calls()).isEmpty();
        assertThat(f.session.getInReservedConn()).isFalse();
        assertThat(values(f.exec("SELECT @@session_track_system_variables, @@transaction_isolation, @@tx_isolation")))
                .containsExactly(List.of("autocommit,transaction_isolation", "REPEATABLE-READ", "REPEATABLE-READ"));
        f.exec("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
        assertThat(values(f.exec("SELECT @@transaction_isolation"))).containsExactly(List.of("READ-COMMITTED"));
        // The values travel as bind variables; the tablet never sees the variable names.
        assertThat(f.gateway.calls()).allSatisfy(c -> {
            assertThat(c.method()).isEqualTo("execute");
            assertThat(c.sql()).doesNotContain("@@transaction_isolation AS").doesNotContain("SET ");
        });
    }

    @Test
    void mysqlErrorsNameKeyspacesNotTabletDatabases() {
        f.gateway.fail("SELECT * FROM nope", TesseraException.mysql(1146, "42S02",
                "Table 'vt_commerce.nope' doesn't exist", null));
        TesseraException e = f.fails("SELECT * FROM nope");
        assertThat(e.getMessage()).isEqualTo("Table 'commerce.nope' doesn't exist");
        assertThat(e.mysqlErrno()).isEqualTo(1146);
        assertThat(e.sqlState()).isEqualTo("42S02");
    }
}
