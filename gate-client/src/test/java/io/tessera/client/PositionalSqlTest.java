package io.tessera.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Positional placeholders become :v1.. exactly where MySQL would see a placeholder, and nowhere else. */
class PositionalSqlTest {
    private static String rewrite(String sql, Object... params) {
        return PositionalSql.bind(sql, params).sql();
    }

    @Test
    void namesPlaceholdersInOrderAndBindsTheirValues() {
        PositionalSql.Bound bound = PositionalSql.bind("insert into t(a, b) values (?, ?)", new Object[] {1, "x"});
        assertThat(bound.sql()).isEqualTo("insert into t(a, b) values (:v1, :v2)");
        assertThat(bound.bindVariables().keySet()).containsExactly("v1", "v2");
        assertThat(bound.bindVariables().get("v1")).isEqualTo(BindVariables.of(1));
        assertThat(bound.bindVariables().get("v2")).isEqualTo(BindVariables.of("x"));
    }

    @Test
    void leavesQuestionMarksInStringsIdentifiersAndCommentsAlone() {
        assertThat(rewrite("select '?', \"?\", `a?` from t where a = ?", 1))
                .isEqualTo("select '?', \"?\", `a?` from t where a = :v1");
        assertThat(rewrite("select 'it''s ?', 'a\\'?' , ?", 1)).isEqualTo("select 'it''s ?', 'a\\'?' , :v1");
        assertThat(rewrite("select ? -- why?\n, ? # really?\n/* what? */", 1, 2))
                .isEqualTo("select :v1 -- why?\n, :v2 # really?\n/* what? */");
        assertThat(rewrite("select 1--?", 5)).isEqualTo("select 1--:v1");
        assertThat(rewrite("select /*! ? */ 1", 5)).isEqualTo("select /*! :v1 */ 1");
        assertThat(rewrite("select 'unterminated ?")).isEqualTo("select 'unterminated ?");
    }

    @Test
    void keepsAPlaceholderFromRunningIntoTheNextWord() {
        assertThat(rewrite("select * from t where a=?AND b=?", 1, 2))
                .isEqualTo("select * from t where a=:v1 AND b=:v2");
    }

    @Test
    void refusesAMismatchOfPlaceholdersAndParameters() {
        assertThatThrownBy(() -> rewrite("select ?, ?", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more ? placeholders than the 1 parameters");
        assertThatThrownBy(() -> rewrite("select ?", 1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 ? placeholders but 2 parameters");
        assertThat(rewrite("select :named")).isEqualTo("select :named");
    }
}
