package io.tessera.tablet.queryservice;

/**
 * Classifies a statement by its leading keyword, without parsing it: comments and opening parentheses are skipped,
 * {@code WITH} looks past the common table expressions (which sit in parentheses) for the statement's own verb, and
 * {@code ANALYZE}/{@code EXPLAIN} are read like MariaDB does. Costs one scan of the statement's first tokens (and,
 * for a SELECT, of the rest for FOR UPDATE), and a plain search for {@code GET_LOCK}.
 */
public final class StatementClassifier {
    private StatementClassifier() {}

    /** The classification of {@code sql}; an empty or unrecognised statement is {@link StatementKind#OTHER}. */
    public static StatementInfo classify(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        SqlLexer.Type t = lexer.next();
        while (t == SqlLexer.Type.SYMBOL && lexer.isSymbol('(')) {
            t = lexer.next();
        }
        if (t != SqlLexer.Type.WORD) {
            return StatementInfo.of(StatementKind.OTHER);
        }
        StatementInfo info = classifyFrom(lexer);
        // A routine's body (CREATE PROCEDURE ... GET_LOCK(...)) takes nothing when it is created.
        return info.kind() != StatementKind.DDL && takesNamedLock(sql) ? info.leavingState() : info;
    }

    /**
     * Whether {@code sql} creates or drops a temporary table ({@code CREATE [OR REPLACE] TEMPORARY TABLE},
     * {@code DROP TEMPORARY TABLE}): DDL that MariaDB allows under {@code read_only}, since it touches only the
     * session's own tables and is not replicated.
     */
    public static boolean isTemporaryTableDdl(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        if (lexer.next() != SqlLexer.Type.WORD) {
            return false;
        }
        if (lexer.isWord("CREATE")) {
            return createsTemporaryTable(lexer) && nextIsWord(lexer, "TABLE");
        }
        return lexer.isWord("DROP") && nextIsWord(lexer, "TEMPORARY") && nextIsWord(lexer, "TABLE");
    }

    /** Classifies from the current word on. */
    private static StatementInfo classifyFrom(SqlLexer lexer) {
        String verb = lexer.upperWord();
        return switch (verb) {
            case "SELECT" -> new StatementInfo(StatementKind.READ, hasLockingClause(lexer), true, false);
            case "WITH" -> classifyWith(lexer);
            case "VALUES", "TABLE", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "HELP" ->
                    StatementInfo.of(StatementKind.READ);
            case "INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD" -> StatementInfo.of(StatementKind.WRITE);
            case "CREATE" -> createsTemporaryTable(lexer) ? StatementInfo.of(StatementKind.DDL).leavingState()
                    : StatementInfo.of(StatementKind.DDL);
            case "DROP" -> nextIsWord(lexer, "PREPARE") ? StatementInfo.of(StatementKind.OTHER).leavingState()
                    : StatementInfo.of(StatementKind.DDL);
            case "ALTER", "TRUNCATE", "RENAME", "GRANT", "REVOKE" -> StatementInfo.of(StatementKind.DDL);
            case "LOCK" -> lockTables(lexer);
            case "BACKUP" -> nextIsWord(lexer, "LOCK") ? StatementInfo.of(StatementKind.OTHER).leavingState()
                    : StatementInfo.of(StatementKind.OTHER);
            case "PREPARE", "EXECUTE", "DEALLOCATE", "HANDLER" -> StatementInfo.of(StatementKind.OTHER).leavingState();
            // BEGIN NOT ATOMIC opens a MariaDB compound statement, not a transaction.
            case "BEGIN" -> StatementInfo.of(nextIsWord(lexer, "NOT") ? StatementKind.OTHER : StatementKind.BEGIN);
            case "START" -> StatementInfo.of(nextIsWord(lexer, "TRANSACTION") ? StatementKind.BEGIN
                    : StatementKind.OTHER);
            case "COMMIT" -> StatementInfo.of(StatementKind.COMMIT);
            case "ROLLBACK" -> StatementInfo.of(rollbackKind(lexer));
            case "SAVEPOINT", "RELEASE" -> StatementInfo.of(StatementKind.SAVEPOINT);
            case "SET" -> StatementInfo.of(StatementKind.SET);
            case "USE" -> StatementInfo.of(StatementKind.USE);
            case "ANALYZE" -> classifyAnalyze(lexer);
            default -> StatementInfo.of(StatementKind.OTHER);
        };
    }

    /**
     * {@code WITH [RECURSIVE] a AS (...), b AS (...) <statement>}: every CTE body is parenthesised, so the first
     * statement verb outside parentheses is the statement's own.
     */
    private static StatementInfo classifyWith(SqlLexer lexer) {
        int depth = 0;
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            if (lexer.isSymbol('(')) {
                depth++;
            } else if (lexer.isSymbol(')')) {
                depth--;
            } else if (depth == 0 && t == SqlLexer.Type.WORD) {
                switch (lexer.upperWord()) {
                    case "SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "VALUES", "TABLE" -> {
                        return classifyFrom(lexer);
                    }
                    default -> { }
                }
            }
        }
        return StatementInfo.of(StatementKind.OTHER);
    }

    /** MariaDB's {@code ANALYZE [FORMAT=JSON] <statement>} runs the statement; {@code ANALYZE TABLE} is admin work. */
    private static StatementInfo classifyAnalyze(SqlLexer lexer) {
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            if (t != SqlLexer.Type.WORD) {
                continue;
            }
            switch (lexer.upperWord()) {
                case "TABLE", "NO_WRITE_TO_BINLOG", "LOCAL" -> {
                    return StatementInfo.of(StatementKind.OTHER);
                }
                case "FORMAT", "JSON", "TRADITIONAL" -> { }
                default -> {
                    return classifyFrom(lexer);
                }
            }
        }
        return StatementInfo.of(StatementKind.OTHER);
    }

    private static StatementKind rollbackKind(SqlLexer lexer) {
        SqlLexer.Type t = lexer.next();
        if (t == SqlLexer.Type.WORD && lexer.isWord("WORK")) {
            t = lexer.next();
        }
        return t == SqlLexer.Type.WORD && lexer.isWord("TO") ? StatementKind.SAVEPOINT : StatementKind.ROLLBACK;
    }

    /** {@code CREATE [OR REPLACE] TEMPORARY ...}, after CREATE. */
    private static boolean createsTemporaryTable(SqlLexer lexer) {
        if (lexer.next() != SqlLexer.Type.WORD) {
            return false;
        }
        if (lexer.isWord("OR")) {
            if (!nextIsWord(lexer, "REPLACE") || lexer.next() != SqlLexer.Type.WORD) {
                return false;
            }
        }
        return lexer.isWord("TEMPORARY");
    }

    /** {@code LOCK TABLE(S) ...} holds table locks. */
    private static StatementInfo lockTables(SqlLexer lexer) {
        boolean tables = lexer.next() == SqlLexer.Type.WORD && (lexer.isWord("TABLES") || lexer.isWord("TABLE"));
        return tables ? StatementInfo.of(StatementKind.OTHER).leavingState() : StatementInfo.of(StatementKind.OTHER);
    }

    /**
     * {@code GET_LOCK(} outside strings, quoted names and comments: the named lock stays with the connection until
     * released. A plain search first, so statements that cannot take one are not scanned again.
     */
    private static boolean takesNamedLock(String sql) {
        if (!containsIgnoreCase(sql, "GET_LOCK")) {
            return false;
        }
        SqlLexer lexer = new SqlLexer(sql);
        boolean afterName = false;
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            if (afterName && t == SqlLexer.Type.SYMBOL && lexer.isSymbol('(')) {
                return true;
            }
            afterName = t == SqlLexer.Type.WORD && lexer.isWord("GET_LOCK");
        }
        return false;
    }

    private static boolean containsIgnoreCase(String text, String upperNeedle) {
        int last = text.length() - upperNeedle.length();
        for (int i = 0; i <= last; i++) {
            if (text.regionMatches(true, i, upperNeedle, 0, upperNeedle.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean nextIsWord(SqlLexer lexer, String word) {
        return lexer.next() == SqlLexer.Type.WORD && lexer.isWord(word);
    }

    /** FOR UPDATE, FOR SHARE or LOCK IN SHARE MODE anywhere after SELECT. */
    private static boolean hasLockingClause(SqlLexer lexer) {
        boolean afterFor = false;
        boolean afterLock = false;
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            if (t != SqlLexer.Type.WORD) {
                afterFor = false;
                afterLock = false;
                continue;
            }
            if (afterFor && (lexer.isWord("UPDATE") || lexer.isWord("SHARE"))) {
                return true;
            }
            if (afterLock && lexer.isWord("IN")) {
                return true;
            }
            afterFor = lexer.isWord("FOR");
            afterLock = lexer.isWord("LOCK");
        }
        return false;
    }
}
