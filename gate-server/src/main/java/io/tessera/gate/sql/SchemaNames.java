package io.tessera.gate.sql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rewrites keyspace names used as schema names in a statement into the names of the tablets' databases
 * ({@code vt_<keyspace>}), and reports which keyspaces the statement names. Clients speak of keyspaces; MySQL
 * behind a tablet knows only {@code vt_} databases; the gate translates in both directions (this class does the
 * statement side).
 *
 * <p>A name counts as a schema name where MySQL's grammar makes it one: the first part of {@code ks.t} in a table
 * position (after FROM, JOIN, INTO, UPDATE, TABLE, TABLES, REFERENCES, DESCRIBE, and in DDL after ON, TO, LIKE,
 * VIEW...), the first part of a three-part column name {@code ks.t.c}, {@code ks.*} in GRANT, the database of
 * {@code SHOW TABLES FROM ks}, {@code SHOW COLUMNS FROM t FROM ks}, {@code SHOW CREATE DATABASE ks}, and string
 * literals compared with a schema column of {@code information_schema} ({@code table_schema = 'ks'},
 * {@code TABLE_SCHEMA IN ('ks')}). A two-part name in an expression ({@code customer.id}) is a table and column
 * and is left alone, even when a keyspace has the same name as the table.
 */
public final class SchemaNames {
    /** The prefix of the database that holds a keyspace on its tablets. */
    public static final String TABLET_DATABASE_PREFIX = "vt_";

    /** Columns of information_schema whose values are database names (in upper case). */
    public static final Set<String> SCHEMA_COLUMNS = Set.of("TABLE_SCHEMA", "SCHEMA_NAME",
            "REFERENCED_TABLE_SCHEMA", "CONSTRAINT_SCHEMA", "UNIQUE_CONSTRAINT_SCHEMA", "INDEX_SCHEMA",
            "TRIGGER_SCHEMA", "EVENT_OBJECT_SCHEMA", "ROUTINE_SCHEMA", "EVENT_SCHEMA", "SPECIFIC_SCHEMA",
            "OBJECT_SCHEMA");

    private static final Set<String> TABLE_KEYWORDS = Set.of("FROM", "JOIN", "STRAIGHT_JOIN", "INTO", "TABLE",
            "TABLES", "REFERENCES", "DESCRIBE", "DESC", "EXPLAIN");
    private static final Set<String> DDL_TABLE_KEYWORDS = Set.of("ON", "TO", "LIKE", "VIEW", "TRIGGER",
            "PROCEDURE", "FUNCTION", "EVENT", "SEQUENCE", "INDEX");
    /** Keywords after which a comma separates more table names. */
    private static final Set<String> LIST_KEYWORDS = Set.of("FROM", "TABLE", "TABLES", "UPDATE");
    /** Words that may sit between a table keyword and the table name. */
    private static final Set<String> TABLE_MODIFIERS = Set.of("IF", "NOT", "EXISTS", "LOW_PRIORITY",
            "HIGH_PRIORITY", "DELAYED", "IGNORE", "QUICK", "ONLY", "TEMPORARY", "LATERAL", "FULL", "EXTENDED");
    /** Clause keywords that end a list of tables. */
    private static final Set<String> CLAUSE_KEYWORDS = Set.of("WHERE", "ON", "USING", "SET", "VALUES", "VALUE",
            "SELECT", "GROUP", "HAVING", "ORDER", "LIMIT", "UNION", "WINDOW", "PARTITION", "FOR", "INTO",
            "RETURNING", "EXCEPT", "INTERSECT");
    private static final Set<String> COMPARISONS = Set.of("=", "<=>", "!=", "<>");

    /**
     * A rewritten statement.
     *
     * @param sql the statement with keyspace names replaced by tablet database names
     * @param keyspaces the keyspaces the statement names, in order of first appearance
     * @param edits the replacements that turn the original statement into {@code sql}, for combining with others
     */
    public record Rewritten(String sql, List<String> keyspaces, List<TextEdit> edits) {
        public Rewritten {
            keyspaces = List.copyOf(keyspaces);
            edits = List.copyOf(edits);
        }
    }

    private SchemaNames() {}

    /** The database that holds {@code keyspace} on its tablets. */
    public static String tabletDatabase(String keyspace) {
        return TABLET_DATABASE_PREFIX + keyspace;
    }

    /** Rewrites {@code statement} for the tablets, given the {@code keyspaces} the gate knows. */
    public static Rewritten toTablet(Statement statement, Set<String> keyspaces) {
        Tokens tokens = statement.tokens();
        if (keyspaces.isEmpty() || tokens.isEmpty()) {
            return new Rewritten(tokens.sql(), List.of(), List.of());
        }
        List<TextEdit> edits = new ArrayList<>(0);
        Set<String> named = new LinkedHashSet<>();
        if (statement.type() == StatementType.SHOW) {
            show(tokens, keyspaces, edits, named);
        } else {
            qualifiers(tokens, statement.type() == StatementType.DDL, keyspaces, edits, named);
        }
        schemaLiterals(tokens, keyspaces, edits, named);
        return new Rewritten(TextEdit.apply(tokens.sql(), edits), List.copyOf(named), edits);
    }

    /**
     * True if the tokens {@code [from, to)} are a value compared with a schema column: {@code col = <value>},
     * {@code <value> = col}, {@code col LIKE <value>}, or an element of {@code col [NOT] IN (..., <value>, ...)}.
     */
    public static boolean isSchemaValue(Tokens tokens, int from, int to) {
        Token before = tokens.get(from - 1);
        if (isComparison(before)) {
            int col = from - 2;
            if (before.isWord("LIKE") && tokens.get(col).isWord("NOT")) {
                col--;
            }
            return isSchemaColumn(tokens, col);
        }
        Token after = tokens.get(to);
        if (isComparison(after) && !after.isWord("LIKE")) {
            return isSchemaColumn(tokens, to + 1);
        }
        // An element of an IN list: walk back over the other elements to the opening parenthesis.
        int i = from - 1;
        while (i >= 0 && (tokens.get(i).isSymbol(",") || tokens.get(i).type() == TokenType.STRING)) {
            i--;
        }
        if (i < 0 || !tokens.get(i).isSymbol("(") || !tokens.get(i - 1).isWord("IN")) {
            return false;
        }
        int col = i - 2;
        if (tokens.get(col).isWord("NOT")) {
            col--;
        }
        return isSchemaColumn(tokens, col);
    }

    private static boolean isComparison(Token t) {
        return (t.type() == TokenType.SYMBOL && COMPARISONS.contains(t.text())) || t.isWord("LIKE");
    }

    private static boolean isSchemaColumn(Tokens tokens, int i) {
        Token t = tokens.get(i);
        return t.isIdentifier() && SCHEMA_COLUMNS.contains(t.name().toUpperCase(Locale.ROOT));
    }

    private static void qualifiers(Tokens tokens, boolean ddl, Set<String> keyspaces, List<TextEdit> edits,
            Set<String> named) {
        int depth = 0;
        boolean[] lists = new boolean[8];
        boolean expectTable = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
                if (depth >= lists.length) {
                    lists = java.util.Arrays.copyOf(lists, lists.length * 2);
                }
                lists[depth] = false;
                expectTable = false;
                continue;
            }
            if (t.isSymbol(")")) {
                depth = Math.max(0, depth - 1);
                expectTable = false;
                continue;
            }
            if (t.isSymbol(",")) {
                expectTable = lists[depth];
                continue;
            }
            if (!t.isIdentifier()) {
                expectTable = false;
                continue;
            }
            if (tokens.get(i - 1).isSymbol(".")) {
                continue;
            }
            boolean dotted = tokens.get(i + 1).isSymbol(".")
                    && (tokens.get(i + 2).isIdentifier() || tokens.get(i + 2).isSymbol("*"));
            if (dotted) {
                boolean threePart = tokens.get(i + 3).isSymbol(".") && tokens.get(i + 4).isIdentifier();
                boolean grantAll = ddl && tokens.get(i + 2).isSymbol("*") && tokens.get(i - 1).isWord("ON");
                if (threePart || expectTable || grantAll) {
                    schema(t, keyspaces, edits, named);
                }
                expectTable = false;
                i += threePart ? 4 : 2;
                continue;
            }
            if (t.type() == TokenType.WORD) {
                String word = t.upper();
                if (expectTable && TABLE_MODIFIERS.contains(word)) {
                    continue;
                }
                if (TABLE_KEYWORDS.contains(word) || (ddl && DDL_TABLE_KEYWORDS.contains(word))
                        || (word.equals("UPDATE") && !tokens.get(i - 1).isWord("KEY")
                                && !tokens.get(i - 1).isWord("FOR"))) {
                    expectTable = true;
                    lists[depth] = LIST_KEYWORDS.contains(word);
                    continue;
                }
                if (CLAUSE_KEYWORDS.contains(word)) {
                    lists[depth] = false;
                }
            }
            expectTable = false;
        }
    }

    /** SHOW statements name databases after FROM / IN, and in SHOW CREATE DATABASE. */
    private static void show(Tokens tokens, Set<String> keyspaces, List<TextEdit> edits, Set<String> named) {
        boolean columnsLike = false;
        boolean createDatabase = false;
        for (int i = 1; i < tokens.size() && i < 4; i++) {
            Token t = tokens.get(i);
            if (t.isWord("COLUMNS") || t.isWord("FIELDS") || t.isWord("INDEX") || t.isWord("INDEXES")
                    || t.isWord("KEYS")) {
                columnsLike = true;
            }
            if (t.isWord("CREATE") && (tokens.get(i + 1).isWord("DATABASE") || tokens.get(i + 1).isWord("SCHEMA"))) {
                createDatabase = true;
            }
        }
        if (createDatabase) {
            int i = tokens.indexOfWord("DATABASE", 0) >= 0 ? tokens.indexOfWord("DATABASE", 0)
                    : tokens.indexOfWord("SCHEMA", 0);
            i++;
            while (tokens.get(i).isWord("IF") || tokens.get(i).isWord("NOT") || tokens.get(i).isWord("EXISTS")) {
                i++;
            }
            if (tokens.get(i).isIdentifier()) {
                schema(tokens.get(i), keyspaces, edits, named);
            }
            return;
        }
        int fromCount = 0;
        for (int i = 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token next = tokens.get(i + 1);
            boolean qualified = next.isIdentifier() && tokens.get(i + 2).isSymbol(".");
            if ((t.isWord("FROM") || t.isWord("IN")) && next.isIdentifier()) {
                fromCount++;
                if (qualified) {
                    schema(next, keyspaces, edits, named);
                } else if (!columnsLike || fromCount == 2) {
                    schema(next, keyspaces, edits, named);
                }
            } else if ((t.isWord("TABLE") || t.isWord("VIEW") || t.isWord("TRIGGER") || t.isWord("PROCEDURE")
                    || t.isWord("FUNCTION") || t.isWord("EVENT") || t.isWord("SEQUENCE")) && qualified
                    && tokens.get(i - 1).isWord("CREATE")) {
                schema(next, keyspaces, edits, named);
            }
        }
    }

    private static void schemaLiterals(Tokens tokens, Set<String> keyspaces, List<TextEdit> edits, Set<String> named) {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.type() != TokenType.STRING) {
                continue;
            }
            String value = t.stringValue();
            if (keyspaces.contains(value) && isSchemaValue(tokens, i, i + 1)) {
                edits.add(new TextEdit(t.start(), t.end(), quoteString(tabletDatabase(value))));
                named.add(value);
            }
        }
    }

    private static void schema(Token t, Set<String> keyspaces, List<TextEdit> edits, Set<String> named) {
        String name = t.name();
        if (keyspaces.contains(name)) {
            edits.add(new TextEdit(t.start(), t.end(), quoteIdentifier(tabletDatabase(name))));
            named.add(name);
        }
    }

    /** {@code name} as a backquoted identifier. */
    public static String quoteIdentifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * {@code value} as a single-quoted string literal. Quotes are doubled rather than backslash-escaped, which MySQL
     * reads the same with or without NO_BACKSLASH_ESCAPES; backslashes are doubled for the default mode.
     */
    public static String quoteString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
