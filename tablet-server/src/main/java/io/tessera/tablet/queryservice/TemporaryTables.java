package io.tessera.tablet.queryservice;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the statements that create, drop and write temporary tables, so that a non-primary tablet can serve writes
 * into a reserved connection's own temporary tables (MariaDB allows them under {@code read_only}; they are the
 * session's and never replicated) while refusing every other write. Only plain, unqualified table names count:
 * anything the reader does not recognise is treated as a write to a real table, which a non-primary refuses.
 */
final class TemporaryTables {
    /** What may follow the table of a single-table DELETE. */
    private static final Set<String> AFTER_DELETE_TABLE = Set.of("WHERE", "ORDER", "LIMIT", "RETURNING");

    private TemporaryTables() {}

    /**
     * The table {@code CREATE [OR REPLACE] TEMPORARY TABLE [IF NOT EXISTS] name ...} creates, or null if
     * {@code sql} is not that (or names the table with its database).
     */
    static String created(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        if (!nextIsWord(lexer, "CREATE")) {
            return null;
        }
        lexer.next();
        if (lexer.isWord("OR") && (!nextIsWord(lexer, "REPLACE") || lexer.next() == SqlLexer.Type.END)) {
            return null;
        }
        if (!lexer.isWord("TEMPORARY") || !nextIsWord(lexer, "TABLE")) {
            return null;
        }
        lexer.next();
        if (lexer.isWord("IF")) {
            if (!nextIsWord(lexer, "NOT") || !nextIsWord(lexer, "EXISTS")) {
                return null;
            }
            lexer.next();
        }
        return unqualifiedName(lexer);
    }

    /**
     * The tables {@code DROP TEMPORARY TABLE [IF EXISTS] a, b ...} drops, as written (qualified names included, so
     * that none is forgotten); empty if {@code sql} is not that.
     */
    static List<String> dropped(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        if (!nextIsWord(lexer, "DROP") || !nextIsWord(lexer, "TEMPORARY") || !nextIsWord(lexer, "TABLE")) {
            return List.of();
        }
        lexer.next();
        if (lexer.isWord("IF")) {
            if (!nextIsWord(lexer, "EXISTS")) {
                return List.of();
            }
            lexer.next();
        }
        List<String> names = new ArrayList<>();
        while (true) {
            String name = lexer.identifier();
            if (name == null) {
                return names;
            }
            lexer.next();
            if (lexer.isSymbol('.')) {
                lexer.next();
                name = lexer.identifier();
                if (name == null) {
                    return names;
                }
                lexer.next();
            }
            names.add(name);
            if (!lexer.isSymbol(',')) {
                return names;
            }
            lexer.next();
        }
    }

    /**
     * The one table a single-table write changes, when {@code sql} is {@code INSERT}/{@code REPLACE} into an
     * unqualified table, or {@code UPDATE} / {@code DELETE FROM} of exactly one unqualified table (an alias
     * allowed for UPDATE); null for anything else (multi-table UPDATE and DELETE, LOAD DATA, WITH ...), which a
     * non-primary then refuses as it refuses every write.
     */
    static String written(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        if (lexer.next() != SqlLexer.Type.WORD) {
            return null;
        }
        String verb = lexer.upperWord();
        return switch (verb) {
            case "INSERT", "REPLACE" -> {
                skipWords(lexer, "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE");
                if (lexer.isWord("INTO")) {
                    lexer.next();
                }
                yield unqualifiedName(lexer);
            }
            case "UPDATE" -> {
                skipWords(lexer, "LOW_PRIORITY", "IGNORE");
                String name = unqualifiedName(lexer);
                if (name == null) {
                    yield null;
                }
                if (lexer.isWord("AS")) {
                    lexer.next();
                }
                if (!lexer.isWord("SET") && lexer.identifier() != null) {
                    lexer.next(); // the alias
                }
                yield lexer.isWord("SET") ? name : null;
            }
            case "DELETE" -> {
                skipWords(lexer, "LOW_PRIORITY", "QUICK", "IGNORE");
                if (!lexer.isWord("FROM")) {
                    yield null;
                }
                lexer.next();
                String name = unqualifiedName(lexer);
                if (name == null) {
                    yield null;
                }
                boolean alone = lexer.type() == SqlLexer.Type.END || lexer.isSymbol(';')
                        || (lexer.type() == SqlLexer.Type.WORD && AFTER_DELETE_TABLE.contains(lexer.upperWord()));
                yield alone ? name : null;
            }
            default -> null;
        };
    }

    /** Moves past any of {@code words}, leaving the lexer on the first token that is none of them. */
    private static void skipWords(SqlLexer lexer, String... words) {
        lexer.next();
        while (lexer.type() == SqlLexer.Type.WORD && List.of(words).contains(lexer.upperWord())) {
            lexer.next();
        }
    }

    /**
     * The identifier the lexer is on, moving past it, if it is not followed by {@code .} (a database-qualified
     * name); null otherwise. The lexer is left on the token after the name.
     */
    private static String unqualifiedName(SqlLexer lexer) {
        String name = lexer.identifier();
        if (name == null) {
            return null;
        }
        lexer.next();
        return lexer.isSymbol('.') ? null : name;
    }

    private static boolean nextIsWord(SqlLexer lexer, String word) {
        return lexer.next() == SqlLexer.Type.WORD && lexer.isWord(word);
    }
}
