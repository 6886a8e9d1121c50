package io.tessera.gate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.gate.sql.Statement.Trait;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The golden table of how the gate classifies statements: type and traits. */
class StatementClassifierTest {
    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            SELECT 1                                                   | SELECT        | -
            select * from t where id = 1                               | SELECT        | HAS_FROM
            SELECT 1 FROM DUAL                                         | SELECT        | -
            SELECT * FROM t FOR UPDATE                                 | SELECT        | HAS_FROM NOT_WRAPPABLE
            SELECT * FROM t LOCK IN SHARE MODE                         | SELECT        | HAS_FROM NOT_WRAPPABLE
            SELECT 1 INTO @x                                           | SELECT        | NOT_WRAPPABLE
            SELECT (SELECT a FROM t)                                   | SELECT        | -
            (SELECT 1) UNION (SELECT 2)                                | SELECT        | -
            WITH c AS (SELECT 1) SELECT * FROM c                       | SELECT        | HAS_FROM
            WITH c AS (SELECT 1) UPDATE t SET a = 1                    | UPDATE        | -
            VALUES (1), (2)                                            | SELECT        | -
            SELECT GET_LOCK('l', 10)                                   | SELECT        | PINS_CONNECTION
            /* c */ INSERT INTO t VALUES (1)                           | INSERT        | -
            REPLACE INTO t VALUES (1)                                  | REPLACE       | -
            UPDATE t SET a = 1                                         | UPDATE        | -
            DELETE FROM t                                              | DELETE        | -
            LOAD DATA INFILE 'f' INTO TABLE t                          | LOAD          | -
            CREATE TABLE t (id INT)                                    | DDL           | IMPLICIT_COMMIT
            CREATE TEMPORARY TABLE t (id INT)                          | DDL           | TEMPORARY_TABLE PINS_CONNECTION
            CREATE OR REPLACE TEMPORARY TABLE t (id INT)                | DDL           | TEMPORARY_TABLE PINS_CONNECTION
            DROP TEMPORARY TABLE IF EXISTS t                           | DDL           | TEMPORARY_TABLE
            DROP TABLE t                                               | DDL           | IMPLICIT_COMMIT
            /*!40000 ALTER TABLE `t` DISABLE KEYS */                   | DDL           | IMPLICIT_COMMIT
            TRUNCATE TABLE t                                           | DDL           | IMPLICIT_COMMIT
            RENAME TABLE a TO b                                        | DDL           | IMPLICIT_COMMIT
            GRANT SELECT ON *.* TO 'u'@'%'                             | DDL           | IMPLICIT_COMMIT
            CREATE DATABASE d                                          | DDL           | IMPLICIT_COMMIT DATABASE_DDL
            DROP SCHEMA d                                              | DDL           | IMPLICIT_COMMIT DATABASE_DDL
            DROP PREPARE s                                             | PREPARED      | PINS_CONNECTION
            BEGIN                                                      | BEGIN         | -
            BEGIN WORK                                                 | BEGIN         | -
            START TRANSACTION READ ONLY                                | BEGIN         | -
            BEGIN NOT ATOMIC SELECT 1; END                             | OTHER         | -
            START SLAVE                                                | OTHER         | -
            COMMIT                                                     | COMMIT        | -
            COMMIT WORK AND CHAIN                                      | COMMIT        | CHAIN
            COMMIT AND NO CHAIN                                        | COMMIT        | -
            ROLLBACK                                                   | ROLLBACK      | -
            ROLLBACK AND CHAIN                                         | ROLLBACK      | CHAIN
            ROLLBACK TO SAVEPOINT s                                    | SAVEPOINT     | -
            ROLLBACK WORK TO s                                         | SAVEPOINT     | -
            SAVEPOINT s                                                | SAVEPOINT     | -
            RELEASE SAVEPOINT s                                        | SAVEPOINT     | -
            SET autocommit = 0                                         | SET           | -
            /*!40101 SET NAMES utf8mb4 */                              | SET           | -
            SET @l = GET_LOCK('x', 1)                                  | SET           | PINS_CONNECTION
            USE commerce                                               | USE           | -
            SHOW TABLES                                                | SHOW          | -
            DESCRIBE t                                                 | EXPLAIN       | -
            EXPLAIN SELECT 1                                           | EXPLAIN       | -
            LOCK TABLES t WRITE                                        | LOCK_TABLES   | IMPLICIT_COMMIT PINS_CONNECTION
            UNLOCK TABLES                                              | UNLOCK_TABLES | IMPLICIT_COMMIT
            CALL p(1)                                                  | CALL          | -
            ANALYZE TABLE t                                            | ADMIN         | IMPLICIT_COMMIT
            ANALYZE FORMAT=JSON SELECT 1                               | SELECT        | -
            OPTIMIZE TABLE t                                           | ADMIN         | IMPLICIT_COMMIT
            FLUSH TABLES                                               | ADMIN         | IMPLICIT_COMMIT
            LOAD INDEX INTO CACHE t                                    | ADMIN         | IMPLICIT_COMMIT
            PREPARE s FROM 'SELECT 1'                                  | PREPARED      | PINS_CONNECTION
            EXECUTE s                                                  | PREPARED      | PINS_CONNECTION
            DEALLOCATE PREPARE s                                       | PREPARED      | PINS_CONNECTION
            HANDLER t OPEN                                             | OTHER         | PINS_CONNECTION
            DO 1                                                       | OTHER         | -
            KILL 5                                                     | OTHER         | -
            42                                                         | OTHER         | -
            """)
    void classifies(String sql, StatementType type, String traits) {
        Statement st = StatementClassifier.classify(sql);
        Set<Trait> expected = traits == null ? Set.of()
                : Arrays.stream(traits.split(" ")).map(Trait::valueOf).collect(Collectors.toSet());
        assertThat(st.type()).isEqualTo(type);
        assertThat(st.traits()).isEqualTo(expected);
    }
}
