package io.tessera.tablet.queryservice;

/**
 * Splits SQL into just enough tokens to classify a statement, find the tables it names and find its bind-variable
 * placeholders, without parsing it. Comments are skipped, except that the contents of MySQL's executable comments
 * ({@code /*! ... *}{@code /}, {@code /*M! ... *}{@code /}) are read as SQL, since the server runs them. String
 * literals are read with MySQL's default escaping (backslash and doubled quotes).
 *
 * <p>Call {@link #next()} until it returns {@link Type#END}; the current token's type, offsets and text are then
 * available. A lexer is used by one thread and only for one statement.
 */
final class SqlLexer {
    /** Token types. */
    enum Type {
        /** An unquoted word: a keyword or an identifier. */
        WORD,
        /** A backquoted identifier; {@link #identifier()} gives it unquoted. */
        QUOTED_IDENTIFIER,
        /** A string literal in single or double quotes. */
        STRING,
        /** A number (or anything starting with a digit). */
        NUMBER,
        /** A bind-variable placeholder {@code :name} (list form {@code ::name}). */
        BIND_VARIABLE,
        /** One punctuation or operator character. */
        SYMBOL,
        END
    }

    private final String sql;
    private final int length;
    private int pos;
    private int executableCommentDepth;

    private Type type;
    private int start;
    private int end;

    SqlLexer(String sql) {
        this.sql = sql;
        this.length = sql.length();
    }

    /** Advances to the next token and returns its type. */
    Type next() {
        skipSpaceAndComments();
        start = pos;
        if (pos >= length) {
            end = pos;
            return type = Type.END;
        }
        char c = sql.charAt(pos);
        if (c == '\'' || c == '"') {
            pos = endOfQuoted(pos, c, true);
            type = Type.STRING;
        } else if (c == '`') {
            pos = endOfQuoted(pos, '`', false);
            type = Type.QUOTED_IDENTIFIER;
        } else if (c == ':' && pos + 1 < length && isBindStart(pos)) {
            pos += sql.charAt(pos + 1) == ':' ? 2 : 1;
            while (pos < length && isWordChar(sql.charAt(pos))) {
                pos++;
            }
            type = Type.BIND_VARIABLE;
        } else if (isDigit(c) || (c == '.' && pos + 1 < length && isDigit(sql.charAt(pos + 1))
                && !previousIsWordOrQuote())) {
            pos++;
            while (pos < length && (isWordChar(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                pos++;
            }
            type = Type.NUMBER;
        } else if (isWordChar(c)) {
            while (pos < length && isWordChar(sql.charAt(pos))) {
                pos++;
            }
            type = Type.WORD;
        } else {
            pos++;
            type = Type.SYMBOL;
        }
        end = pos;
        return type;
    }

    Type type() {
        return type;
    }

    /** Offset of the current token's first character. */
    int start() {
        return start;
    }

    /** Offset just past the current token. */
    int end() {
        return end;
    }

    /** The current token as written. */
    String text() {
        return sql.substring(start, end);
    }

    /** True if the current token is the word {@code keyword} (given in upper case), in any case. */
    boolean isWord(String keyword) {
        return type == Type.WORD && end - start == keyword.length() && sql.regionMatches(true, start, keyword, 0,
                keyword.length());
    }

    /** True if the current token is the one-character symbol {@code c}. */
    boolean isSymbol(char c) {
        return type == Type.SYMBOL && sql.charAt(start) == c;
    }

    /** The current word in upper case (only meaningful for {@link Type#WORD}). */
    String upperWord() {
        return text().toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * The current identifier's name: a word as written, a backquoted identifier without its quotes (doubled
     * backquotes undone). Null for other tokens.
     */
    String identifier() {
        if (type == Type.WORD) {
            return text();
        }
        if (type == Type.QUOTED_IDENTIFIER) {
            int close = end > start + 1 && sql.charAt(end - 1) == '`' ? end - 1 : end;
            return sql.substring(start + 1, close).replace("``", "`");
        }
        return null;
    }

    /** The name of the current bind variable, without the colons. */
    String bindVariableName() {
        int s = start + 1;
        if (s < end && sql.charAt(s) == ':') {
            s++;
        }
        return sql.substring(s, end);
    }

    /** True if the current bind variable uses the list form {@code ::name}. */
    boolean isListBindVariable() {
        return end - start > 2 && sql.charAt(start + 1) == ':';
    }

    private boolean isBindStart(int colon) {
        int i = colon + 1;
        if (sql.charAt(i) == ':') {
            i++;
        }
        if (i >= length) {
            return false;
        }
        char c = sql.charAt(i);
        return Character.isLetter(c) || c == '_';
    }

    /** A dot right after a word or quoted name is a qualifier separator, not the start of a number like .5. */
    private boolean previousIsWordOrQuote() {
        if (pos == 0) {
            return false;
        }
        char p = sql.charAt(pos - 1);
        return isWordChar(p) || p == '`';
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
        return length; // unterminated: MySQL will report the syntax error
    }

    private void skipSpaceAndComments() {
        while (pos < length) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#') {
                skipToEndOfLine();
            } else if (c == '-' && pos + 2 <= length && sql.startsWith("--", pos)
                    && (pos + 2 == length || Character.isWhitespace(sql.charAt(pos + 2)))) {
                skipToEndOfLine();
            } else if (c == '/' && pos + 1 < length && sql.charAt(pos + 1) == '*') {
                if (pos + 2 < length && sql.charAt(pos + 2) == '!') {
                    enterExecutableComment(pos + 3);
                } else if (pos + 3 < length && sql.charAt(pos + 2) == 'M' && sql.charAt(pos + 3) == '!') {
                    enterExecutableComment(pos + 4);
                } else {
                    int close = sql.indexOf("*/", pos + 2);
                    pos = close < 0 ? length : close + 2;
                }
            } else if (c == '*' && executableCommentDepth > 0 && pos + 1 < length && sql.charAt(pos + 1) == '/') {
                executableCommentDepth--;
                pos += 2;
            } else {
                return;
            }
        }
    }

    /** Inside {@code /*!NNNNN ...}: skip the optional version number, then read the contents as SQL. */
    private void enterExecutableComment(int from) {
        int i = from;
        while (i < length && isDigit(sql.charAt(i))) {
            i++;
        }
        executableCommentDepth++;
        pos = i;
    }

    private void skipToEndOfLine() {
        int nl = sql.indexOf('\n', pos);
        pos = nl < 0 ? length : nl + 1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }
}
