package io.tessera.gate.sql;

import java.util.Objects;
import java.util.Set;

/**
 * A classified statement: its type, its tokens, and the few properties the gate decides on.
 *
 * @param type what the statement is
 * @param tokens its tokens (and text)
 * @param traits the properties found while classifying it
 */
public record Statement(StatementType type, Tokens tokens, Set<Trait> traits) {
    /** Properties of a statement that change how the gate runs it. */
    public enum Trait {
        /** CREATE/DROP TEMPORARY TABLE: the table lives on one connection, which must be kept for the session. */
        TEMPORARY_TABLE,
        /**
         * Leaves state on its connection that later statements of the session need: CREATE TEMPORARY TABLE,
         * LOCK TABLES, GET_LOCK() and related functions, HANDLER, and SQL-level PREPARE / EXECUTE / DEALLOCATE.
         */
        PINS_CONNECTION,
        /**
         * MySQL commits the open transaction before running it (DDL other than on temporary tables, LOCK TABLES,
         * UNLOCK TABLES, ANALYZE/OPTIMIZE/REPAIR TABLE, FLUSH).
         */
        IMPLICIT_COMMIT,
        /** CREATE/DROP/ALTER DATABASE or SCHEMA. */
        DATABASE_DDL,
        /** A SELECT with a FROM clause at the top level (other than FROM DUAL). */
        HAS_FROM,
        /** COMMIT AND CHAIN / ROLLBACK AND CHAIN: a new transaction starts right after. */
        CHAIN,
        /** A SELECT ... INTO (variables or a file) or FOR UPDATE/SHARE locking read. */
        NOT_WRAPPABLE
    }

    public Statement {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tokens, "tokens");
        traits = Set.copyOf(traits);
    }

    /** The statement's text. */
    public String sql() {
        return tokens.sql();
    }

    /** True if the statement has {@code trait}. */
    public boolean has(Trait trait) {
        return traits.contains(trait);
    }
}
