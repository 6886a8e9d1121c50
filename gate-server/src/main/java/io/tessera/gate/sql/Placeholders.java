package io.tessera.gate.sql;

/**
 * The {@code ?} parameters of a prepared statement: only those outside strings, quoted identifiers and comments
 * count, as MySQL counts them.
 */
public final class Placeholders {
    /** The prefix of the bind variables {@link #toBindVariables} writes: {@code :v1}, {@code :v2}... */
    public static final String PREFIX = "v";

    /** The names of the first bind variables, made once: a prepared statement's every execute names them. */
    private static final String[] NAMES = new String[64];

    static {
        for (int i = 0; i < NAMES.length; i++) {
            NAMES[i] = PREFIX + (i + 1);
        }
    }

    private Placeholders() {}

    /** The name of the bind variable of parameter {@code n} (from 1): {@code v1}, {@code v2}... */
    public static String name(int n) {
        return n >= 1 && n <= NAMES.length ? NAMES[n - 1] : PREFIX + n;
    }

    /** The number of {@code ?} parameters in {@code sql}. */
    public static int count(String sql) {
        Tokens tokens = SqlLexer.lex(sql);
        int n = 0;
        for (Token t : tokens.all()) {
            if (t.type() == TokenType.PARAMETER) {
                n++;
            }
        }
        return n;
    }

    /**
     * {@code sql} with its parameters replaced by the bind variables {@code :v1}, {@code :v2}... in order, which
     * the executor and the tablet fill from a bind-variable map.
     */
    public static String toBindVariables(String sql) {
        Tokens tokens = SqlLexer.lex(sql);
        StringBuilder out = null;
        int copied = 0;
        int n = 0;
        for (Token t : tokens.all()) {
            if (t.type() != TokenType.PARAMETER) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(sql.length() + 16);
            }
            out.append(sql, copied, t.start()).append(':').append(PREFIX).append(++n);
            copied = t.end();
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }

    /**
     * {@code sql} with every parameter replaced by a value that keeps it valid SQL, for describing a statement's
     * result columns before it has values: {@code NULL}, except in a {@code LIMIT} clause, where MySQL needs a
     * number and {@code 0} is used.
     */
    public static String withNeutralValues(String sql) {
        Tokens tokens = SqlLexer.lex(sql);
        StringBuilder out = null;
        int copied = 0;
        boolean inLimit = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isWord("LIMIT")) {
                inLimit = true;
            } else if (inLimit && !(t.type() == TokenType.PARAMETER || t.type() == TokenType.NUMBER
                    || t.isSymbol(",") || t.isWord("OFFSET"))) {
                inLimit = false;
            }
            if (t.type() != TokenType.PARAMETER) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(sql.length() + 16);
            }
            out.append(sql, copied, t.start()).append(inLimit ? "0" : "NULL");
            copied = t.end();
        }
        return out == null ? sql : out.append(sql, copied, sql.length()).toString();
    }
}
