package io.tessera.tablet.queryservice;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the tables a statement names, well enough to enforce denied tables: the table references after FROM,
 * JOIN, INTO, UPDATE, TABLE/TABLES (CREATE, ALTER, DROP, TRUNCATE, RENAME, LOCK, SHOW CREATE), INSERT/REPLACE
 * without INTO, DESCRIBE, and {@code INDEX name ON table}, including comma lists with aliases. Subqueries are
 * covered because every token is scanned. A qualified name {@code db.t} yields {@code t}: denied tables are
 * per-keyspace table names.
 *
 * <p>This errs on the side of finding too much (a column or database name in an unusual spot may be reported as
 * a table), which can only make a denied-table check stricter, never looser.
 */
public final class TableExtractor {
    /** Words that end a table reference rather than being its alias. */
    private static final Set<String> NOT_AN_ALIAS = Set.of("WHERE", "SET", "JOIN", "INNER", "LEFT", "RIGHT",
            "CROSS", "NATURAL", "STRAIGHT_JOIN", "OUTER", "ON", "USING", "GROUP", "ORDER", "HAVING", "LIMIT", "UNION",
            "EXCEPT", "INTERSECT", "FOR", "LOCK", "VALUES", "VALUE", "SELECT", "PARTITION", "USE", "FORCE", "IGNORE",
            "WINDOW", "INTO", "PROCEDURE", "READ", "WRITE", "LOW_PRIORITY", "TO", "FROM", "WITH", "RETURNING",
            "DEFAULT", "ADD", "DROP", "MODIFY", "CHANGE", "RENAME", "ENGINE", "LIKE", "AS", "ALGORITHM", "LOCAL",
            "CASCADE", "RESTRICT", "WAIT", "NOWAIT", "TABLE", "CHARACTER", "CHARSET", "COLLATE", "FIELDS",
            "LINES", "COLUMNS", "AUTO_INCREMENT", "COMMENT", "ROW_FORMAT");

    /** Words that may sit between a keyword and the table list. */
    private static final Set<String> MODIFIERS = Set.of("IF", "NOT", "EXISTS", "LOW_PRIORITY", "DELAYED",
            "HIGH_PRIORITY", "IGNORE", "QUICK", "INTO", "TABLE", "TEMPORARY", "ONLY", "LATERAL", "OR");

    /** Words that are never table names where a table is expected. */
    private static final Set<String> NEVER_A_TABLE = Set.of("DUAL", "SELECT", "WITH", "VALUES", "VALUE", "SET",
            "STATUS", "INDEX", "KEY", "UNIQUE", "FULLTEXT", "SPATIAL", "PRIMARY", "CONSTRAINT", "FOREIGN", "CHECK",
            "DATABASE", "SCHEMA", "VIEW", "TRIGGER", "PROCEDURE", "FUNCTION", "EVENT", "USER", "ROLE", "SERVER",
            "TABLESPACE", "LOGFILE", "SEQUENCE", "PACKAGE");

    private TableExtractor() {}

    /** The table names {@code sql} refers to, in order of first appearance. */
    public static Set<String> tables(String sql) {
        Set<String> out = new LinkedHashSet<>();
        SqlLexer lexer = new SqlLexer(sql);
        String leadingWord = null;
        boolean afterIndexName = false;
        String previousWord = "";
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; ) {
            if (t != SqlLexer.Type.WORD) {
                if (leadingWord == null && !lexer.isSymbol('(')) {
                    leadingWord = "";
                }
                previousWord = "";
                t = lexer.next();
                continue;
            }
            String word = lexer.upperWord();
            boolean leading = leadingWord == null;
            if (leading) {
                leadingWord = word;
            }
            boolean readList = switch (word) {
                case "FROM", "JOIN", "STRAIGHT_JOIN", "INTO", "UPDATE", "TABLE", "TABLES" -> true;
                case "INSERT", "REPLACE", "DESCRIBE", "DESC", "EXPLAIN", "TRUNCATE" -> leading;
                // RENAME TABLE a TO b; ALTER TABLE a RENAME TO b; CREATE TABLE a LIKE b
                case "TO" -> leadingWord.equals("RENAME") || leadingWord.equals("ALTER");
                case "LIKE" -> leadingWord.equals("CREATE");
                // CREATE INDEX i ON t
                case "ON" -> afterIndexName;
                default -> false;
            };
            afterIndexName = previousWord.equals("INDEX") && !word.equals("ON");
            previousWord = word;
            if (readList) {
                boolean list = !word.endsWith("JOIN") && !word.equals("ON") && !word.equals("LIKE");
                t = readTableList(lexer, out, list);
                previousWord = "";
                afterIndexName = false;
                continue;
            }
            t = lexer.next();
        }
        return out;
    }

    /**
     * Reads {@code [modifiers] name [[AS] alias] [, name [[AS] alias]]...} after a table keyword, adding the names.
     * Returns the type of the first token it did not consume (which becomes the current token).
     */
    private static SqlLexer.Type readTableList(SqlLexer lexer, Set<String> out, boolean list) {
        SqlLexer.Type t = lexer.next();
        while (t == SqlLexer.Type.WORD && MODIFIERS.contains(lexer.upperWord())) {
            t = lexer.next();
        }
        while (true) {
            String name = tableName(lexer, t);
            if (name == null) {
                return t;
            }
            t = lexer.next();
            // db.table: the last part is the table.
            while (t == SqlLexer.Type.SYMBOL && lexer.isSymbol('.')) {
                t = lexer.next();
                String part = lexer.identifier();
                if (part == null) {
                    break;
                }
                name = part;
                t = lexer.next();
            }
            out.add(name);
            if (t == SqlLexer.Type.WORD && lexer.isWord("AS")) {
                t = lexer.next();
            }
            if ((t == SqlLexer.Type.WORD && !NOT_AN_ALIAS.contains(lexer.upperWord()))
                    || t == SqlLexer.Type.QUOTED_IDENTIFIER || t == SqlLexer.Type.STRING) {
                t = lexer.next(); // the alias
            }
            if (!list || !(t == SqlLexer.Type.SYMBOL && lexer.isSymbol(','))) {
                return t;
            }
            t = lexer.next();
        }
    }

    private static String tableName(SqlLexer lexer, SqlLexer.Type t) {
        if (t == SqlLexer.Type.QUOTED_IDENTIFIER) {
            return lexer.identifier();
        }
        if (t == SqlLexer.Type.WORD && !NEVER_A_TABLE.contains(lexer.upperWord())
                && !NOT_AN_ALIAS.contains(lexer.upperWord())) {
            return lexer.identifier();
        }
        return null;
    }
}
