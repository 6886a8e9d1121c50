package io.tessera.gate.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A place in a statement that reads session state the gate keeps, not the tablet's connection: DATABASE() (the
 * tablet would name its {@code vt_} database), LAST_INSERT_ID(), ROW_COUNT() and FOUND_ROWS() (a pooled tablet
 * connection has some other session's values), user variables ({@code @x}) and session system variables
 * ({@code @@autocommit}...). The executor replaces those it owns with their values.
 *
 * @param kind what is read
 * @param from index of the first token
 * @param to index just past the last token
 * @param start offset of the first character in the statement
 * @param end offset just past the last character
 * @param name the variable name in lower case (for variables), else empty
 * @param schemaValue whether the place is a value compared with an information_schema schema column, where the
 *     tablet's database name is what MySQL must see
 */
public record SessionReference(Kind kind, int from, int to, int start, int end, String name, boolean schemaValue) {
    /** What a reference reads. */
    public enum Kind {
        /** DATABASE() or SCHEMA(). */
        DATABASE,
        /** LAST_INSERT_ID() without an argument. */
        LAST_INSERT_ID,
        ROW_COUNT,
        FOUND_ROWS,
        /** A user variable read ({@code @x}, not an assignment target). */
        USER_VARIABLE,
        /** A session (not global) system variable. */
        SYSTEM_VARIABLE
    }

    /** Every reference in {@code tokens}, in order. */
    public static List<SessionReference> find(Tokens tokens) {
        List<SessionReference> out = new ArrayList<>(0);
        boolean intoTargets = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isWord("INTO")) {
                intoTargets = true;
                continue;
            }
            if (intoTargets && !(t.type() == TokenType.USER_VARIABLE || t.isSymbol(","))) {
                intoTargets = false;
            }
            switch (t.type()) {
                case WORD -> {
                    Kind kind = switch (t.upper()) {
                        case "DATABASE", "SCHEMA" -> Kind.DATABASE;
                        case "LAST_INSERT_ID" -> Kind.LAST_INSERT_ID;
                        case "ROW_COUNT" -> Kind.ROW_COUNT;
                        case "FOUND_ROWS" -> Kind.FOUND_ROWS;
                        default -> null;
                    };
                    if (kind != null && tokens.get(i + 1).isSymbol("(") && tokens.get(i + 2).isSymbol(")")
                            && !tokens.get(i - 1).isSymbol(".")) {
                        out.add(new SessionReference(kind, i, i + 3, t.start(), tokens.get(i + 2).end(), "",
                                SchemaNames.isSchemaValue(tokens, i, i + 3)));
                        i += 2;
                    }
                }
                case USER_VARIABLE -> {
                    if (!intoTargets && !tokens.get(i + 1).isSymbol(":=")) {
                        out.add(new SessionReference(Kind.USER_VARIABLE, i, i + 1, t.start(), t.end(),
                                t.name().toLowerCase(Locale.ROOT), false));
                    }
                }
                case SYSTEM_VARIABLE -> {
                    SystemVariableRef ref = SystemVariableRef.of(t);
                    if (!ref.global()) {
                        out.add(new SessionReference(Kind.SYSTEM_VARIABLE, i, i + 1, t.start(), t.end(), ref.name(),
                                false));
                    }
                }
                default -> { }
            }
        }
        return out;
    }
}
