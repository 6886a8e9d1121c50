package io.tessera.gate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SchemaNamesTest {
    private static final Set<String> KEYSPACES = Set.of("commerce", "customer");

    private static String rewrite(String sql) {
        return SchemaNames.toTablet(StatementClassifier.classify(sql), KEYSPACES).sql();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT * FROM commerce.product                      | SELECT * FROM `vt_commerce`.product
            SELECT * FROM `commerce`.`product` p                | SELECT * FROM `vt_commerce`.`product` p
            SELECT * FROM a, commerce.b x, customer.c           | SELECT * FROM a, `vt_commerce`.b x, `vt_customer`.c
            SELECT * FROM t JOIN commerce.u ON t.a = u.b        | SELECT * FROM t JOIN `vt_commerce`.u ON t.a = u.b
            SELECT commerce.product.id FROM t                   | SELECT `vt_commerce`.product.id FROM t
            SELECT customer.id FROM customer                    | SELECT customer.id FROM customer
            SELECT customer.customer_id FROM customer.customer  | SELECT customer.customer_id FROM `vt_customer`.customer
            SELECT * FROM t WHERE x IN (SELECT y FROM commerce.u) | SELECT * FROM t WHERE x IN (SELECT y FROM `vt_commerce`.u)
            INSERT INTO commerce.t (a) SELECT a FROM customer.u | INSERT INTO `vt_commerce`.t (a) SELECT a FROM `vt_customer`.u
            UPDATE commerce.t SET a = 1                         | UPDATE `vt_commerce`.t SET a = 1
            INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE commerce = 2 | INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE commerce = 2
            DELETE FROM commerce.t WHERE id = 1                 | DELETE FROM `vt_commerce`.t WHERE id = 1
            DROP TABLE IF EXISTS commerce.t, commerce.u         | DROP TABLE IF EXISTS `vt_commerce`.t, `vt_commerce`.u
            CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES commerce.p (id)) | CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES `vt_commerce`.p (id))
            CREATE INDEX i ON commerce.t (a)                    | CREATE INDEX i ON `vt_commerce`.t (a)
            RENAME TABLE commerce.a TO commerce.b               | RENAME TABLE `vt_commerce`.a TO `vt_commerce`.b
            LOCK TABLES commerce.t READ, commerce.u WRITE       | LOCK TABLES `vt_commerce`.t READ, `vt_commerce`.u WRITE
            DESCRIBE commerce.t                                 | DESCRIBE `vt_commerce`.t
            SHOW TABLES FROM commerce                           | SHOW TABLES FROM `vt_commerce`
            SHOW FULL TABLES IN commerce LIKE 'p%'              | SHOW FULL TABLES IN `vt_commerce` LIKE 'p%'
            SHOW COLUMNS FROM product FROM commerce             | SHOW COLUMNS FROM product FROM `vt_commerce`
            SHOW COLUMNS FROM commerce.product                  | SHOW COLUMNS FROM `vt_commerce`.product
            SHOW INDEX FROM commerce IN commerce                | SHOW INDEX FROM commerce IN `vt_commerce`
            SHOW TABLE STATUS FROM commerce                     | SHOW TABLE STATUS FROM `vt_commerce`
            SHOW CREATE TABLE commerce.product                  | SHOW CREATE TABLE `vt_commerce`.product
            SHOW CREATE DATABASE commerce                       | SHOW CREATE DATABASE `vt_commerce`
            SHOW CREATE DATABASE IF NOT EXISTS commerce         | SHOW CREATE DATABASE IF NOT EXISTS `vt_commerce`
            SELECT * FROM unknown.t                             | SELECT * FROM unknown.t
            SELECT 'commerce' FROM t WHERE name = 'commerce'    | SELECT 'commerce' FROM t WHERE name = 'commerce'
            """)
    void rewritesSchemaQualifiers(String sql, String expected) {
        assertThat(rewrite(sql)).isEqualTo(expected);
    }

    @Test
    void rewritesSchemaLiteralsOfInformationSchema() {
        assertThat(rewrite("SELECT table_name FROM information_schema.tables WHERE table_schema = 'commerce' "
                + "AND table_name = 'commerce'"))
                .isEqualTo("SELECT table_name FROM information_schema.tables WHERE table_schema = 'vt_commerce' "
                        + "AND table_name = 'commerce'");
        assertThat(rewrite("SELECT * FROM information_schema.KEY_COLUMN_USAGE k WHERE k.TABLE_SCHEMA IN "
                + "('commerce', 'other', \"customer\") AND 'commerce' = REFERENCED_TABLE_SCHEMA"))
                .isEqualTo("SELECT * FROM information_schema.KEY_COLUMN_USAGE k WHERE k.TABLE_SCHEMA IN "
                        + "('vt_commerce', 'other', 'vt_customer') AND 'vt_commerce' = REFERENCED_TABLE_SCHEMA");
        assertThat(rewrite("SELECT * FROM information_schema.schemata WHERE schema_name NOT LIKE 'commerce'"))
                .endsWith("schema_name NOT LIKE 'vt_commerce'");
    }

    @Test
    void reportsTheKeyspacesNamed() {
        assertThat(SchemaNames.toTablet(StatementClassifier.classify(
                "SELECT * FROM customer.a JOIN commerce.b WHERE x.table_schema = 'customer'"), KEYSPACES)
                .keyspaces()).containsExactly("customer", "commerce");
        assertThat(SchemaNames.toTablet(StatementClassifier.classify("SELECT 1"), KEYSPACES).keyspaces()).isEmpty();
    }

    @Test
    void quotes() {
        assertThat(SchemaNames.quoteIdentifier("a`b")).isEqualTo("`a``b`");
        assertThat(SchemaNames.quoteString("it's \\ ok")).isEqualTo("'it''s \\\\ ok'");
    }
}
