package io.tessera.gate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementSplitterTest {
    @Test
    void splitsAtSemicolons() {
        assertThat(StatementSplitter.split("SELECT 1; SELECT 2;SELECT 3"))
                .containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
    }

    @Test
    void aTrailingSemicolonMakesNoExtraStatement() {
        assertThat(StatementSplitter.split("SELECT 1;  ")).containsExactly("SELECT 1");
        assertThat(StatementSplitter.split("SELECT 1;;")).containsExactly("SELECT 1");
    }

    @Test
    void ignoresSemicolonsInStringsIdentifiersAndComments() {
        assertThat(StatementSplitter.split("INSERT INTO t VALUES ('a;b', \"c;d\"); SELECT `x;y` FROM t -- ;\n"
                + "/* ; */ WHERE a = 1; SELECT 'it''s;'; SELECT 'back\\';slash'"))
                .containsExactly("INSERT INTO t VALUES ('a;b', \"c;d\")",
                        "SELECT `x;y` FROM t -- ;\n/* ; */ WHERE a = 1",
                        "SELECT 'it''s;'", "SELECT 'back\\';slash'");
    }

    @Test
    void keepsExecutableCommentsWhole() {
        assertThat(StatementSplitter.split("/*!40101 SET NAMES utf8mb4 */;\n/*!40103 SET TIME_ZONE='+00:00' */;"))
                .containsExactly("/*!40101 SET NAMES utf8mb4 */", "/*!40103 SET TIME_ZONE='+00:00' */");
        assertThat(StatementSplitter.split("/*!50003 CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN "
                + "SET NEW.a = 1; SET NEW.b = 2; END */;SELECT 1"))
                .hasSize(2).last().isEqualTo("SELECT 1");
    }

    @Test
    void keepsStoredProgramBodiesWhole() {
        String proc = "CREATE PROCEDURE p() BEGIN DECLARE x INT; IF x > 0 THEN SELECT 1; END IF; "
                + "CASE x WHEN 1 THEN SELECT 2; END CASE; SET x = CASE WHEN x THEN 1 ELSE 2 END; "
                + "lbl: LOOP LEAVE lbl; END LOOP lbl; BEGIN SELECT 3; END; END";
        assertThat(StatementSplitter.split(proc + "; SELECT 4")).containsExactly(proc, "SELECT 4");
        assertThat(StatementSplitter.split("BEGIN NOT ATOMIC SELECT 1; SELECT 2; END; SELECT 3"))
                .containsExactly("BEGIN NOT ATOMIC SELECT 1; SELECT 2; END", "SELECT 3");
    }

    @Test
    void transactionBeginIsNotABlock() {
        assertThat(StatementSplitter.split("BEGIN; INSERT INTO t VALUES (1); COMMIT"))
                .containsExactly("BEGIN", "INSERT INTO t VALUES (1)", "COMMIT");
    }

    @Test
    void dropsPiecesWithoutSql() {
        assertThat(StatementSplitter.split("SELECT 1; -- trailing comment")).containsExactly("SELECT 1");
        assertThat(StatementSplitter.split("  /* nothing */ ")).isEmpty();
        assertThat(StatementSplitter.split("")).isEmpty();
    }
}
