package io.tessera.gate.sql;

import java.util.List;

/**
 * The tokens of one statement (see {@link SqlLexer#lex}), indexable with look-ahead: reading past the last token
 * gives an {@link TokenType#END} token instead of failing.
 */
public final class Tokens {
    private final String sql;
    private final List<Token> list;
    private final List<String> hints;
    private final Token end;

    Tokens(String sql, List<Token> list, List<String> hints) {
        this.sql = sql;
        this.list = List.copyOf(list);
        this.hints = List.copyOf(hints);
        this.end = new Token(TokenType.END, sql.length(), sql.length(), "", false);
    }

    /** The statement's text. */
    public String sql() {
        return sql;
    }

    /** The number of tokens. */
    public int size() {
        return list.size();
    }

    /** True if the statement has no tokens (empty, blank or only comments). */
    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** Token {@code i}; an END token for any index past the last (or before the first). */
    public Token get(int i) {
        return i >= 0 && i < list.size() ? list.get(i) : end;
    }

    /** Every token, in order. */
    public List<Token> all() {
        return list;
    }

    /** The bodies of the hint comments ({@code /*+ ... *}{@code /}), in order. */
    public List<String> hints() {
        return hints;
    }

    /** The index of the first token at or after {@code from} that is the word {@code upper}, or -1. */
    public int indexOfWord(String upper, int from) {
        for (int i = Math.max(0, from); i < list.size(); i++) {
            if (list.get(i).isWord(upper)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * True if the word {@code upper} appears at parenthesis depth zero, counted from the first token (a subquery's
     * FROM does not count).
     */
    public boolean hasTopLevelWord(String upper) {
        return topLevelIndexOf(upper, 0) >= 0;
    }

    /** The index of the first token at or after {@code from} that is the word {@code upper} at depth zero, or -1. */
    public int topLevelIndexOf(String upper, int from) {
        int depth = 0;
        for (int i = 0; i < list.size(); i++) {
            Token t = list.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth <= 0 && i >= from && t.isWord(upper)) {
                return i;
            }
        }
        return -1;
    }
}
