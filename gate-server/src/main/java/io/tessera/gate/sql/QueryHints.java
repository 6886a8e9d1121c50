package io.tessera.gate.sql;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gate directives carried in hint comments, as Vitess clients write them: {@code /*+ QUERY_TIMEOUT_MS=500 *}{@code /}
 * or {@code /*vt+ QUERY_TIMEOUT_MS=500 *}{@code /}, anywhere in the statement (usually right after the verb).
 */
public final class QueryHints {
    private static final Pattern TIMEOUT = Pattern.compile("(?i)\\bQUERY_TIMEOUT_MS\\s*=\\s*(\\d{1,18})\\b");

    private QueryHints() {}

    /** The statement's {@code QUERY_TIMEOUT_MS} in milliseconds, if it has one (0 means no timeout). */
    public static OptionalLong queryTimeoutMillis(Tokens tokens) {
        for (String hint : tokens.hints()) {
            Matcher m = TIMEOUT.matcher(hint);
            if (m.find()) {
                return OptionalLong.of(Long.parseLong(m.group(1)));
            }
        }
        return OptionalLong.empty();
    }
}
