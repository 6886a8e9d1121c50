package io.tessera.gate.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.queryservice.CompactRows;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ColumnsMemoTest {
    /** Definitions as a tablet sends them: parsed afresh from the wire for every result. */
    private static List<Field> fromTablet(String database, String... names) throws Exception {
        QueryResult.Builder r = QueryResult.newBuilder();
        for (String n : names) {
            r.addFields(Field.newBuilder().setName(n).setOrgName(n).setTable("t").setOrgTable("t")
                    .setDatabase(database).setType(Type.VARCHAR).setCharset(45).setColumnLength(400));
        }
        return QueryResult.parseFrom(r.build().toByteArray()).getFieldsList();
    }

    @Test
    void equalDefinitionsGetTheSamePlanAndTheSameRenamedObjects() throws Exception {
        ColumnsMemo memo = new ColumnsMemo();
        Set<String> keyspaces = Set.of("commerce");
        ResultRewriter.Columns first = memo.columns(fromTablet("vt_commerce", "id", "TABLE_SCHEMA"), keyspaces);
        ResultRewriter.Columns again = memo.columns(fromTablet("vt_commerce", "id", "TABLE_SCHEMA"), keyspaces);

        assertThat(again).isSameAs(first);
        assertThat(first.fields()).extracting(Field::getDatabase).containsOnly("commerce");
        assertThat(first.fieldsChanged()).isTrue();
        assertThat(first.valueColumns()).containsExactly(1);
        ResultRewriter.Columns fresh = ResultRewriter.columns(fromTablet("vt_commerce", "id", "TABLE_SCHEMA"),
                keyspaces);
        assertThat(first.fields()).isEqualTo(fresh.fields());
        assertThat(memo.size()).isEqualTo(1);

        assertThat(memo.columns(fromTablet("vt_commerce", "id", "name"), keyspaces)).isNotSameAs(first);
        assertThat(memo.size()).isEqualTo(2);
    }

    @Test
    void aKeyspaceLearnedLaterChangesThePlan() throws Exception {
        ColumnsMemo memo = new ColumnsMemo();
        ResultRewriter.Columns before = memo.columns(fromTablet("vt_customer", "id"), Set.of("commerce"));
        assertThat(before.fieldsChanged()).isFalse();
        ResultRewriter.Columns after = memo.columns(fromTablet("vt_customer", "id"), Set.of("commerce", "customer"));
        assertThat(after.fieldsChanged()).isTrue();
        assertThat(after.fields()).extracting(Field::getDatabase).containsExactly("customer");
    }

    @Test
    void resultsThroughTheMemoCarryTheRememberedObjects() throws Exception {
        ColumnsMemo memo = new ColumnsMemo();
        Set<String> keyspaces = Set.of("commerce");
        QueryResult[] out = new QueryResult[2];
        for (int i = 0; i < 2; i++) {
            QueryResult tablet = QueryResult.newBuilder().addAllFields(fromTablet("vt_commerce", "c"))
                    .addRows(CompactRows.ofStrings("x" + i)).build();
            out[i] = ResultRewriter.toClient(tablet, keyspaces, memo);
        }
        assertThat(out[1].getFields(0)).isSameAs(out[0].getFields(0));
        assertThat(out[1].getFields(0).getDatabase()).isEqualTo("commerce");
        assertThat(CompactRows.values(out[1].getRows(0)).get(0).toStringUtf8()).isEqualTo("x1");
    }

    @Test
    void boundedItStartsOverWhenFull() throws Exception {
        ColumnsMemo memo = new ColumnsMemo();
        for (int i = 0; i < ColumnsMemo.MAX_ENTRIES + 5; i++) {
            memo.columns(fromTablet("vt_commerce", "c" + i), Set.of("commerce"));
        }
        assertThat(memo.size()).isBetween(1, ColumnsMemo.MAX_ENTRIES);
    }
}
