package io.tessera.gate.executor;

import static io.tessera.gate.executor.FakeGateway.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.queryservice.CompactRows;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clients never see the tablets' {@code vt_} database names, in statements or in results. */
class ResultRewritingTest {
    private static Field field(String name, String orgName, String table, String database) {
        return Field.newBuilder().setName(name).setOrgName(orgName).setTable(table).setOrgTable(table)
                .setDatabase(database).setType(Type.VARCHAR).build();
    }

    @Test
    void informationSchemaQueriesAreRewrittenBothWays() {
        String sent = "SELECT TABLE_SCHEMA, TABLE_NAME, REFERENCED_TABLE_SCHEMA AS ref FROM "
                + "information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = 'vt_commerce' "
                + "AND REFERENCED_TABLE_NAME IS NOT NULL";
        QueryResult tablet = QueryResult.newBuilder()
                .addFields(field("TABLE_SCHEMA", "TABLE_SCHEMA", "KEY_COLUMN_USAGE", "information_schema"))
                .addFields(field("TABLE_NAME", "TABLE_NAME", "KEY_COLUMN_USAGE", "information_schema"))
                .addFields(field("ref", "REFERENCED_TABLE_SCHEMA", "KEY_COLUMN_USAGE", "information_schema"))
                .addRows(CompactRows.ofStrings("vt_commerce", "vt_commerce", "vt_customer"))
                .addRows(CompactRows.ofStrings("vt_commerce", "orders", "_vt"))
                .addRows(CompactRows.ofStrings("vt_commerce", "vt_unknown", null))
                .build();
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard().answer(sent, tablet)).target("commerce");
        QueryResult r = f.exec("SELECT TABLE_SCHEMA, TABLE_NAME, REFERENCED_TABLE_SCHEMA AS ref FROM "
                + "information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = 'commerce' "
                + "AND REFERENCED_TABLE_NAME IS NOT NULL");
        assertThat(f.gateway.lastCall().sql()).isEqualTo(sent);
        assertThat(values(r)).containsExactly(List.of("commerce", "vt_commerce", "customer"),
                List.of("commerce", "orders", "_vt"), Arrays.asList("commerce", "vt_unknown", null));
        assertThat(r.getFieldsList()).extracting(Field::getDatabase).containsOnly("information_schema");
    }

    @Test
    void databaseComparedWithASchemaColumnIsTheTabletsName() {
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard()).target("commerce");
        f.exec("SELECT DATABASE(), table_name FROM information_schema.tables WHERE table_schema = DATABASE()");
        FakeGateway.Call c = f.gateway.lastCall();
        assertThat(c.sql()).isEqualTo("SELECT :__gate1 AS `DATABASE()`, table_name FROM information_schema.tables "
                + "WHERE table_schema = :__gate2");
        assertThat(c.bindVariables().get("__gate1").getValue().toStringUtf8()).isEqualTo("commerce");
        assertThat(c.bindVariables().get("__gate2").getValue().toStringUtf8()).isEqualTo("vt_commerce");
    }

    @Test
    void showCreateTableAndShowTablesAreRewritten() {
        String create = "CREATE TABLE `corder` (\n  `id` int(11) NOT NULL,\n  `product_id` int(11) DEFAULT NULL,\n"
                + "  PRIMARY KEY (`id`),\n  CONSTRAINT `fk_product` FOREIGN KEY (`product_id`) REFERENCES "
                + "`vt_commerce`.`product` (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
        FakeGateway g = FakeGateway.standard()
                .answer("SHOW CREATE TABLE `vt_customer`.corder", QueryResult.newBuilder()
                        .addFields(field("Table", "", "", "")).addFields(field("Create Table", "", "", ""))
                        .addRows(CompactRows.ofStrings("corder", create)).build())
                .answer("SHOW FULL TABLES LIKE 'c%'", QueryResult.newBuilder()
                        .addFields(field("Tables_in_vt_customer (c%)", "TABLE_NAME", "TABLE_NAMES",
                                "information_schema"))
                        .addFields(field("Table_type", "TABLE_TYPE", "TABLE_NAMES", "information_schema"))
                        .addRows(CompactRows.ofStrings("corder", "BASE TABLE")).build())
                .answer("SELECT * FROM corder", QueryResult.newBuilder()
                        .addFields(field("id", "id", "corder", "vt_customer")).build())
                .answer("SHOW CREATE DATABASE `vt_customer`", QueryResult.newBuilder()
                        .addFields(field("Database", "", "", "")).addFields(field("Create Database", "", "", ""))
                        .addRows(CompactRows.ofStrings("vt_customer",
                                "CREATE DATABASE `vt_customer` /*!40100 DEFAULT CHARACTER SET utf8mb4 */"))
                        .build());
        ExecutorFixture f = new ExecutorFixture(g).target("customer");

        QueryResult ct = f.exec("SHOW CREATE TABLE customer.corder");
        assertThat(values(ct).getFirst().get(1)).contains("REFERENCES `commerce`.`product` (`id`)")
                .doesNotContain("vt_");

        QueryResult tables = f.exec("SHOW FULL TABLES LIKE 'c%'");
        assertThat(tables.getFields(0).getName()).isEqualTo("Tables_in_customer (c%)");

        QueryResult rows = f.exec("SELECT * FROM corder");
        assertThat(rows.getFields(0).getDatabase()).isEqualTo("customer");

        QueryResult db = f.exec("SHOW CREATE DATABASE customer");
        assertThat(values(db)).containsExactly(List.of("customer",
                "CREATE DATABASE `customer` /*!40100 DEFAULT CHARACTER SET utf8mb4 */"));
    }

    @Test
    void resultsWithNothingToRenameAreReturnedAsTheyAre() {
        QueryResult tablet = FakeGateway.rows(List.of("a"), List.of(List.of("vt_commerce")));
        ExecutorFixture f = new ExecutorFixture(FakeGateway.standard().answer("SELECT a FROM t", tablet))
                .target("commerce");
        assertThat(f.exec("SELECT a FROM t")).isSameAs(tablet);
    }
}
