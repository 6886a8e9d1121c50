package io.tessera.ctl.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.queryservice.CompactRows;
import org.junit.jupiter.api.Test;

class BorderedTableTest {
    static final QueryResult RESULT = QueryResult.newBuilder()
            .addFields(Field.newBuilder().setName("id").setType(Type.INT64))
            .addFields(Field.newBuilder().setName("name").setType(Type.VARCHAR))
            .addRows(CompactRows.ofStrings("1", "alice"))
            .addRows(CompactRows.ofStrings("22", null))
            .addRows(CompactRows.ofStrings("333", "日本語"))
            .setRowsAffected(3)
            .build();

    @Test
    void drawsLikeTheMysqlClient() {
        assertThat(BorderedTable.render(RESULT)).isEqualTo("""
                +-----+-------+
                | id  | name  |
                +-----+-------+
                |   1 | alice |
                |  22 | NULL  |
                | 333 | 日本語   |
                +-----+-------+
                """);
    }

    @Test
    void emptyResultPrintsTheHeaderOnly() {
        QueryResult empty = QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("Tables_in_vt_commerce").setType(Type.VARCHAR)).build();
        assertThat(BorderedTable.render(empty)).isEqualTo("""
                +-----------------------+
                | Tables_in_vt_commerce |
                +-----------------------+
                """);
    }

    @Test
    void statementWithoutFieldsPrintsRowsAffected() {
        assertThat(BorderedTable.render(QueryResult.newBuilder().setRowsAffected(2).build()))
                .isEqualTo("Query OK, 2 rows affected\n");
        assertThat(BorderedTable.render(QueryResult.newBuilder().setRowsAffected(1).build()))
                .isEqualTo("Query OK, 1 row affected\n");
    }

    @Test
    void widthsCountCodePointsNotUtf16Units() {
        QueryResult r = QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("e").setType(Type.VARCHAR))
                .addRows(CompactRows.ofStrings("😀x"))
                .build();
        assertThat(BorderedTable.render(r)).isEqualTo("""
                +----+
                | e  |
                +----+
                | 😀x |
                +----+
                """);
    }

    @Test
    void jsonShape() {
        assertThat(QueryResultJson.render(RESULT)).isEqualTo("""
                {
                  "fields": [
                    {"name": "id", "type": "INT64"},
                    {"name": "name", "type": "VARCHAR"}
                  ],
                  "rows": [
                    ["1", "alice"],
                    ["22", null],
                    ["333", "日本語"]
                  ],
                  "rows_affected": 3,
                  "insert_id": 0
                }
                """);
        assertThat(QueryResultJson.render(QueryResult.newBuilder().setRowsAffected(1).setInsertId(7).build()))
                .isEqualTo("""
                        {
                          "fields": [],
                          "rows": [],
                          "rows_affected": 1,
                          "insert_id": 7
                        }
                        """);
    }
}
