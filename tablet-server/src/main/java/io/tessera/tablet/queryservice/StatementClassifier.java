package io.tessera.tablet.queryservice;

/**
 * Classifies a statement by its leading keyword, without parsing it: comments and opening parentheses are skipped,
 * {@code WITH} looks past the common table expressions (which sit in parentheses) for the statement's own verb, and
 * {@code ANALYZE}/{@code EXPLAIN} are read like MariaDB does. Costs one scan of the statement's first tokens (and,
 * for a SELECT, of the rest for FOR UPDATE).
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
        return classifyFrom(lexer);
    }

    /** Classifies from the current word on. */
    private static StatementInfo classifyFrom(SqlLexer lexer) {
        String verb = lexer.upperWord();
        return switch (verb) {
            case "SELECT" -> new StatementInfo(StatementKind.READ, hasLockingClause(lexer), true);
            case "WITH" -> classifyWith(lexer);
            case "VALUES", "TABLE", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "HELP" ->
                    StatementInfo.of(StatementKind.READ);
            case "INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD" -> StatementInfo.of(StatementKind.WRITE);
            case "CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME", "GRANT", "REVOKE" ->
                    StatementInfo.of(StatementKind.DDL);
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
