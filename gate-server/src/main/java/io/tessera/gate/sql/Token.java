package io.tessera.gate.sql;

import java.util.Locale;

/**
 * One token of a statement, with where it sits in the statement's text.
 *
 * @param type what kind of token it is
 * @param start offset of its first character in the statement
 * @param end offset just past its last character
 * @param text the token as written
 * @param executable whether it sits inside an executable comment ({@code /*!NNNNN ... *}{@code /})
 */
public record Token(TokenType type, int start, int end, String text, boolean executable) {
    /** True if this is the unquoted word {@code upper} (given in upper case), in any case. */
    public boolean isWord(String upper) {
        return type == TokenType.WORD && text.equalsIgnoreCase(upper);
    }

    /** True if this is the symbol {@code symbol}. */
    public boolean isSymbol(String symbol) {
        return type == TokenType.SYMBOL && text.equals(symbol);
    }

    /** True for a word or a backquoted identifier. */
    public boolean isIdentifier() {
        return type == TokenType.WORD || type == TokenType.QUOTED_IDENTIFIER;
    }

    /** The word in upper case; for other tokens their text. */
    public String upper() {
        return text.toUpperCase(Locale.ROOT);
    }

    /**
     * The name this token stands for: a word as written, a backquoted identifier without its quotes (doubled
     * backquotes undone), a string's value, a variable's name without its {@code @} signs and quotes.
     */
    public String name() {
        return switch (type) {
            case QUOTED_IDENTIFIER -> unquote(text, '`');
            case STRING -> stringValue();
            case USER_VARIABLE -> variableName(text.substring(1));
            case SYSTEM_VARIABLE -> variableName(text.substring(2));
            case BIND_VARIABLE -> text.startsWith("::") ? text.substring(2) : text.substring(1);
            default -> text;
        };
    }

    /** The value of a string literal: quotes removed, doubled quotes and backslash escapes undone. */
    public String stringValue() {
        if (type != TokenType.STRING || text.isEmpty()) {
            return text;
        }
        char quote = text.charAt(0);
        int close = text.length() > 1 && text.charAt(text.length() - 1) == quote ? text.length() - 1 : text.length();
        StringBuilder out = new StringBuilder(close);
        for (int i = 1; i < close; i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < close) {
                char e = text.charAt(++i);
                out.append(switch (e) {
                    case '0' -> '\0';
                    case 'b' -> '\b';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'Z' -> '\u001a';
                    default -> e; // \\ \' \" and any other character stand for themselves
                });
            } else if (c == quote && i + 1 < close && text.charAt(i + 1) == quote) {
                out.append(quote);
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String variableName(String rest) {
        if (rest.isEmpty()) {
            return rest;
        }
        char q = rest.charAt(0);
        if (q == '`') {
            return unquote(rest, '`');
        }
        if (q == '\'' || q == '"') {
            return new Token(TokenType.STRING, 0, rest.length(), rest, false).stringValue();
        }
        return rest;
    }

    private static String unquote(String quoted, char quote) {
        int close = quoted.length() > 1 && quoted.charAt(quoted.length() - 1) == quote ? quoted.length() - 1
                : quoted.length();
        String q = String.valueOf(quote);
        return quoted.substring(1, close).replace(q + q, q);
    }
}
