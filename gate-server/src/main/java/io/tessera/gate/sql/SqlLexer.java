package io.tessera.gate.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into tokens without parsing it: enough for the gate to classify statements, split multi-statement
 * text, find placeholders, variables and schema names, and rewrite them in place (every token knows its offsets).
 *
 * <p>Comments are skipped, with two exceptions that matter to a MySQL server: the contents of executable comments
 * ({@code /*!NNNNN ... *}{@code /} and MariaDB's {@code /*M!NNNNNN ... *}{@code /}) are read as SQL when their
 * version is at most {@link #EXECUTABLE_COMMENT_VERSION} (MariaDB 10.11, the server behind the tablets, runs those and
 * ignores later ones such as the {@code /*!999999\- enable the sandbox mode *}{@code /} line of newer dump files);
 * and the bodies of hint comments
 * ({@code /*+ ... *}{@code /}, {@code /*vt+ ... *}{@code /}) are kept, because they carry gate directives such as
 * {@code QUERY_TIMEOUT_MS}. String literals use MySQL's default escaping (backslash and doubled quotes); double
 * quotes delimit strings, as without {@code ANSI_QUOTES}. Unterminated strings and comments run to the end of the
 * text: the server reports them.
 */
public final class SqlLexer {
    /** The highest version of an executable comment whose contents count as SQL: MariaDB 10.11's. */
    public static final int EXECUTABLE_COMMENT_VERSION = 101199;

    private final String sql;
    private final int length;
    private final List<String> hints = new ArrayList<>(0);
    private int pos;
    private int executableDepth;
    private int previousEnd = -1;

    private SqlLexer(String sql) {
        this.sql = sql;
        this.length = sql.length();
    }

    /** Every token of {@code sql}, with the hint comments found on the way. */
    public static Tokens lex(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        List<Token> tokens = new ArrayList<>(Math.min(1024, 8 + sql.length() / 4));
        for (Token t = lexer.next(); t.type() != TokenType.END; t = lexer.next()) {
            tokens.add(t);
        }
        return new Tokens(sql, tokens, lexer.hints);
    }

    private Token next() {
        skipSpaceAndComments();
        int start = pos;
        if (pos >= length) {
            return new Token(TokenType.END, length, length, "", false);
        }
        char c = sql.charAt(pos);
        TokenType type;
        if (c == '\'' || c == '"') {
            pos = endOfQuoted(pos, c, true);
            type = TokenType.STRING;
        } else if (c == '`') {
            pos = endOfQuoted(pos, '`', false);
            type = TokenType.QUOTED_IDENTIFIER;
        } else if (c == '@' && !glued(start)) {
            type = variable();
        } else if (c == ':' && isBindStart(pos)) {
            pos += sql.charAt(pos + 1) == ':' ? 2 : 1;
            while (pos < length && isWordChar(sql.charAt(pos))) {
                pos++;
            }
            type = TokenType.BIND_VARIABLE;
        } else if (c == '?') {
            pos++;
            type = TokenType.PARAMETER;
        } else if (isDigit(c) || (c == '.' && pos + 1 < length && isDigit(sql.charAt(pos + 1)) && !glued(start))) {
            number();
            type = TokenType.NUMBER;
        } else if (isWordChar(c)) {
            while (pos < length && isWordChar(sql.charAt(pos))) {
                pos++;
            }
            type = TokenType.WORD;
        } else {
            pos += symbolLength(pos);
            type = TokenType.SYMBOL;
        }
        previousEnd = pos;
        return new Token(type, start, pos, sql.substring(start, pos), executableDepth > 0);
    }

    /**
     * True when the character at {@code at} directly follows a word, a quote or a closing backquote: then
     * {@code @} is the host part of {@code 'user'@'host'} and a dot separates qualified names rather than starting
     * a number.
     */
    private boolean glued(int at) {
        if (at == 0 || previousEnd != at) {
            return false;
        }
        char p = sql.charAt(at - 1);
        return isWordChar(p) || p == '`' || p == '\'' || p == '"';
    }

    private TokenType variable() {
        boolean system = pos + 1 < length && sql.charAt(pos + 1) == '@';
        pos += system ? 2 : 1;
        if (pos < length && (sql.charAt(pos) == '\'' || sql.charAt(pos) == '"' || sql.charAt(pos) == '`')) {
            char q = sql.charAt(pos);
            pos = endOfQuoted(pos, q, q != '`');
        } else {
            // Names may be qualified by a scope (@@session.sql_mode) or contain dots and dollars (@a.b$c).
            while (pos < length && (isWordChar(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                pos++;
            }
            if (system && pos < length && sql.charAt(pos) == '`' && sql.charAt(pos - 1) == '.') {
                pos = endOfQuoted(pos, '`', false);
            }
        }
        return system ? TokenType.SYSTEM_VARIABLE : TokenType.USER_VARIABLE;
    }

    private void number() {
        if (sql.charAt(pos) == '0' && pos + 1 < length && (sql.charAt(pos + 1) == 'x' || sql.charAt(pos + 1) == 'b')) {
            pos += 2;
            while (pos < length && isWordChar(sql.charAt(pos))) {
                pos++;
            }
            return;
        }
        while (pos < length) {
            char c = sql.charAt(pos);
            if (isDigit(c) || c == '.') {
                pos++;
            } else if ((c == 'e' || c == 'E') && pos + 1 < length && (isDigit(sql.charAt(pos + 1))
                    || ((sql.charAt(pos + 1) == '-' || sql.charAt(pos + 1) == '+') && pos + 2 < length
                            && isDigit(sql.charAt(pos + 2))))) {
                pos += 2;
            } else if (isWordChar(c)) {
                pos++; // MySQL allows identifiers that start with digits (1abc); keep them in one token
            } else {
                return;
            }
        }
    }

    private int symbolLength(int at) {
        if (at + 2 < length) {
            String three = sql.substring(at, at + 3);
            if (three.equals("<=>") || three.equals("->>")) {
                return 3;
            }
        }
        if (at + 1 < length) {
            switch (sql.substring(at, at + 2)) {
                case ":=", "<=", ">=", "<>", "!=", "||", "&&", "->", "<<", ">>" -> {
                    return 2;
                }
                default -> { }
            }
        }
        return 1;
    }

    private boolean isBindStart(int colon) {
        int i = colon + 1;
        if (i < length && sql.charAt(i) == ':') {
            i++;
        }
        if (i >= length) {
            return false;
        }
        char c = sql.charAt(i);
        return Character.isLetter(c) || c == '_';
    }

    private int endOfQuoted(int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        while (i < length) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < length && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return length;
    }

    private void skipSpaceAndComments() {
        while (pos < length) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#') {
                skipToEndOfLine();
            } else if (c == '-' && sql.startsWith("--", pos)
                    && (pos + 2 == length || Character.isWhitespace(sql.charAt(pos + 2)))) {
                skipToEndOfLine();
            } else if (c == '/' && pos + 1 < length && sql.charAt(pos + 1) == '*') {
                comment();
            } else if (c == '*' && executableDepth > 0 && pos + 1 < length && sql.charAt(pos + 1) == '/') {
                executableDepth--;
                pos += 2;
            } else {
                return;
            }
        }
    }

    private void comment() {
        if (pos + 2 < length && sql.charAt(pos + 2) == '!' && enterExecutable(pos + 3)) {
            return;
        }
        if (sql.startsWith("M!", pos + 2) && enterExecutable(pos + 4)) {
            return;
        }
        int close = sql.indexOf("*/", pos + 2);
        int end = close < 0 ? length : close;
        if (sql.startsWith("+", pos + 2)) {
            hints.add(sql.substring(pos + 3, end));
        } else if (sql.startsWith("vt+", pos + 2)) {
            hints.add(sql.substring(Math.min(pos + 5, end), end));
        }
        pos = close < 0 ? length : close + 2;
    }

    /**
     * At {@code /*!NNNNN}: skips the optional version number and reads the contents as SQL, unless the version is
     * too recent (then returns false and the comment is skipped like any other).
     */
    private boolean enterExecutable(int from) {
        int i = from;
        while (i < length && isDigit(sql.charAt(i))) {
            i++;
        }
        if (i > from && (i - from > 6 || Integer.parseInt(sql, from, i, 10) > EXECUTABLE_COMMENT_VERSION)) {
            return false;
        }
        executableDepth++;
        pos = i;
        return true;
    }

    private void skipToEndOfLine() {
        int nl = sql.indexOf('\n', pos);
        pos = nl < 0 ? length : nl + 1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Characters of unquoted identifiers and keywords: ASCII letters, digits, {@code _}, {@code $} and non-ASCII. */
    public static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }
}
