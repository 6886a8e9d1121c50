package io.tessera.gate.executor;

import io.tessera.gate.sql.SqlLexer;
import io.tessera.gate.sql.Token;
import io.tessera.gate.sql.TokenType;
import io.tessera.gate.sql.Tokens;

/**
 * A {@code KILL [HARD | SOFT] [CONNECTION | QUERY] <connection id>} statement, the form clients and drivers send
 * (the {@code mariadb} command line on Ctrl-C, Connector/J's {@code Statement.cancel}); the id is a gate connection
 * id, as {@code CONNECTION_ID()} returns through the gate.
 *
 * @param query whether only the running statement is to be ended ({@code KILL QUERY}), not the connection
 * @param connectionId the connection named
 */
record KillStatement(boolean query, long connectionId) {
    /**
     * The statement {@code sql} is, or null if it is not such a KILL (other KILL forms, {@code KILL QUERY ID} and
     * {@code KILL USER}, are left to the planner, which refuses them).
     */
    static KillStatement parse(String sql) {
        int i = 0;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        if (sql.length() > 200 || !sql.regionMatches(true, i, "KILL", 0, 4)) {
            return null;
        }
        Tokens tokens = SqlLexer.lex(sql);
        int t = 0;
        if (!tokens.get(t++).isWord("KILL")) {
            return null;
        }
        if (tokens.get(t).isWord("HARD") || tokens.get(t).isWord("SOFT")) {
            t++;
        }
        boolean query = false;
        if (tokens.get(t).isWord("CONNECTION")) {
            t++;
        } else if (tokens.get(t).isWord("QUERY")) {
            query = true;
            t++;
        }
        Token id = tokens.get(t++);
        if (id.type() != TokenType.NUMBER || !id.text().chars().allMatch(Character::isDigit)) {
            return null;
        }
        if (tokens.get(t).isSymbol(";")) {
            t++;
        }
        if (tokens.get(t).type() != TokenType.END) {
            return null;
        }
        try {
            return new KillStatement(query, Long.parseUnsignedLong(id.text()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
