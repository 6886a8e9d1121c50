package io.tessera.tablet.queryservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.Type;
import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMemoTest {
    private static BoundQuery withVariable(String sql) {
        return BoundQuery.newBuilder().setSql(sql).putBindVariables("v1", BindVariable.newBuilder()
                .setType(Type.INT64).setValue(ByteString.copyFromUtf8("1")).build()).build();
    }

    @Test
    void givesWhatTheClassifierGives() {
        ClassificationMemo memo = new ClassificationMemo();
        for (String sql : List.of("SELECT c FROM t WHERE id = :v1", "SELECT c FROM t WHERE id = :v1 FOR UPDATE",
                "UPDATE t SET c = 'x' WHERE id = :v1", "INSERT INTO t VALUES (:v1)",
                "SELECT GET_LOCK('l', :v1)", "CREATE TEMPORARY TABLE tt SELECT :v1", "SET @a = :v1", "begin")) {
            StatementInfo expected = StatementClassifier.classify(sql);
            assertThat(memo.classify(withVariable(sql))).as(sql).isEqualTo(expected);
            assertThat(memo.classify(withVariable(sql))).as("%s, remembered", sql).isEqualTo(expected);
            assertThat(memo.classify(BoundQuery.newBuilder().setSql(sql).build())).as("%s, no variables", sql)
                    .isEqualTo(expected);
        }
        assertThat(memo.size()).isEqualTo(8);
    }

    @Test
    void remembersOnlyStatementsWithBindVariablesAndStaysBounded() {
        ClassificationMemo memo = new ClassificationMemo();
        for (int i = 0; i < 100; i++) {
            memo.classify(BoundQuery.newBuilder().setSql("SELECT c FROM t WHERE id = " + i).build());
        }
        assertThat(memo.size()).as("texts with their values in them").isZero();
        for (int i = 0; i < ClassificationMemo.MAX_ENTRIES + 10; i++) {
            memo.classify(withVariable("SELECT c" + i + " FROM t WHERE id = :v1"));
        }
        assertThat(memo.size()).isBetween(1, ClassificationMemo.MAX_ENTRIES);
        assertThat(memo.classify(withVariable("DELETE FROM t WHERE id = :v1")).kind())
                .isEqualTo(StatementClassifier.classify("DELETE FROM t WHERE id = 1").kind());
    }
}
