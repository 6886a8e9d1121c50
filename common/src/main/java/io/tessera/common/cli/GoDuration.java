package io.tessera.common.cli;

import java.math.BigDecimal;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/**
 * Durations as vttablet flags take them: Go's syntax ({@code 30s}, {@code 1m30s}, {@code 250ms}, {@code 1.5h}),
 * or a bare number of seconds as older releases took ({@code 30}, {@code 0.5}).
 */
public final class GoDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text if it is not a duration
     */
    public static Duration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration; write for example 30s, 1m30s or 250ms");
        }
        try {
            if (s.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                return ofSeconds(new BigDecimal(s));
            }
            boolean negative = s.startsWith("-");
            if (negative || s.startsWith("+")) {
                s = s.substring(1);
            }
            BigDecimal nanos = BigDecimal.ZERO;
            int i = 0;
            while (i < s.length()) {
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                if (start == i) {
                    throw bad(text);
                }
                BigDecimal number = new BigDecimal(s.substring(start, i));
                int unitStart = i;
                while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                    i++;
                }
                nanos = nanos.add(number.multiply(unitNanos(s.substring(unitStart, i), text)));
            }
            Duration d = Duration.ofNanos(nanos.longValueExact());
            return negative ? d.negated() : d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(text);
        }
    }

    private static Duration ofSeconds(BigDecimal seconds) {
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    private static BigDecimal unitNanos(String unit, String text) {
        return switch (unit) {
            case "ns" -> BigDecimal.ONE;
            case "us", "µs", "μs" -> BigDecimal.valueOf(1_000L);
            case "ms" -> BigDecimal.valueOf(1_000_000L);
            case "s" -> BigDecimal.valueOf(1_000_000_000L);
            case "m" -> BigDecimal.valueOf(60_000_000_000L);
            case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
            default -> throw bad(text);
        };
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration; write for example 30s, 1m30s, 250ms "
                + "or a number of seconds");
    }
}
