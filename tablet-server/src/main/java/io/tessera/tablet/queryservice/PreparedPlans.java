package io.tessera.tablet.queryservice;

import io.tessera.proto.query.BindVariable;
import io.tessera.tablet.mysqlclient.ColumnDefinition;
import io.tessera.tablet.mysqlclient.Parameter;
import io.tessera.tablet.mysqlclient.ServerStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Which statements the native path runs as server-side prepared statements, and with which parameters. A SELECT
 * that arrives with bind variables (the gate sends a client's prepared statement so) is prepared on mysqld once per
 * connection and then only executed, which spares mysqld parsing it every time. It must give exactly what the text
 * path gives, so only what provably does is prepared:
 * <ul>
 *   <li>scalar bind variables of the kinds {@link Parameter} carries (NULL, whole numbers, UTF-8 strings), whose
 *       meaning as parameters is that of the literals the text path writes; anything else goes as text;</li>
 *   <li>results whose every column is a column of a table (its definition then comes from the table, not from the
 *       parameters' values) of a type whose binary values render exactly as mysqld's text (no FLOAT or DOUBLE);
 *       mysqld describes the columns when it prepares the statement, and a statement that fails this is remembered
 *       as text-only;</li>
 *   <li>a statement mysqld will not prepare (a syntax it does not accept with {@code ?}) is remembered as text-only
 *       too; one it refuses for another reason (a missing table) runs as text, which reports the error; when mysqld
 *       holds all the prepared statements it may, nothing more is prepared for a while.</li>
 * </ul>
 * Shared by the loops; what it remembers depends on the statement's text alone.
 */
final class PreparedPlans {
    /** Distinct statements remembered before the memo starts over (a safety net against unbounded texts). */
    static final int MAX_ENTRIES = 4096;
    private static final int ER_PARSE_ERROR = 1064;
    private static final int ER_UNSUPPORTED_PS = 1295;
    private static final int ER_MAX_PREPARED_STMT_COUNT_REACHED = 1461;
    /** How long no statement is prepared after mysqld said it holds as many as it may. */
    static final long PAUSE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * How a statement runs prepared.
     *
     * @param sql its text with a {@code ?} for each bind variable
     * @param names the bind variables, in the order of the {@code ?}s
     */
    record Plan(String sql, List<String> names) {
        Plan {
            names = List.copyOf(names);
        }
    }

    private static final Plan TEXT_ONLY = new Plan("", List.of());

    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private volatile long pausedUntil;
    private volatile boolean paused;

    PreparedPlans(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** How {@code sql} (with {@code :name} bind variables) runs prepared, or null if it runs as text. */
    Plan plan(String sql) {
        Plan p = plans.get(sql);
        if (p == null) {
            if (plans.size() >= MAX_ENTRIES) {
                plans.clear();
            }
            p = parse(sql);
            plans.put(sql, p);
        }
        return p == TEXT_ONLY ? null : p;
    }

    /** From now on {@code sql} runs as text. */
    void textOnly(String sql) {
        plans.put(sql, TEXT_ONLY);
    }

    /**
     * Takes note of mysqld refusing to prepare a statement with {@code errno}: when it holds as many prepared
     * statements as it may ({@code max_prepared_stmt_count}, shared with every other client), statements not yet
     * prepared run as text for {@link #PAUSE_NANOS} rather than each trying again.
     */
    void refused(int errno) {
        if (errno == ER_MAX_PREPARED_STMT_COUNT_REACHED) {
            pausedUntil = nanoTime.getAsLong() + PAUSE_NANOS;
            paused = true;
        }
    }

    /** False while preparing is paused (see {@link #refused}). */
    boolean mayPrepare() {
        if (paused && nanoTime.getAsLong() - pausedUntil < 0) {
            return false;
        }
        paused = false;
        return true;
    }

    /** True if mysqld's refusal to prepare a statement means it never will (so it runs as text from now on). */
    static boolean neverPrepares(int errno) {
        return errno == ER_PARSE_ERROR || errno == ER_UNSUPPORTED_PS;
    }

    /** True if {@code statement}, prepared from {@code plan}, gives exactly the text path's result. */
    static boolean matchesText(ServerStatement statement, Plan plan) {
        if (statement.parameters() != plan.names().size() || statement.columns().isEmpty()) {
            return false;
        }
        for (ColumnDefinition c : statement.columns()) {
            if (c.orgTable().isEmpty() || c.orgName().isEmpty() || !ServerStatement.readableAsText(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The parameters for {@code plan} from {@code variables}, or null if one is missing or of a kind that must go as
     * text (the text path then also reports what is wrong with it).
     */
    static List<Parameter> parameters(Plan plan, Map<String, BindVariable> variables) {
        List<Parameter> out = new ArrayList<>(plan.names().size());
        for (String name : plan.names()) {
            BindVariable v = variables.get(name);
            Parameter p = v == null ? null : parameter(v);
            if (p == null) {
                return null;
            }
            out.add(p);
        }
        return out;
    }

    private static Parameter parameter(BindVariable v) {
        try {
            return switch (v.getType()) {
                case NULL_TYPE -> Parameter.NULL;
                case INT8, INT16, INT24, INT32, INT64 ->
                        new Parameter.Int(Long.parseLong(v.getValue().toStringUtf8()), false);
                case UINT8, UINT16, UINT24, UINT32, UINT64 ->
                        new Parameter.Int(Long.parseUnsignedLong(v.getValue().toStringUtf8()), true);
                case VARCHAR, CHAR, TEXT -> v.getValue().isValidUtf8()
                        ? new Parameter.Text(v.getValue().toByteArray()) : null;
                default -> null;
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The plan for {@code sql}: its bind variables replaced by {@code ?}; text-only without any, or with a list. */
    private static Plan parse(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        int copied = 0;
        for (SqlLexer.Type t = lexer.next(); t != SqlLexer.Type.END; t = lexer.next()) {
            if (t != SqlLexer.Type.BIND_VARIABLE) {
                continue;
            }
            if (lexer.isListBindVariable()) {
                return TEXT_ONLY;
            }
            out.append(sql, copied, lexer.start()).append('?');
            names.add(lexer.bindVariableName());
            copied = lexer.end();
        }
        if (names.isEmpty()) {
            return TEXT_ONLY;
        }
        return new Plan(out.append(sql, copied, sql.length()).toString(), names);
    }
}
