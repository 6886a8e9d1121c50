package io.tessera.gate.executor;

import com.google.protobuf.ByteString;
import io.tessera.gate.sql.SelectList;
import io.tessera.gate.sql.SessionReference;
import io.tessera.gate.sql.SetStatement;
import io.tessera.gate.sql.Statement;
import io.tessera.gate.sql.StatementType;
import io.tessera.gate.sql.TextEdit;
import io.tessera.proto.query.ExecuteOptions.TransactionAccessMode;
import java.util.List;

/**
 * What the gate does with one statement, decided once per statement text (see {@link Planner}) and reused: the
 * plans are immutable and hold no session state.
 */
sealed interface Plan {
    /** The statement type the plan is counted under. */
    StatementType type();

    /**
     * Sent to a tablet of the destination keyspace, with keyspace names rewritten to tablet database names and the
     * session values the gate owns filled in.
     *
     * @param statement the classified statement
     * @param tabletSql the statement with keyspace names rewritten
     * @param tabletSqlUtf8 {@code tabletSql} in UTF-8, encoded once with the plan: a statement sent as it is (no
     *     session value filled in) goes to the tablet without measuring and encoding its text every time
     * @param schemaEdits the edits that rewrote it (to combine with session values)
     * @param keyspaces the keyspaces the statement names itself
     * @param references the session values it reads
     * @param select its top-level select list (for naming filled-in columns), or null
     * @param needsDatabase whether it uses tables of the default database
     */
    record Passthrough(Statement statement, String tabletSql, ByteString tabletSqlUtf8, List<TextEdit> schemaEdits,
            List<String> keyspaces, List<SessionReference> references, SelectList select, boolean needsDatabase)
            implements Plan {
        public Passthrough {
            schemaEdits = List.copyOf(schemaEdits);
            keyspaces = List.copyOf(keyspaces);
            references = List.copyOf(references);
        }

        @Override
        public StatementType type() {
            return statement.type();
        }
    }

    /**
     * A SELECT without tables whose every item is a session value the gate holds ({@code SELECT DATABASE()},
     * {@code SELECT @@autocommit, LAST_INSERT_ID() AS id}): answered by the gate. If an item turns out to be held
     * by a reserved connection (a user variable the gate does not know), {@code fallback} runs instead.
     *
     * @param items one reference per select item, in order
     * @param names the column names (alias, or the item as written)
     * @param limit how many rows (0 or 1)
     */
    record GateSelect(List<SessionReference> items, List<String> names, int limit, Passthrough fallback)
            implements Plan {
        public GateSelect {
            items = List.copyOf(items);
            names = List.copyOf(names);
        }

        @Override
        public StatementType type() {
            return StatementType.SELECT;
        }
    }

    /** SHOW DATABASES / SHOW SCHEMAS [LIKE 'pattern']: the keyspaces and MySQL's system schemas. */
    record ShowDatabases(String likePattern) implements Plan {
        @Override
        public StatementType type() {
            return StatementType.SHOW;
        }
    }

    /**
     * The Vitess operator statements {@code SHOW VITESS_TABLETS}, {@code SHOW VITESS_SHARDS},
     * {@code SHOW VITESS_KEYSPACES} (also {@code SHOW KEYSPACES}) and {@code SHOW VITESS_TARGET}, answered from the
     * gate's own view of the cluster (see {@link ClusterShows}).
     *
     * @param what which of them
     * @param likePattern the {@code LIKE} pattern, or null for all rows
     */
    record ShowVitess(ClusterShows.What what, String likePattern) implements Plan {
        @Override
        public StatementType type() {
            return StatementType.SHOW;
        }
    }

    /** SHOW WARNINGS, SHOW ERRORS, SHOW COUNT(*) WARNINGS / ERRORS: from the session. */
    record ShowWarnings(boolean errorsOnly, boolean countOnly) implements Plan {
        @Override
        public StatementType type() {
            return StatementType.SHOW;
        }
    }

    /** USE: changes the session's target. */
    record Use(String target) implements Plan {
        @Override
        public StatementType type() {
            return StatementType.USE;
        }
    }

    /** BEGIN / START TRANSACTION with its access modes. */
    record Begin(List<TransactionAccessMode> accessModes) implements Plan {
        public Begin {
            accessModes = List.copyOf(accessModes);
        }

        @Override
        public StatementType type() {
            return StatementType.BEGIN;
        }
    }

    /** COMMIT [AND CHAIN]. */
    record Commit(boolean chain) implements Plan {
        @Override
        public StatementType type() {
            return StatementType.COMMIT;
        }
    }

    /** ROLLBACK [AND CHAIN]. */
    record Rollback(boolean chain) implements Plan {
        @Override
        public StatementType type() {
            return StatementType.ROLLBACK;
        }
    }

    /** SAVEPOINT, ROLLBACK TO, RELEASE SAVEPOINT, as written. */
    record Savepoint(String sql) implements Plan {
        @Override
        public StatementType type() {
            return StatementType.SAVEPOINT;
        }
    }

    /** SET of variables. */
    record Set(Statement statement, SetStatement set) implements Plan {
        @Override
        public StatementType type() {
            return StatementType.SET;
        }
    }

    /** A statement the gate accepts without doing anything (CREATE DATABASE IF NOT EXISTS of a keyspace). */
    record NoOp(StatementType type) implements Plan {}

    /** A statement the gate does not run, with what to tell the client. */
    record Unsupported(StatementType type, String what) implements Plan {}
}
