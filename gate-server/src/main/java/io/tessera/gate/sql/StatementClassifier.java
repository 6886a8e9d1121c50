package io.tessera.gate.sql;

import io.tessera.gate.sql.Statement.Trait;
import java.util.EnumSet;
import java.util.Set;

/**
 * Classifies a statement by its leading keywords, without parsing it: comments and opening parentheses are
 * skipped, the contents of executable comments count as SQL, {@code WITH} looks past the common table expressions
 * for the statement's own verb, and MariaDB's {@code ANALYZE <statement>} is read as the statement it analyzes.
 */
public final class StatementClassifier {
    private static final Set<String> LOCK_FUNCTIONS = Set.of("GET_LOCK", "RELEASE_LOCK", "RELEASE_ALL_LOCKS",
            "IS_FREE_LOCK", "IS_USED_LOCK");

    private StatementClassifier() {}

    /** The classification of {@code sql}; an empty or unrecognised statement is {@link StatementType#OTHER}. */
    public static Statement classify(String sql) {
        return classify(SqlLexer.lex(sql));
    }

    /** The classification of a statement already split into tokens. */
    public static Statement classify(Tokens tokens) {
        int i = 0;
        while (tokens.get(i).isSymbol("(")) {
            i++;
        }
        Set<Trait> traits = EnumSet.noneOf(Trait.class);
        StatementType type = tokens.get(i).type() == TokenType.WORD ? classifyFrom(tokens, i, traits)
                : StatementType.OTHER;
        if (type != StatementType.DDL && usesLockFunction(tokens)) {
            traits.add(Trait.PINS_CONNECTION);
        }
        if (type == StatementType.SELECT) {
            selectTraits(tokens, traits);
        }
        return new Statement(type, tokens, traits);
    }

    private static StatementType classifyFrom(Tokens tokens, int i, Set<Trait> traits) {
        Token verb = tokens.get(i);
        Token next = tokens.get(i + 1);
        return switch (verb.upper()) {
            case "SELECT", "VALUES", "TABLE" -> StatementType.SELECT;
            case "WITH" -> classifyWith(tokens, i + 1, traits);
            case "INSERT" -> StatementType.INSERT;
            case "UPDATE" -> StatementType.UPDATE;
            case "DELETE" -> StatementType.DELETE;
            case "REPLACE" -> StatementType.REPLACE;
            case "LOAD" -> {
                if (next.isWord("DATA") || next.isWord("XML")) {
                    yield StatementType.LOAD;
                }
                traits.add(Trait.IMPLICIT_COMMIT); // LOAD INDEX INTO CACHE
                yield StatementType.ADMIN;
            }
            case "CREATE", "ALTER", "DROP" -> ddl(tokens, i, traits);
            case "TRUNCATE", "RENAME", "GRANT", "REVOKE" -> {
                traits.add(Trait.IMPLICIT_COMMIT);
                yield StatementType.DDL;
            }
            // BEGIN NOT ATOMIC opens a MariaDB compound statement, not a transaction.
            case "BEGIN" -> next.isWord("NOT") ? StatementType.OTHER : StatementType.BEGIN;
            case "START" -> next.isWord("TRANSACTION") ? StatementType.BEGIN : StatementType.OTHER;
            case "COMMIT" -> {
                chain(tokens, i + 1, traits);
                yield StatementType.COMMIT;
            }
            case "ROLLBACK" -> rollback(tokens, i + 1, traits);
            case "SAVEPOINT" -> StatementType.SAVEPOINT;
            case "RELEASE" -> next.isWord("SAVEPOINT") ? StatementType.SAVEPOINT : StatementType.OTHER;
            case "SET" -> StatementType.SET;
            case "USE" -> StatementType.USE;
            case "SHOW" -> StatementType.SHOW;
            case "DESCRIBE", "DESC", "EXPLAIN" -> StatementType.EXPLAIN;
            case "LOCK" -> {
                if (next.isWord("TABLES") || next.isWord("TABLE")) {
                    traits.add(Trait.IMPLICIT_COMMIT);
                    traits.add(Trait.PINS_CONNECTION);
                    yield StatementType.LOCK_TABLES;
                }
                yield StatementType.OTHER;
            }
            case "UNLOCK" -> {
                if (next.isWord("TABLES") || next.isWord("TABLE")) {
                    traits.add(Trait.IMPLICIT_COMMIT);
                    yield StatementType.UNLOCK_TABLES;
                }
                yield StatementType.OTHER;
            }
            case "CALL" -> StatementType.CALL;
            case "ANALYZE" -> analyze(tokens, i + 1, traits);
            case "OPTIMIZE", "REPAIR", "CHECK", "CHECKSUM", "FLUSH", "RESET", "CACHE" -> {
                traits.add(Trait.IMPLICIT_COMMIT);
                yield StatementType.ADMIN;
            }
            case "PREPARE", "EXECUTE", "DEALLOCATE" -> {
                traits.add(Trait.PINS_CONNECTION);
                yield StatementType.PREPARED;
            }
            case "HANDLER" -> {
                traits.add(Trait.PINS_CONNECTION);
                yield StatementType.OTHER;
            }
            default -> StatementType.OTHER;
        };
    }

    private static StatementType ddl(Tokens tokens, int verbIndex, Set<Trait> traits) {
        Token verb = tokens.get(verbIndex);
        int i = verbIndex + 1;
        if (tokens.get(i).isWord("OR") && tokens.get(i + 1).isWord("REPLACE")) {
            i += 2;
        }
        Token object = tokens.get(i);
        if (verb.isWord("DROP") && object.isWord("PREPARE")) {
            traits.add(Trait.PINS_CONNECTION);
            return StatementType.PREPARED;
        }
        if (object.isWord("TEMPORARY")) {
            traits.add(Trait.TEMPORARY_TABLE);
            if (verb.isWord("CREATE")) {
                traits.add(Trait.PINS_CONNECTION);
            }
            return StatementType.DDL;
        }
        if (object.isWord("DATABASE") || object.isWord("SCHEMA")) {
            traits.add(Trait.DATABASE_DDL);
        }
        traits.add(Trait.IMPLICIT_COMMIT);
        return StatementType.DDL;
    }

    /**
     * {@code WITH [RECURSIVE] a AS (...), b AS (...) <statement>}: every CTE body is parenthesised, so the first
     * statement verb outside parentheses is the statement's own.
     */
    private static StatementType classifyWith(Tokens tokens, int from, Set<Trait> traits) {
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.type() == TokenType.WORD) {
                switch (t.upper()) {
                    case "SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "VALUES", "TABLE" -> {
                        return classifyFrom(tokens, i, traits);
                    }
                    default -> { }
                }
            }
        }
        return StatementType.OTHER;
    }

    /** MariaDB's {@code ANALYZE [FORMAT=JSON] <statement>} runs the statement; {@code ANALYZE TABLE} is admin work. */
    private static StatementType analyze(Tokens tokens, int from, Set<Trait> traits) {
        for (int i = from; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.type() != TokenType.WORD) {
                continue;
            }
            switch (t.upper()) {
                case "TABLE", "TABLES", "NO_WRITE_TO_BINLOG", "LOCAL" -> {
                    traits.add(Trait.IMPLICIT_COMMIT);
                    return StatementType.ADMIN;
                }
                case "FORMAT", "JSON", "TRADITIONAL" -> { }
                default -> {
                    return classifyFrom(tokens, i, traits);
                }
            }
        }
        return StatementType.OTHER;
    }

    private static StatementType rollback(Tokens tokens, int from, Set<Trait> traits) {
        int i = from;
        if (tokens.get(i).isWord("WORK")) {
            i++;
        }
        if (tokens.get(i).isWord("TO")) {
            return StatementType.SAVEPOINT;
        }
        chain(tokens, i, traits);
        return StatementType.ROLLBACK;
    }

    /** {@code [WORK] AND CHAIN} after COMMIT or ROLLBACK ({@code AND NO CHAIN} is the default). */
    private static void chain(Tokens tokens, int from, Set<Trait> traits) {
        int i = from;
        if (tokens.get(i).isWord("WORK")) {
            i++;
        }
        if (tokens.get(i).isWord("AND") && tokens.get(i + 1).isWord("CHAIN")) {
            traits.add(Trait.CHAIN);
        }
    }

    private static boolean usesLockFunction(Tokens tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.WORD && LOCK_FUNCTIONS.contains(t.upper()) && tokens.get(i + 1).isSymbol("(")) {
                return true;
            }
        }
        return false;
    }

    private static void selectTraits(Tokens tokens, Set<Trait> traits) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.type() == TokenType.WORD) {
                switch (t.upper()) {
                    case "FROM" -> {
                        if (!tokens.get(i + 1).isWord("DUAL")) {
                            traits.add(Trait.HAS_FROM);
                        }
                    }
                    case "INTO" -> traits.add(Trait.NOT_WRAPPABLE);
                    case "FOR" -> {
                        if (tokens.get(i + 1).isWord("UPDATE") || tokens.get(i + 1).isWord("SHARE")) {
                            traits.add(Trait.NOT_WRAPPABLE);
                        }
                    }
                    case "LOCK" -> {
                        if (tokens.get(i + 1).isWord("IN")) {
                            traits.add(Trait.NOT_WRAPPABLE);
                        }
                    }
                    default -> { }
                }
            }
        }
    }
}
