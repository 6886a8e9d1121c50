package io.tessera.client;

import io.tessera.proto.query.BindVariable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rewrites a statement with positional {@code ?} placeholders into one with named placeholders {@code :v1},
 * {@code :v2}... (the form the gate binds), pairing each with its parameter.
 *
 * <p>A {@code ?} counts only where MySQL would see one: not inside a string ('...' or "..."), a quoted identifier
 * (`...`) or a comment ({@code -- }, {@code #}, {@code /* *}{@code /}); the text of an executable comment
 * ({@code /*! ... *}{@code /}) is SQL to MySQL and is scanned like SQL.
 */
final class PositionalSql {
    private PositionalSql() {}

    /** A rewritten statement and its bind variables. */
    record Bound(String sql, Map<String, BindVariable> bindVariables) {}

    /**
     * {@code sql} with its {@code ?} placeholders named and bound to {@code params} in order.
     *
     * @throws IllegalArgumentException if the number of placeholders and parameters differ, or a parameter has
     *     no bind variable type
     */
    static Bound bind(String sql, Object[] params) {
        StringBuilder out = new StringBuilder(sql.length() + 8);
        Map<String, BindVariable> bindVariables = new LinkedHashMap<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'' || c == '"' || c == '`') {
                end = quotedEnd(sql, i, c);
            } else if (c == '#' || (c == '-' && startsDashComment(sql, i))) {
                end = lineEnd(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*' && !(i + 2 < n && sql.charAt(i + 2) == '!')) {
                int close = sql.indexOf("*/", i + 2);
                end = close < 0 ? n : close + 2;
            } else if (c == '?') {
                String name = "v" + (bindVariables.size() + 1);
                if (bindVariables.size() >= params.length) {
                    throw new IllegalArgumentException("the statement has more ? placeholders than the "
                            + params.length + " parameters given: " + sql);
                }
                bindVariables.put(name, BindVariables.of(params[bindVariables.size()]));
                out.append(':').append(name);
                // Keep the name from running into a following word, as in "a=?AND b=1".
                if (i + 1 < n && isNameChar(sql.charAt(i + 1))) {
                    out.append(' ');
                }
                i++;
                continue;
            } else {
                end = i + 1;
            }
            out.append(sql, i, end);
            i = end;
        }
        if (bindVariables.size() != params.length) {
            throw new IllegalArgumentException("the statement has " + bindVariables.size() + " ? placeholders but "
                    + params.length + " parameters were given: " + sql);
        }
        return new Bound(out.toString(), bindVariables);
    }

    /** The index just past the quoted text opened at {@code start}; the rest of the statement if never closed. */
    private static int quotedEnd(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                // A doubled quote stands for the quote itself and does not close the text.
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** MySQL's "--" comment needs whitespace or a control character after the dashes (so "1--1" is arithmetic). */
    private static boolean startsDashComment(String sql, int i) {
        if (i + 1 >= sql.length() || sql.charAt(i + 1) != '-') {
            return false;
        }
        return i + 2 >= sql.length() || sql.charAt(i + 2) <= ' ';
    }

    private static int lineEnd(String sql, int start) {
        int newline = sql.indexOf('\n', start);
        return newline < 0 ? sql.length() : newline + 1;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
