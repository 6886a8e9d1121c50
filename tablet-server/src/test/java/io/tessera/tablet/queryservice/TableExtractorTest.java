package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TableExtractorTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT * FROM t                                                    | t
            SELECT * FROM t WHERE id = 1                                       | t
            SELECT * FROM a, b AS bb, c cc WHERE a.x = bb.y                    | a,b,c
            SELECT * FROM a JOIN b ON a.id = b.id LEFT JOIN c USING (id)       | a,b,c
            SELECT * FROM vt_commerce.t                                        | t
            SELECT * FROM `weird name` w                                       | weird name
            SELECT * FROM `a``b`                                               | a`b
            SELECT (SELECT MAX(id) FROM inner_t) FROM outer_t                  | inner_t,outer_t
            SELECT * FROM (SELECT * FROM d) AS x                               | d
            SELECT * FROM t WHERE id IN (SELECT id FROM u)                     | t,u
            SELECT 1 FROM DUAL                                                 | 
            SELECT 'FROM secret' AS s                                          | 
            SELECT 1 /* FROM secret */                                         | 
            WITH c AS (SELECT * FROM base) SELECT * FROM c                     | base,c
            INSERT INTO t (a, b) VALUES (1, 2)                                 | t
            INSERT t VALUES (1)                                                | t
            INSERT IGNORE INTO t SELECT * FROM s                               | t,s
            REPLACE INTO t VALUES (1)                                          | t
            UPDATE t SET a = 1 WHERE id = 2                                    | t
            UPDATE LOW_PRIORITY t1, t2 SET t1.a = t2.a                         | t1,t2
            DELETE FROM t WHERE id = 1                                         | t
            DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id                         | t1,t2
            CREATE TABLE IF NOT EXISTS t (id INT)                              | t
            CREATE TABLE t2 LIKE t1                                            | t2,t1
            CREATE INDEX i ON t (a)                                            | t
            ALTER TABLE t ADD COLUMN c INT                                     | t
            ALTER TABLE t RENAME TO u                                          | t,u
            DROP TABLE IF EXISTS a, b                                          | a,b
            TRUNCATE TABLE t                                                   | t
            TRUNCATE t                                                         | t
            RENAME TABLE a TO b, c TO d                                        | a,b,c,d
            DESCRIBE t                                                         | t
            SHOW CREATE TABLE t                                                | t
            SHOW COLUMNS FROM t                                                | t
            LOAD DATA INFILE 'f' INTO TABLE t                                  | t
            SELECT * FROM t1 STRAIGHT_JOIN t2                                  | t1,t2
            """)
    void findsTheTables(String sql, String expected) {
        String[] want = expected == null ? new String[0] : expected.split(",");
        assertThat(TableExtractor.tables(sql)).containsExactlyInAnyOrder(want);
    }
}
