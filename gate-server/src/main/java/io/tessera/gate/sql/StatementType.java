package io.tessera.gate.sql;

/**
 * What a statement is, as far as the gate handles it differently (see {@link StatementClassifier}). Each type has
 * the label it is counted under in the gate's metrics.
 */
public enum StatementType {
    /** SELECT, also WITH ... SELECT, VALUES, TABLE, and MariaDB's ANALYZE SELECT. */
    SELECT("select"),
    INSERT("insert"),
    UPDATE("update"),
    DELETE("delete"),
    REPLACE("replace"),
    /** LOAD DATA / LOAD XML. */
    LOAD("load"),
    /** CREATE, ALTER, DROP, TRUNCATE, RENAME, GRANT, REVOKE. */
    DDL("ddl"),
    /** SET of variables, SET NAMES, SET TRANSACTION... */
    SET("set"),
    USE("use"),
    /** BEGIN, START TRANSACTION. */
    BEGIN("begin"),
    COMMIT("commit"),
    /** ROLLBACK (not ROLLBACK TO SAVEPOINT). */
    ROLLBACK("rollback"),
    /** SAVEPOINT, ROLLBACK TO [SAVEPOINT], RELEASE SAVEPOINT. */
    SAVEPOINT("savepoint"),
    SHOW("show"),
    /** DESCRIBE, DESC, EXPLAIN. */
    EXPLAIN("explain"),
    /** LOCK TABLE(S). */
    LOCK_TABLES("lock"),
    /** UNLOCK TABLE(S). */
    UNLOCK_TABLES("unlock"),
    CALL("call"),
    /** ANALYZE / OPTIMIZE / REPAIR / CHECK / CHECKSUM TABLE, FLUSH. */
    ADMIN("admin"),
    /** SQL-level prepared statements: PREPARE, EXECUTE, DEALLOCATE / DROP PREPARE. */
    PREPARED("prepare"),
    /** DO, HANDLER, KILL, XA and anything not recognised. */
    OTHER("other");

    private final String label;

    StatementType(String label) {
        this.label = label;
    }

    /** The {@code statement} label of the gate's metrics. */
    public String label() {
        return label;
    }

    /** True for statements that change rows. */
    public boolean isDml() {
        return this == INSERT || this == UPDATE || this == DELETE || this == REPLACE || this == LOAD;
    }
}
