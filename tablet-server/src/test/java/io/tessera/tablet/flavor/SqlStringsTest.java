package io.tessera.tablet.flavor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqlStringsTest {

    @Test
    void quotesPlainText() {
        assertThat(SqlStrings.quote("repl")).isEqualTo("'repl'");
        assertThat(SqlStrings.quote("")).isEqualTo("''");
    }

    @Test
    void doublesQuotesSoTheLiteralCannotEndEarly() {
        assertThat(SqlStrings.quote("it's")).isEqualTo("'it''s'");
        assertThat(SqlStrings.quote("'; DROP TABLE t; --")).isEqualTo("'''; DROP TABLE t; --'");
    }

    @Test
    void escapesBackslashesAndControlCharacters() {
        assertThat(SqlStrings.quote("a\\b")).isEqualTo("'a\\\\b'");
        assertThat(SqlStrings.quote("\\'")).isEqualTo("'\\\\'''");
        assertThat(SqlStrings.quote("x\0y\nz\r\u001a")).isEqualTo("'x\\0y\\nz\\r\\Z'");
        assertThat(SqlStrings.quote("\"double\"")).isEqualTo("'\"double\"'");
        assertThat(SqlStrings.quote("pässwörd✓")).isEqualTo("'pässwörd✓'");
    }

    @Test
    void formatsSeconds() {
        assertThat(SqlStrings.seconds(Duration.ofSeconds(10))).isEqualTo("10");
        assertThat(SqlStrings.seconds(Duration.ofMillis(1500))).isEqualTo("1.5");
        assertThat(SqlStrings.seconds(Duration.ofMillis(1))).isEqualTo("0.001");
        assertThat(SqlStrings.seconds(Duration.ofMinutes(2))).isEqualTo("120");
        assertThat(SqlStrings.wholeSecondsRoundedUp(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(SqlStrings.wholeSecondsRoundedUp(Duration.ofSeconds(3))).isEqualTo(3);
        assertThat(SqlStrings.wholeSecondsRoundedUp(Duration.ofNanos(1))).isEqualTo(1);
    }
}
