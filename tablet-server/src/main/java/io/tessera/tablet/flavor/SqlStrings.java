package io.tessera.tablet.flavor;

import java.math.BigDecimal;
import java.time.Duration;

/** Literals for the SQL the flavors generate. */
final class SqlStrings {
    private SqlStrings() {}

    /**
     * Quotes {@code value} as a single-quoted SQL string literal.
     *
     * <p>A quote is doubled rather than backslash-escaped, so no value can end the literal early even on a session
     * with {@code NO_BACKSLASH_ESCAPES}. Backslashes and control characters are escaped with backslashes, which
     * gives the exact value under the default SQL mode that Tessera's own connections use.
     */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'' -> sb.append("''");
                case '\\' -> sb.append("\\\\");
                case '\0' -> sb.append("\\0");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\u001a' -> sb.append("\\Z");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /** {@code duration} in seconds with up to millisecond precision, for example {@code 1.5} or {@code 10}. */
    static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    /** {@code duration} in whole seconds, rounded up so that a short wait never becomes no wait at all. */
    static long wholeSecondsRoundedUp(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() > 0 ? seconds + 1 : seconds;
    }
}
