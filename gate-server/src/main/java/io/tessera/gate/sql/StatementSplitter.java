package io.tessera.gate.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the text of a COM_QUERY into its statements at the semicolons that end them: not those inside strings,
 * quoted identifiers, comments or executable comments, and not those inside the body of a stored program
 * ({@code CREATE PROCEDURE / FUNCTION / TRIGGER / EVENT ... BEGIN ...; ...; END}, MariaDB's
 * {@code BEGIN NOT ATOMIC ... END}), which the server reads as one statement. There is no {@code DELIMITER} on the
 * server side: clients that use it (the mysql command line) strip it before sending.
 */
public final class StatementSplitter {
    private StatementSplitter() {}

    /**
     * The statements of {@code sql}, each as written (leading comments kept, surrounding blanks and the terminating
     * semicolon removed). Pieces with no SQL in them (blank, or only comments) are left out; a text without any
     * statement gives an empty list.
     */
    public static List<String> split(String sql) {
        Tokens tokens = SqlLexer.lex(sql);
        List<String> out = new ArrayList<>(2);
        int pieceStart = 0;
        int firstToken = 0;
        int depth = 0;
        boolean compound = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (i == firstToken) {
                compound = startsCompound(tokens, i);
                depth = 0;
            }
            if (compound) {
                if (t.isWord("BEGIN") || t.isWord("CASE")) {
                    depth++;
                } else if (t.isWord("END")) {
                    Token after = tokens.get(i + 1);
                    if (after.isWord("IF") || after.isWord("LOOP") || after.isWord("WHILE") || after.isWord("REPEAT")) {
                        i++;
                    } else {
                        depth--;
                        if (after.isWord("CASE")) {
                            i++;
                        }
                    }
                }
            }
            if (t.isSymbol(";") && !t.executable() && depth <= 0) {
                if (i > firstToken) {
                    out.add(sql.substring(pieceStart, t.start()).strip());
                }
                pieceStart = t.end();
                firstToken = i + 1;
            }
        }
        if (firstToken < tokens.size()) {
            out.add(sql.substring(pieceStart).strip());
        }
        return out;
    }

    /** Whether the statement starting at token {@code i} is a stored program or compound statement. */
    private static boolean startsCompound(Tokens tokens, int i) {
        Token first = tokens.get(i);
        if (first.isWord("BEGIN")) {
            return tokens.get(i + 1).isWord("NOT");
        }
        if (!first.isWord("CREATE")) {
            return false;
        }
        // CREATE [OR REPLACE] [DEFINER = user] [AGGREGATE] {PROCEDURE | FUNCTION | TRIGGER | EVENT} ...
        for (int j = i + 1; j < Math.min(tokens.size(), i + 16); j++) {
            Token t = tokens.get(j);
            if (t.isWord("PROCEDURE") || t.isWord("FUNCTION") || t.isWord("TRIGGER") || t.isWord("EVENT")) {
                return true;
            }
            if (t.isWord("TABLE") || t.isWord("VIEW") || t.isWord("INDEX") || t.isSymbol("(") || t.isSymbol(";")) {
                return false;
            }
        }
        return false;
    }
}
