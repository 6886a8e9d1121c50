package io.tessera.gate.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The select list of a statement's top-level SELECT: its items with their token ranges and whether each carries an
 * alias, and where the list ends. The gate uses it to name the columns of values it fills in itself (MySQL names a
 * column after the expression as written) and to recognise selects it can answer without a tablet.
 *
 * @param items the select items, in order
 * @param end index of the first token after the list (FROM, WHERE, LIMIT... or the end)
 */
public record SelectList(List<Item> items, int end) {
    private static final Set<String> SELECT_OPTIONS = Set.of("ALL", "DISTINCT", "DISTINCTROW", "HIGH_PRIORITY",
            "STRAIGHT_JOIN", "SQL_SMALL_RESULT", "SQL_BIG_RESULT", "SQL_BUFFER_RESULT", "SQL_NO_CACHE",
            "SQL_CACHE", "SQL_CALC_FOUND_ROWS");
    private static final Set<String> LIST_END = Set.of("FROM", "INTO", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT",
            "UNION", "EXCEPT", "INTERSECT", "WINDOW", "FOR", "LOCK", "PROCEDURE");
    /** Words that end an expression but are never an alias. */
    private static final Set<String> NOT_ALIAS = Set.of("NULL", "TRUE", "FALSE", "END", "IS", "NOT", "AND", "OR",
            "XOR", "LIKE", "IN", "BETWEEN", "DIV", "MOD", "REGEXP", "RLIKE", "COLLATE", "BINARY", "INTERVAL", "CASE",
            "WHEN", "THEN", "ELSE", "UNKNOWN", "DISTINCT", "ESCAPE", "SOUNDS");

    /**
     * One select item.
     *
     * @param from index of its first token
     * @param to index just past its last token (including any alias)
     * @param hasAlias whether it is followed by an alias ({@code AS name} or just {@code name})
     * @param expressionEnd index just past the expression (before the alias)
     */
    public record Item(int from, int to, boolean hasAlias, int expressionEnd) {}

    public SelectList {
        items = List.copyOf(items);
    }

    /** The select list of {@code tokens}, if the statement starts with SELECT (after opening parentheses). */
    public static Optional<SelectList> of(Tokens tokens) {
        int i = 0;
        while (tokens.get(i).isSymbol("(")) {
            i++;
        }
        if (!tokens.get(i).isWord("SELECT")) {
            return Optional.empty();
        }
        i++;
        while (tokens.get(i).type() == TokenType.WORD && SELECT_OPTIONS.contains(tokens.get(i).upper())) {
            i++;
        }
        List<Item> items = new ArrayList<>();
        int depth = 0;
        int itemStart = i;
        for (; ; i++) {
            Token t = tokens.get(i);
            boolean endOfList = t.type() == TokenType.END || t.isSymbol(";")
                    || (depth == 0 && t.isSymbol(")"))
                    || (depth == 0 && t.type() == TokenType.WORD && LIST_END.contains(t.upper()));
            if (endOfList || (depth == 0 && t.isSymbol(","))) {
                if (i > itemStart) {
                    items.add(item(tokens, itemStart, i));
                }
                if (endOfList) {
                    break;
                }
                itemStart = i + 1;
                continue;
            }
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            }
        }
        return Optional.of(new SelectList(items, i));
    }

    private static Item item(Tokens tokens, int from, int to) {
        int asIndex = -1;
        int depth = 0;
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.isWord("AS")) {
                asIndex = i;
            }
        }
        if (asIndex > from) {
            return new Item(from, to, true, asIndex);
        }
        if (to - from >= 2) {
            Token last = tokens.get(to - 1);
            Token before = tokens.get(to - 2);
            boolean aliasToken = last.type() == TokenType.QUOTED_IDENTIFIER || last.type() == TokenType.STRING
                    || (last.type() == TokenType.WORD && !NOT_ALIAS.contains(last.upper()));
            boolean afterOperand = before.isSymbol(")") || before.type() == TokenType.NUMBER
                    || before.type() == TokenType.STRING || before.type() == TokenType.USER_VARIABLE
                    || before.type() == TokenType.SYSTEM_VARIABLE || before.type() == TokenType.BIND_VARIABLE
                    || before.type() == TokenType.QUOTED_IDENTIFIER
                    || (before.type() == TokenType.WORD && !NOT_ALIAS.contains(before.upper()));
            if (aliasToken && afterOperand) {
                return new Item(from, to, true, to - 1);
            }
        }
        return new Item(from, to, false, to);
    }
}
