package io.tessera.gate.executor;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One statement the gate ran.
 *
 * @param time when it started
 * @param user who ran it
 * @param target the session's target when it ran (empty for none)
 * @param statement its type, as the metrics label it (select, insert, set...)
 * @param duration how long it took at the gate
 * @param rows rows returned, or rows affected for statements without a result set
 * @param error the error code ({@code NOT_FOUND}, {@code DEADLINE_EXCEEDED}...) and MySQL errno, empty on success
 * @param sql the statement as the client sent it
 */
public record QueryLogEntry(Instant time, String user, String target, String statement, Duration duration,
        long rows, String error, String sql) {
    public QueryLogEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(sql, "sql");
    }

    /**
     * The entry as one line of tab-separated fields: time, user, target, statement, seconds, rows, error, SQL (with
     * tabs, newlines and backslashes escaped so that the line stays one line).
     */
    public String format() {
        return time + "\t" + user + "\t" + target + "\t" + statement + "\t"
                + String.format(java.util.Locale.ROOT, "%.6f", duration.toNanos() / 1e9) + "\t" + rows + "\t"
                + error + "\t" + escape(sql);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
