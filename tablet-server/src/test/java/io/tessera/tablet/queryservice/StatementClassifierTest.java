package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StatementClassifierTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT 1                                              | READ
            select * from t where id = 1                          | READ
            '  /* leading */ -- line comment\n # hash\n SELECT 1' | READ
            (SELECT 1) UNION (SELECT 2)                           | READ
            ((select a from t))                                   | READ
            WITH c AS (SELECT 1) SELECT * FROM c                  | READ
            WITH RECURSIVE c (n) AS (SELECT 1 UNION SELECT n + 1 FROM c WHERE n < 3) SELECT * FROM c | READ
            WITH c AS (SELECT id FROM t) UPDATE t SET v = 1 WHERE id IN (SELECT id FROM c) | WRITE
            WITH c AS (SELECT 1 AS x) DELETE FROM t WHERE id IN (SELECT x FROM c) | WRITE
            SHOW TABLES                                           | READ
            DESCRIBE t                                            | READ
            desc t                                                | READ
            EXPLAIN SELECT 1                                      | READ
            VALUES (1), (2)                                       | READ
            INSERT INTO t VALUES (1)                              | WRITE
            insert t set a = 1                                    | WRITE
            REPLACE INTO t VALUES (1)                             | WRITE
            UPDATE t SET a = 1                                    | WRITE
            DELETE FROM t                                         | WRITE
            LOAD DATA INFILE 'x' INTO TABLE t                     | WRITE
            CREATE TABLE t (id INT)                               | DDL
            ALTER TABLE t ADD COLUMN c INT                        | DDL
            DROP TABLE t                                          | DDL
            TRUNCATE TABLE t                                      | DDL
            RENAME TABLE a TO b                                   | DDL
            BEGIN                                                 | BEGIN
            START TRANSACTION                                     | BEGIN
            start transaction read only                           | BEGIN
            BEGIN NOT ATOMIC SELECT 1; END                        | OTHER
            START SLAVE                                           | OTHER
            COMMIT                                                | COMMIT
            ROLLBACK                                              | ROLLBACK
            ROLLBACK WORK                                         | ROLLBACK
            ROLLBACK TO SAVEPOINT s1                              | SAVEPOINT
            rollback work to s1                                   | SAVEPOINT
            SAVEPOINT s1                                          | SAVEPOINT
            RELEASE SAVEPOINT s1                                  | SAVEPOINT
            SET autocommit = 0                                    | SET
            /*!40101 SET NAMES utf8mb4 */                         | SET
            /*M!100100 SET sql_mode = '' */                       | SET
            USE vt_commerce                                       | USE
            ANALYZE TABLE t                                       | OTHER
            ANALYZE FORMAT=JSON SELECT 1                          | READ
            ANALYZE UPDATE t SET a = 1                            | WRITE
            OPTIMIZE TABLE t                                      | OTHER
            FLUSH TABLES                                          | OTHER
            CALL p()                                              | OTHER
            ''                                                    | OTHER
            '   '                                                 | OTHER
            /* only a comment */                                  | OTHER
            '-- only a comment'                                   | OTHER
            42                                                    | OTHER
            """)
    void classifiesByLeadingKeyword(String sql, StatementKind expected) {
        assertThat(StatementClassifier.classify(sql.replace("\\n", "\n")).kind()).isEqualTo(expected);
    }

    @Test
    void recognisesLockingReadsAndSelects() {
        assertThat(StatementClassifier.classify("SELECT * FROM t WHERE id = 1 FOR UPDATE").lockingRead()).isTrue();
        assertThat(StatementClassifier.classify("select * from t for share").lockingRead()).isTrue();
        assertThat(StatementClassifier.classify("SELECT * FROM t LOCK IN SHARE MODE").lockingRead()).isTrue();
        assertThat(StatementClassifier.classify("SELECT 'for update' FROM t").lockingRead()).isFalse();
        assertThat(StatementClassifier.classify("SELECT `for`, `update` FROM t").lockingRead()).isFalse();
        assertThat(StatementClassifier.classify("SELECT 1").select()).isTrue();
        assertThat(StatementClassifier.classify("WITH c AS (SELECT 1) SELECT * FROM c").select()).isTrue();
        assertThat(StatementClassifier.classify("SHOW TABLES").select()).isFalse();
        assertThat(StatementClassifier.classify("UPDATE t SET a = 1").select()).isFalse();
    }

    @Test
    void recognisesTemporaryTableDdl() {
        for (String sql : List.of("CREATE TEMPORARY TABLE t (id INT)", "create or replace temporary table t AS SELECT 1",
                "  CREATE TEMPORARY TABLE IF NOT EXISTS t LIKE u", "DROP TEMPORARY TABLE t", "drop temporary table if "
                + "exists t, u")) {
            assertThat(StatementClassifier.isTemporaryTableDdl(sql)).as(sql).isTrue();
        }
        for (String sql : List.of("CREATE TABLE t (id INT)", "DROP TABLE t", "CREATE TEMPORARY SEQUENCE s",
                "CREATE OR REPLACE TABLE t (id INT)", "INSERT INTO t VALUES (1)", "SELECT 'CREATE TEMPORARY TABLE t'",
                "/* x */ DROP VIEW v", "")) {
            assertThat(StatementClassifier.isTemporaryTableDdl(sql)).as(sql).isFalse();
        }
    }

    @Test
    void stringsAndQuotedNamesDoNotFoolIt() {
        assertThat(StatementClassifier.classify("SELECT 'it''s; DROP TABLE t' FROM t").kind())
                .isEqualTo(StatementKind.READ);
        assertThat(StatementClassifier.classify("/* DELETE */ SELECT \"\\\" UPDATE\"").kind())
                .isEqualTo(StatementKind.READ);
        assertThat(StatementClassifier.classify("WITH `select` AS (SELECT 1) DELETE FROM t").kind())
                .isEqualTo(StatementKind.WRITE);
    }

    @ParameterizedTest(name = "{0} -> {1}, leaves state: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            CREATE TEMPORARY TABLE tmp (id INT)                   | DDL   | true
            create or replace temporary table tmp (id INT)        | DDL   | true
            CREATE TABLE t (id INT)                               | DDL   | false
            CREATE OR REPLACE TABLE t (id INT)                    | DDL   | false
            DROP TEMPORARY TABLE tmp                              | DDL   | false
            LOCK TABLES t WRITE                                   | OTHER | true
            lock table t read                                     | OTHER | true
            UNLOCK TABLES                                         | OTHER | false
            BACKUP LOCK t                                         | OTHER | true
            BACKUP UNLOCK                                         | OTHER | false
            SELECT GET_LOCK('a', 0)                               | READ  | true
            select get_lock ('a', 0) from dual                    | READ  | true
            DO GET_LOCK('a', 0)                                   | OTHER | true
            SET @l = GET_LOCK('a', 0)                             | SET   | true
            SELECT RELEASE_LOCK('a')                              | READ  | false
            SELECT 'GET_LOCK(1)' FROM t                           | READ  | false
            SELECT get_lock_count FROM t                          | READ  | false
            /* GET_LOCK( */ SELECT 1                              | READ  | false
            SELECT `get_lock` (1) FROM t                          | READ  | false
            CREATE PROCEDURE p() SELECT GET_LOCK('a', 0)          | DDL   | false
            PREPARE s FROM 'SELECT 1'                             | OTHER | true
            EXECUTE s                                             | OTHER | true
            DEALLOCATE PREPARE s                                  | OTHER | true
            DROP PREPARE s                                        | OTHER | true
            HANDLER t OPEN                                        | OTHER | true
            SELECT 1                                              | READ  | false
            SET autocommit = 1                                    | SET   | false
            """)
    void recognisesStatementsThatLeaveStateOnTheConnection(String sql, StatementKind kind, boolean leavesState) {
        StatementInfo info = StatementClassifier.classify(sql);
        assertThat(info.kind()).isEqualTo(kind);
        assertThat(info.leavesState()).isEqualTo(leavesState);
        assertThat(info.changesSession()).isEqualTo(leavesState || kind == StatementKind.SET);
    }
}
