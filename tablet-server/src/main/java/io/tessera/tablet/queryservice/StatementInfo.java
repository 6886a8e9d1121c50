package io.tessera.tablet.queryservice;

import java.util.Objects;

/**
 * The classification of one statement.
 *
 * @param kind what the statement does
 * @param lockingRead true for a SELECT ... FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE
 * @param select true if the statement is a SELECT (possibly after WITH or parentheses), to which a row limit
 *     ({@code sql_select_limit}) applies
 * @param leavesState true if it leaves state other than variables on the connection, which the next user of a
 *     pooled connection would meet: a temporary table ({@code CREATE TEMPORARY TABLE}), table locks
 *     ({@code LOCK TABLES}, {@code BACKUP LOCK}), a named lock ({@code GET_LOCK()}), a prepared statement
 *     ({@code PREPARE}, and {@code EXECUTE}/{@code DEALLOCATE}, which only make sense after one) or a
 *     {@code HANDLER}
 */
public record StatementInfo(StatementKind kind, boolean lockingRead, boolean select, boolean leavesState) {
    public StatementInfo {
        Objects.requireNonNull(kind, "kind");
    }

    /** A statement that is not a SELECT and leaves no state. */
    static StatementInfo of(StatementKind kind) {
        return new StatementInfo(kind, false, false, false);
    }

    /** This classification, marked as leaving state on the connection. */
    StatementInfo leavingState() {
        return leavesState ? this : new StatementInfo(kind, lockingRead, select, true);
    }

    /**
     * True if a pooled connection that ran the statement must not serve anyone else: it changed the session
     * ({@code SET}, {@code USE}) or left other state on it.
     */
    public boolean changesSession() {
        return kind.changesSession() || leavesState;
    }
}
