package io.tessera.gate.sql;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code SET} statement read as a list of assignments, in order: {@code SET a = 1, @b := 2, SESSION c = 3},
 * {@code SET @@session.x = ...}, {@code SET NAMES cs [COLLATE co]} (variables {@code names} and
 * {@code collation_connection}), {@code SET CHARACTER SET cs} (variable {@code character_set}), and
 * {@code SET [SESSION] TRANSACTION ISOLATION LEVEL ... , READ ONLY | READ WRITE} (variables
 * {@code transaction_isolation} and {@code transaction_read_only}). The contents of executable comments count, so
 * {@code /*!40101 SET NAMES utf8mb4 *}{@code /} is read like {@code SET NAMES utf8mb4}.
 *
 * @param assignments the assignments, in the order MySQL applies them
 */
public record SetStatement(List<Assignment> assignments) {
    /** Where an assignment goes. */
    public enum Scope {
        /** A user variable, {@code @name}. */
        USER,
        /** A system variable of the session (also {@code LOCAL} and unscoped names). */
        SESSION,
        /** A global system variable ({@code GLOBAL}, {@code PERSIST}, {@code @@global.}). */
        GLOBAL
    }

    /** What an assignment's value looks like. */
    public enum ValueKind {
        /** A number, possibly signed. */
        NUMBER,
        /** One string literal. */
        STRING,
        /** One bare word: ON, OFF, TRUE, FALSE, NULL, DEFAULT, or a name such as a character set or an SQL mode. */
        WORD,
        /** One bind variable ({@code :v1}), filled from the request's bind variables. */
        BIND_VARIABLE,
        /** Anything else: it must be evaluated by MySQL. */
        EXPRESSION
    }

    /**
     * One assignment.
     *
     * @param scope user variable, session or global system variable
     * @param name the variable name in lower case, without {@code @} signs, scope prefix or quotes
     * @param kind what the value looks like
     * @param value the value as written (for {@link ValueKind#STRING} with its quotes)
     * @param literal the value itself for NUMBER (as written), STRING (unescaped), WORD and BIND_VARIABLE (name);
     *     for EXPRESSION the same as {@code value}
     * @param userVariables the user variables the value reads (lower case)
     * @param systemVariables the system variables the value reads (lower case, without scope)
     */
    public record Assignment(Scope scope, String name, ValueKind kind, String value, String literal,
            Set<String> userVariables, Set<String> systemVariables) {
        public Assignment {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(literal, "literal");
            userVariables = Set.copyOf(userVariables);
            systemVariables = Set.copyOf(systemVariables);
        }

        /** True if the value is the keyword DEFAULT. */
        public boolean isDefault() {
            return kind == ValueKind.WORD && literal.equalsIgnoreCase("DEFAULT");
        }

        /** True if the value is the keyword NULL. */
        public boolean isNull() {
            return kind == ValueKind.WORD && literal.equalsIgnoreCase("NULL");
        }
    }

    public SetStatement {
        assignments = List.copyOf(assignments);
    }

    /**
     * Reads the SET statement {@code tokens}.
     *
     * @throws TesseraException SYNTAX_ERROR for a malformed statement; UNIMPLEMENTED for SET PASSWORD, SET ROLE,
     *     SET DEFAULT ROLE and SET STATEMENT ... FOR, which the gate does not run
     */
    public static SetStatement parse(Tokens tokens) {
        int i = 0;
        if (!tokens.get(i).isWord("SET")) {
            throw syntax(tokens, i);
        }
        i++;
        Token first = tokens.get(i);
        if (first.isWord("PASSWORD") || first.isWord("ROLE") || first.isWord("STATEMENT")
                || (first.isWord("DEFAULT") && tokens.get(i + 1).isWord("ROLE"))) {
            throw TesseraException.of(ErrorKind.UNIMPLEMENTED, "SET " + first.upper()
                    + " through the gate; run it on the tablet with tessera-ctl ExecuteFetchAsDba");
        }
        List<Assignment> out = new ArrayList<>(2);
        Scope carried = Scope.SESSION;
        while (true) {
            Token t = tokens.get(i);
            Scope scope = carried;
            if (t.isWord("GLOBAL") || t.isWord("PERSIST") || t.isWord("PERSIST_ONLY")) {
                scope = carried = Scope.GLOBAL;
                t = tokens.get(++i);
            } else if (t.isWord("SESSION") || t.isWord("LOCAL")) {
                scope = carried = Scope.SESSION;
                t = tokens.get(++i);
            }
            if (t.isWord("TRANSACTION")) {
                i = transaction(tokens, i + 1, scope, out);
            } else if (t.isWord("NAMES")) {
                i = names(tokens, i + 1, out);
            } else if ((t.isWord("CHARACTER") && tokens.get(i + 1).isWord("SET")) || t.isWord("CHARSET")) {
                i += t.isWord("CHARSET") ? 1 : 2;
                int end = valueEnd(tokens, i);
                out.add(assignment(tokens, Scope.SESSION, "character_set", i, end));
                i = end;
            } else {
                i = variable(tokens, i, scope, out);
            }
            Token sep = tokens.get(i);
            if (sep.type() == TokenType.END || sep.isSymbol(";")) {
                break;
            }
            if (!sep.isSymbol(",")) {
                throw syntax(tokens, i);
            }
            i++;
        }
        return new SetStatement(out);
    }

    private static int variable(Tokens tokens, int i, Scope scope, List<Assignment> out) {
        Token t = tokens.get(i);
        String name;
        Scope s = scope;
        switch (t.type()) {
            case USER_VARIABLE -> {
                s = Scope.USER;
                name = t.name().toLowerCase(Locale.ROOT);
            }
            case SYSTEM_VARIABLE -> {
                SystemVariableRef ref = SystemVariableRef.of(t);
                s = ref.global() ? Scope.GLOBAL : Scope.SESSION;
                name = ref.name();
            }
            case WORD, QUOTED_IDENTIFIER -> name = t.name().toLowerCase(Locale.ROOT);
            default -> throw syntax(tokens, i);
        }
        i++;
        // A scoped name written with a dot: SET session.sql_mode is not MySQL, but @@session.x was handled above.
        Token op = tokens.get(i);
        if (!op.isSymbol("=") && !op.isSymbol(":=")) {
            throw syntax(tokens, i);
        }
        int start = i + 1;
        int end = valueEnd(tokens, start);
        if (end == start) {
            throw syntax(tokens, start);
        }
        out.add(assignment(tokens, s, name, start, end));
        return end;
    }

    /** {@code NAMES {charset | DEFAULT} [COLLATE collation]}. */
    private static int names(Tokens tokens, int i, List<Assignment> out) {
        Token cs = tokens.get(i);
        if (!(cs.isIdentifier() || cs.type() == TokenType.STRING)) {
            throw syntax(tokens, i);
        }
        out.add(assignment(tokens, Scope.SESSION, "names", i, i + 1));
        i++;
        if (tokens.get(i).isWord("COLLATE")) {
            Token co = tokens.get(i + 1);
            if (!(co.isIdentifier() || co.type() == TokenType.STRING)) {
                throw syntax(tokens, i + 1);
            }
            out.add(assignment(tokens, Scope.SESSION, "collation_connection", i + 1, i + 2));
            i += 2;
        }
        return i;
    }

    /** {@code TRANSACTION characteristic [, characteristic]}. */
    private static int transaction(Tokens tokens, int i, Scope scope, List<Assignment> out) {
        while (true) {
            Token t = tokens.get(i);
            if (t.isWord("ISOLATION") && tokens.get(i + 1).isWord("LEVEL")) {
                i += 2;
                String level;
                Token a = tokens.get(i);
                Token b = tokens.get(i + 1);
                if (a.isWord("READ") && b.isWord("UNCOMMITTED")) {
                    level = "READ-UNCOMMITTED";
                    i += 2;
                } else if (a.isWord("READ") && b.isWord("COMMITTED")) {
                    level = "READ-COMMITTED";
                    i += 2;
                } else if (a.isWord("REPEATABLE") && b.isWord("READ")) {
                    level = "REPEATABLE-READ";
                    i += 2;
                } else if (a.isWord("SERIALIZABLE")) {
                    level = "SERIALIZABLE";
                    i += 1;
                } else {
                    throw syntax(tokens, i);
                }
                out.add(new Assignment(scope, "transaction_isolation", ValueKind.STRING, "'" + level + "'", level,
                        Set.of(), Set.of()));
            } else if (t.isWord("READ") && (tokens.get(i + 1).isWord("ONLY") || tokens.get(i + 1).isWord("WRITE"))) {
                String v = tokens.get(i + 1).isWord("ONLY") ? "1" : "0";
                out.add(new Assignment(scope, "transaction_read_only", ValueKind.NUMBER, v, v, Set.of(), Set.of()));
                i += 2;
            } else {
                throw syntax(tokens, i);
            }
            // A comma continues the characteristics only when another characteristic follows.
            if (tokens.get(i).isSymbol(",") && (tokens.get(i + 1).isWord("ISOLATION") || (tokens.get(i + 1)
                    .isWord("READ") && (tokens.get(i + 2).isWord("ONLY") || tokens.get(i + 2).isWord("WRITE"))))) {
                i++;
                continue;
            }
            return i;
        }
    }

    /** The index just past the value starting at {@code start}: the next comma or semicolon outside parentheses. */
    private static int valueEnd(Tokens tokens, int start) {
        int depth = 0;
        int i = start;
        for (; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && (t.isSymbol(",") || t.isSymbol(";"))) {
                break;
            }
        }
        return i;
    }

    private static Assignment assignment(Tokens tokens, Scope scope, String name, int start, int end) {
        if (end <= start) {
            throw syntax(tokens, start);
        }
        String sql = tokens.sql();
        String value = sql.substring(tokens.get(start).start(), tokens.get(end - 1).end());
        Set<String> users = new LinkedHashSet<>();
        Set<String> systems = new LinkedHashSet<>();
        for (int i = start; i < end; i++) {
            Token t = tokens.get(i);
            if (t.type() == TokenType.USER_VARIABLE) {
                users.add(t.name().toLowerCase(Locale.ROOT));
            } else if (t.type() == TokenType.SYSTEM_VARIABLE) {
                systems.add(SystemVariableRef.of(t).name());
            }
        }
        Token first = tokens.get(start);
        ValueKind kind = ValueKind.EXPRESSION;
        String literal = value;
        if (end - start == 1) {
            switch (first.type()) {
                case NUMBER -> kind = ValueKind.NUMBER;
                case STRING -> {
                    kind = ValueKind.STRING;
                    literal = first.stringValue();
                }
                case WORD, QUOTED_IDENTIFIER -> {
                    kind = ValueKind.WORD;
                    literal = first.name();
                }
                case BIND_VARIABLE -> {
                    kind = ValueKind.BIND_VARIABLE;
                    literal = first.name();
                }
                default -> { }
            }
        } else if (end - start == 2 && (first.isSymbol("-") || first.isSymbol("+"))
                && tokens.get(start + 1).type() == TokenType.NUMBER) {
            kind = ValueKind.NUMBER;
            literal = (first.isSymbol("-") ? "-" : "") + tokens.get(start + 1).text();
        }
        return new Assignment(scope, name, kind, value, literal, users, systems);
    }

    private static TesseraException syntax(Tokens tokens, int i) {
        Token t = tokens.get(i);
        String near = tokens.sql().substring(Math.min(t.start(), tokens.sql().length()));
        if (near.length() > 80) {
            near = near.substring(0, 80);
        }
        return TesseraException.of(ErrorKind.SYNTAX_ERROR, "near '" + near + "'");
    }
}
