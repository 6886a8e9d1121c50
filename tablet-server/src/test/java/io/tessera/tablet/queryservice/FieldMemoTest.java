package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.query.ExecuteOptions.IncludedFields;
import io.tessera.proto.query.Field;
import io.tessera.tablet.mysqlclient.ColumnDefinition;
import org.junit.jupiter.api.Test;

class FieldMemoTest {
    private static ColumnDefinition column(String name) {
        return new ColumnDefinition("def", "vt_commerce", "p", "product", name, "prod_" + name, 224, 400, 253, 0, 0);
    }

    @Test
    void theSameFieldAsFieldsMakesItOnceForEqualDefinitions() throws Exception {
        FieldMemo memo = new FieldMemo();
        for (IncludedFields included : new IncludedFields[] {IncludedFields.ALL, IncludedFields.TYPE_AND_NAME,
                IncludedFields.TYPE_ONLY}) {
            Field f = memo.field(column("ç€"), included);
            assertThat(f).isEqualTo(Fields.field(column("ç€"), included));
            assertThat(Field.parseFrom(f.toByteArray())).isEqualTo(f);
        }
        Field first = memo.field(column("sku"), IncludedFields.ALL);
        assertThat(memo.field(column("sku"), IncludedFields.ALL)).isSameAs(first);
        assertThat(first.getOrgName()).isEqualTo("prod_sku");
        assertThat(first.getDatabase()).isEqualTo("vt_commerce");
        assertThat(memo.field(column("other"), IncludedFields.ALL)).isNotSameAs(first);
    }

    @Test
    void boundedItStartsOverWhenFull() {
        FieldMemo memo = new FieldMemo();
        for (int i = 0; i < FieldMemo.MAX_ENTRIES + 3; i++) {
            memo.field(column("c" + i), IncludedFields.ALL);
        }
        assertThat(memo.size()).isBetween(1, FieldMemo.MAX_ENTRIES);
    }
}
