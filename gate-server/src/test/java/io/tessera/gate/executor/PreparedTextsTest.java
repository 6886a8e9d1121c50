package io.tessera.gate.executor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PreparedTextsTest {
    @Test
    void countsParametersAndNamesThemOnce() {
        PreparedTexts texts = new PreparedTexts();
        PreparedTexts.Text t = texts.of("SELECT c FROM t WHERE id = ? AND s <> '?' /* ? */ AND k IN (?, ?)");
        assertThat(t.parameters()).isEqualTo(3);
        assertThat(t.statement()).isEqualTo("SELECT c FROM t WHERE id = :v1 AND s <> '?' /* ? */ AND k IN (:v2, :v3)");
        assertThat(texts.of(new String("SELECT c FROM t WHERE id = ? AND s <> '?' /* ? */ AND k IN (?, ?)")))
                .isSameAs(t);
        assertThat(texts.of("SELECT 1")).isEqualTo(new PreparedTexts.Text(0, "SELECT 1", false));
    }

    @Test
    void knowsWhichStatementsTheSessionAnswersItself() {
        PreparedTexts texts = new PreparedTexts();
        assertThat(texts.of("SELECT c FROM t WHERE id = ?").answeredHere()).isFalse();
        assertThat(texts.of("SELECT CONNECTION_ID()").answeredHere()).isTrue();
        assertThat(texts.of("select connection_id() AS id").answeredHere()).isTrue();
        assertThat(texts.of("KILL QUERY ?").answeredHere()).isFalse(); // a placeholder is no connection id
        assertThat(texts.of("KILL 42").answeredHere()).isTrue();
        assertThat(texts.of(" kill connection 7;").answeredHere()).isTrue();
        assertThat(texts.of("SELECT connection_id, ? FROM t").answeredHere()).isFalse();
    }

    @Test
    void startsOverWhenFull() {
        PreparedTexts texts = new PreparedTexts();
        for (int i = 0; i < PreparedTexts.MAX_ENTRIES; i++) {
            texts.of("SELECT ? + " + i);
        }
        assertThat(texts.size()).isEqualTo(PreparedTexts.MAX_ENTRIES);
        assertThat(texts.of("SELECT ?, ?").parameters()).isEqualTo(2);
        assertThat(texts.size()).isEqualTo(1);
    }
}
