package io.tessera.tablet.queryservice;

/** What a statement does, as far as serving it is concerned (see {@link StatementClassifier}). */
public enum StatementKind {
    /** SELECT (also WITH ... SELECT, UNION, VALUES, TABLE), SHOW, DESCRIBE, EXPLAIN. */
    READ,
    /** INSERT, UPDATE, DELETE, REPLACE, LOAD DATA. */
    WRITE,
    /** CREATE, ALTER, DROP, TRUNCATE, RENAME, GRANT, REVOKE. */
    DDL,
    /** BEGIN, START TRANSACTION. */
    BEGIN,
    /** COMMIT. */
    COMMIT,
    /** ROLLBACK (not ROLLBACK TO SAVEPOINT). */
    ROLLBACK,
    /** SAVEPOINT, ROLLBACK TO SAVEPOINT, RELEASE SAVEPOINT. */
    SAVEPOINT,
    /** SET: changes session state. */
    SET,
    /** USE: changes the default database. */
    USE,
    /** Anything else (OPTIMIZE, ANALYZE TABLE, FLUSH, KILL, CALL, DO, LOCK TABLES, ...). */
    OTHER;

    /** True for statements a non-primary tablet refuses. */
    public boolean isWrite() {
        return this == WRITE || this == DDL;
    }

    /** True for statements that end or start a transaction, which only Begin, Commit and Rollback may do. */
    public boolean isTransactionBoundary() {
        return this == BEGIN || this == COMMIT || this == ROLLBACK;
    }

    /** True for statements that leave state on the connection that the next user of a pooled connection would see. */
    public boolean changesSession() {
        return this == SET || this == USE;
    }
}
