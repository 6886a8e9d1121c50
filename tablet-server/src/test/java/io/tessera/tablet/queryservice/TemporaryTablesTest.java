package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TemporaryTablesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CREATE TEMPORARY TABLE t (k INT)|t",
        "create or replace temporary table `my t` AS SELECT 1|my t",
        "CREATE TEMPORARY TABLE IF NOT EXISTS t2 LIKE kv|t2",
        "/* staged */ CREATE TEMPORARY TABLE t3 SELECT * FROM kv|t3",
    })
    void createdNamesTheTemporaryTable(String sql, String table) {
        assertThat(TemporaryTables.created(sql)).isEqualTo(table);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TABLE t (k INT)", "CREATE TEMPORARY TABLE db.t (k INT)",
        "CREATE OR REPLACE TABLE t (k INT)", "CREATE TEMPORARY TABLE IF EXISTS t (k INT)", "DROP TEMPORARY TABLE t",
        "CREATE TEMPORARY", "SELECT 1"})
    void createdIsNullForAnythingElse(String sql) {
        assertThat(TemporaryTables.created(sql)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DROP TEMPORARY TABLE t|[t]",
        "drop temporary table if exists a, `b c`, db.d|[a, b c, d]",
        "DROP TABLE t|[]",
        "DROP TEMPORARY TABLE|[]",
    })
    void droppedNamesEveryTableOfTheList(String sql, String tables) {
        assertThat(TemporaryTables.dropped(sql).toString()).isEqualTo(tables);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "INSERT INTO t VALUES (1)|t",
        "insert ignore t (k) SELECT k FROM kv|t",
        "INSERT LOW_PRIORITY INTO `t` SET k = 1 ON DUPLICATE KEY UPDATE k = 2|t",
        "REPLACE DELAYED INTO t VALUES (1)|t",
        "UPDATE t SET k = 1|t",
        "UPDATE LOW_PRIORITY IGNORE t AS x SET x.k = (SELECT MAX(k) FROM kv)|t",
        "UPDATE t x SET k = 1 WHERE k = 2|t",
        "DELETE FROM t|t",
        "DELETE QUICK FROM t WHERE k IN (SELECT k FROM kv) LIMIT 3|t",
        "DELETE FROM t ORDER BY k LIMIT 1|t",
        "DELETE FROM t;|t",
    })
    void writtenNamesTheOneTableASingleTableWriteChanges(String sql, String table) {
        assertThat(TemporaryTables.written(sql)).isEqualTo(table);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INSERT INTO db.t VALUES (1)", "UPDATE t, kv SET t.k = kv.k", "UPDATE t JOIN kv SET k = 1",
        "UPDATE db.t SET k = 1", "DELETE t FROM t JOIN kv", "DELETE FROM t USING t JOIN kv", "DELETE FROM t, kv",
        "DELETE FROM db.t", "LOAD DATA INFILE 'x' INTO TABLE t", "WITH c AS (SELECT 1) UPDATE t SET k = 1",
        "SELECT 1", "INSERT INTO", "UPDATE SET k = 1"})
    void writtenIsNullForAnythingElse(String sql) {
        assertThat(TemporaryTables.written(sql)).isNull();
    }
}
