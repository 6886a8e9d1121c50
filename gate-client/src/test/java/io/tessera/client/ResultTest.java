package io.tessera.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.queryservice.CompactRows;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Results and rows decoded from the compact row format. */
class ResultTest {
    private static final QueryResult RESULT = QueryResult.newBuilder()
            .addFields(Field.newBuilder().setName("id").setType(Type.INT64))
            .addFields(Field.newBuilder().setName("Name").setType(Type.VARCHAR))
            .addFields(Field.newBuilder().setName("data").setType(Type.VARBINARY))
            .addFields(Field.newBuilder().setName("price").setType(Type.DECIMAL))
            .addRows(CompactRows.of(Arrays.asList("1".getBytes(StandardCharsets.UTF_8),
                    "Zoë".getBytes(StandardCharsets.UTF_8), new byte[] {0, -1}, "9.90".getBytes(StandardCharsets.UTF_8))))
            .addRows(CompactRows.of(Arrays.asList("18446744073709551615".getBytes(StandardCharsets.UTF_8), null,
                    new byte[0], null)))
            .setRowsAffected(-1L) // 2^64-1 on the wire
            .setInsertId(5)
            .build();

    @Test
    void decodesFieldsCountsAndRows() {
        Result result = Result.of(RESULT);
        assertThat(result.fields()).containsExactly(new Column("id", Type.INT64), new Column("Name", Type.VARCHAR),
                new Column("data", Type.VARBINARY), new Column("price", Type.DECIMAL));
        assertThat(Long.toUnsignedString(result.rowsAffected())).isEqualTo("18446744073709551615");
        assertThat(result.insertId()).isEqualTo(5);
        assertThat(result.rows()).hasSize(2);
    }

    @Test
    void readsValuesByIndexAndByName() {
        Row row = Result.of(RESULT).rows().getFirst();
        assertThat(row.size()).isEqualTo(4);
        assertThat(row.getLong(0)).isEqualTo(1L);
        assertThat(row.get("Name")).isEqualTo("Zoë");
        assertThat(row.get("name")).isEqualTo("Zoë");
        assertThat(row.getBytes("data")).containsExactly(0, -1);
        assertThat(row.getBigDecimal("price")).isEqualTo(new BigDecimal("9.90"));
        assertThat(row.isNull(1)).isFalse();
        assertThatThrownBy(() -> row.get("missing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[id, Name, data, price]");
        assertThatThrownBy(() -> row.get(4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void tellsNullFromEmpty() {
        Row row = Result.of(RESULT).rows().get(1);
        assertThat(row.isNull("Name")).isTrue();
        assertThat(row.get(1)).isNull();
        assertThat(row.getLong("price")).isNull();
        assertThat(row.getBytes(1)).isNull();
        assertThat(row.isNull("data")).isFalse();
        assertThat(row.getBytes("data")).isEmpty();
        assertThat(row.values()).containsExactly("18446744073709551615", null, "", null);
        assertThatThrownBy(() -> row.getLong(0)).isInstanceOf(NumberFormatException.class);
        assertThat(row.getBigDecimal(0)).isEqualTo(new BigDecimal("18446744073709551615"));
    }

    @Test
    void aColumnNameMatchesExactlyFirstAndThenIgnoringCase() {
        Result result = Result.of(QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("a").setType(Type.INT64))
                .addFields(Field.newBuilder().setName("A").setType(Type.INT64))
                .addFields(Field.newBuilder().setName("a").setType(Type.INT64))
                .addRows(CompactRows.ofStrings("1", "2", "3")).build());
        Row row = result.rows().getFirst();
        assertThat(row.get("a")).isEqualTo("1");
        assertThat(row.get("A")).isEqualTo("2");
    }
}
