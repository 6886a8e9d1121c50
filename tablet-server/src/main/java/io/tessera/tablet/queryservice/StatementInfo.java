package io.tessera.tablet.queryservice;

import java.util.Objects;

/**
 * The classification of one statement.
 *
 * @param kind what the statement does
 * @param lockingRead true for a SELECT ... FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE
 * @param select true if the statement is a SELECT (possibly after WITH or parentheses), to which a row limit
 *     ({@code sql_select_limit}) applies
 */
public record StatementInfo(StatementKind kind, boolean lockingRead, boolean select) {
    public StatementInfo {
        Objects.requireNonNull(kind, "kind");
    }

    /** A statement that is not a SELECT. */
    static StatementInfo of(StatementKind kind) {
        return new StatementInfo(kind, false, false);
    }
}
