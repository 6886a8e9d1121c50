package io.tessera.gate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlaceholdersTest {
    @Test
    void countsOnlyParametersOutsideStringsAndComments() {
        assertThat(Placeholders.count("SELECT * FROM t WHERE a = ? AND b = '?' AND `c?` = ? /* ? */ -- ?\n"))
                .isEqualTo(2);
        assertThat(Placeholders.count("INSERT INTO t VALUES (?, ?, ?)")).isEqualTo(3);
        assertThat(Placeholders.count("SELECT 'no params'")).isZero();
    }

    @Test
    void rewritesParametersToBindVariablesInOrder() {
        assertThat(Placeholders.toBindVariables("SELECT * FROM t WHERE a = ? AND b IN (?,?) AND c = '?'"))
                .isEqualTo("SELECT * FROM t WHERE a = :v1 AND b IN (:v2,:v3) AND c = '?'");
        assertThat(Placeholders.toBindVariables("SELECT 1")).isEqualTo("SELECT 1");
    }

    @Test
    void namesTheBindVariablesAsTheRewrittenTextDoes() {
        String text = Placeholders.toBindVariables("SELECT " + "?, ".repeat(69) + "?");
        for (int n = 1; n <= 70; n++) {
            assertThat(text).contains(":" + Placeholders.name(n) + (n < 70 ? "," : ""));
        }
        assertThat(Placeholders.name(1)).isEqualTo("v1");
        assertThat(Placeholders.name(64)).isEqualTo("v64");
        assertThat(Placeholders.name(65)).isEqualTo("v65");
    }

    @Test
    void neutralValuesKeepLimitsNumeric() {
        assertThat(Placeholders.withNeutralValues("SELECT * FROM t WHERE a = ? LIMIT ?, ?"))
                .isEqualTo("SELECT * FROM t WHERE a = NULL LIMIT 0, 0");
        assertThat(Placeholders.withNeutralValues("SELECT ? FROM t LIMIT ? OFFSET ?"))
                .isEqualTo("SELECT NULL FROM t LIMIT 0 OFFSET 0");
    }
}
