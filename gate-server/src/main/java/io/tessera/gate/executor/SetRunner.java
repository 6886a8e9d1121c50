package io.tessera.gate.executor;

import com.google.protobuf.ByteString;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.sql.SchemaNames;
import io.tessera.gate.sql.SessionReference;
import io.tessera.gate.sql.SetStatement.Assignment;
import io.tessera.gate.sql.SetStatement.Scope;
import io.tessera.gate.sql.SetStatement.ValueKind;
import io.tessera.gate.sql.SqlLexer;
import io.tessera.gate.sql.SqlLiterals;
import io.tessera.gate.sql.Statement.Trait;
import io.tessera.gate.sql.TextEdit;
import io.tessera.gate.sql.Tokens;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.ExecuteOptions.TransactionIsolation;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.proto.query.Value;
import io.tessera.proto.vtgate.Session;
import io.tessera.proto.vtgate.TransactionMode;
import io.tessera.queryservice.CompactRows;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Runs SET statements.
 *
 * <p>Values that are not plain literals ({@code @@unique_checks}, {@code CONCAT(@@sql_mode, ',X')},
 * {@code @OLD_SQL_MODE}) are first evaluated by MySQL with one {@code SELECT} on the session's connection, with the
 * values the gate holds (user variables, its own system variables) filled in; MySQL's SET evaluates every value
 * before assigning any, and so does this, except that an assignment reading a variable assigned earlier in the same
 * statement waits for it. Then, in order:
 *
 * <ul>
 *   <li>user variables are kept in {@code Session.user_defined_variables} and filled into later statements;
 *   <li>the gate's own variables (autocommit, isolation, read-only, select limit, character sets, query timeout,
 *       transaction mode) change the session (SET autocommit = 1 commits an open transaction, as MySQL does);
 *   <li>every other session variable is checked against the connection's current value; a real change is applied
 *       with {@code SET @@session.x = v} to the session's reserved connections (reserving one if it has none,
 *       which also validates the value) and recorded in {@code Session.system_variables}, so that every later
 *       statement, and every connection reserved later (through pre-queries), sees it.
 * </ul>
 *
 * <p>SET GLOBAL is refused: global variables are the operator's business, on each tablet.
 */
final class SetRunner {
    private static final Pattern VARIABLE_NAME = Pattern.compile("[a-z0-9_]+");
    private static final Set<String> CHARACTER_SETS = Set.of("armscii8", "ascii", "big5", "binary", "cp1250",
            "cp1251", "cp1256", "cp1257", "cp850", "cp852", "cp866", "cp932", "dec8", "eucjpms", "euckr", "gb2312",
            "gbk", "geostd8", "greek", "hebrew", "hp8", "keybcs2", "koi8r", "koi8u", "latin1", "latin2", "latin5",
            "latin7", "macce", "macroman", "sjis", "swe7", "tis620", "ucs2", "ujis", "utf16", "utf16le", "utf32",
            "utf8", "utf8mb3", "utf8mb4", "gb18030");

    private final ShardRunner shards;
    private final TargetResolver resolver;
    private final Transactions transactions;
    private final SessionValues values;

    SetRunner(ShardRunner shards, TargetResolver resolver, Transactions transactions, SessionValues values) {
        this.shards = Objects.requireNonNull(shards, "shards");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.values = Objects.requireNonNull(values, "values");
    }

    QueryResult run(CallContext ctx, Plan.Set plan, Map<String, BindVariable> bindVariables) {
        List<Assignment> all = plan.set().assignments();
        for (Assignment a : all) {
            if (a.scope() == Scope.GLOBAL) {
                throw TesseraException.of(ErrorKind.UNIMPLEMENTED, "SET GLOBAL " + a.name() + " through the gate; "
                        + "set global variables on each tablet with tessera-ctl ExecuteFetchAsDba");
            }
            if (a.scope() == Scope.SESSION && !SessionVariables.isGateOwned(SessionVariables.canonical(a.name()))
                    && !VARIABLE_NAME.matcher(a.name()).matches()) {
                throw TesseraException.of(ErrorKind.UNKNOWN_SYSTEM_VARIABLE, a.name());
            }
        }
        if (plan.statement().has(Trait.PINS_CONNECTION)) {
            // SET @l = GET_LOCK(...): the lock must stay with the session
            ctx.session().setInReservedConn(true).setReservedConnState(true);
        }
        for (List<Assignment> segment : segments(all)) {
            apply(ctx, segment, bindVariables);
        }
        return QueryResult.getDefaultInstance();
    }

    /** Splits the assignments where one reads a variable an earlier one (of the same part) assigns. */
    static List<List<Assignment>> segments(List<Assignment> all) {
        List<List<Assignment>> out = new ArrayList<>();
        List<Assignment> current = new ArrayList<>();
        Set<String> users = new HashSet<>();
        Set<String> systems = new HashSet<>();
        for (Assignment a : all) {
            boolean dependent = a.userVariables().stream().anyMatch(users::contains)
                    || a.systemVariables().stream().map(SessionVariables::canonical).anyMatch(systems::contains);
            if (dependent) {
                out.add(current);
                current = new ArrayList<>();
                users.clear();
                systems.clear();
            }
            current.add(a);
            if (a.scope() == Scope.USER) {
                users.add(a.name());
            } else {
                systems.add(SessionVariables.canonical(a.name()));
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private void apply(CallContext ctx, List<Assignment> assignments, Map<String, BindVariable> bindVariables) {
        Session.Builder session = ctx.session();
        int n = assignments.size();
        int[] valueColumn = new int[n];
        int[] currentColumn = new int[n];
        Value[] local = new Value[n];
        Arrays.fill(valueColumn, -1);
        Arrays.fill(currentColumn, -1);
        List<String> select = new ArrayList<>();
        Map<String, BindVariable> vars = new HashMap<>(bindVariables);
        boolean required = false;
        for (int i = 0; i < n; i++) {
            Assignment a = assignments.get(i);
            boolean tabletVariable = isTabletVariable(a);
            boolean evaluate = switch (a.scope()) {
                case USER -> a.kind() == ValueKind.EXPRESSION || (a.kind() == ValueKind.WORD && !isConstantWord(a));
                default -> a.kind() == ValueKind.EXPRESSION || (tabletVariable && !a.isDefault());
            };
            if (evaluate && a.kind() == ValueKind.EXPRESSION) {
                local[i] = localValue(a, session);
                evaluate = local[i] == null;
            }
            if (evaluate) {
                required |= a.kind() == ValueKind.EXPRESSION || a.scope() == Scope.USER;
                valueColumn[i] = select.size();
                select.add(expression(a, vars, session));
            }
            if (tabletVariable && !a.isDefault()) {
                currentColumn[i] = select.size();
                select.add("@@session." + a.name());
            }
        }
        Destination destination = null;
        List<Value> row = List.of();
        if (!select.isEmpty()) {
            destination = destination(ctx, required);
            if (destination != null) {
                row = evaluate(ctx, destination, select, vars);
            } else {
                Arrays.fill(valueColumn, -1);
                Arrays.fill(currentColumn, -1);
            }
        }
        Map<String, String> tabletUpdates = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Assignment a = assignments.get(i);
            Value evaluated = valueColumn[i] >= 0 ? row.get(valueColumn[i]) : local[i];
            if (a.scope() == Scope.USER) {
                session.putUserDefinedVariables(a.name(), userValue(a, evaluated, bindVariables));
                continue;
            }
            String name = SessionVariables.canonical(a.name());
            if (!isTabletVariable(a)) {
                gateVariable(ctx, name, a, text(a, evaluated, bindVariables));
                continue;
            }
            if (a.isDefault()) {
                if (session.containsSystemVariables(name) || session.getInReservedConn()) {
                    tabletUpdates.put(name, "DEFAULT");
                }
                continue;
            }
            Value current = currentColumn[i] >= 0 ? row.get(currentColumn[i]) : null;
            if (current != null && evaluated != null && sameSetting(current, evaluated)
                    && !session.containsSystemVariables(name)) {
                continue; // already the connection's value: nothing to carry
            }
            String literal = a.kind() == ValueKind.EXPRESSION && evaluated != null
                    ? SqlLiterals.of(evaluated.getType(), evaluated.getType() == Type.NULL_TYPE ? null
                            : evaluated.getValue())
                    : literal(a, bindVariables);
            tabletUpdates.put(name, literal);
        }
        if (!tabletUpdates.isEmpty()) {
            applyToTablets(ctx, tabletUpdates, destination);
        }
    }

    /** Runs the SELECT that evaluates values and current settings; returns its one row. */
    private List<Value> evaluate(CallContext ctx, Destination destination, List<String> select,
            Map<String, BindVariable> vars) {
        Session.Builder session = ctx.session();
        QueryResult r = shards.execute(ctx, destination, BoundQuery.newBuilder()
                .setSql("SELECT " + String.join(", ", select)).putAllBindVariables(vars).build(),
                new ShardRunner.Mode(session.getInTransaction(), session.getInReservedConn()));
        if (r.getRowsCount() != 1 || r.getFieldsCount() != select.size()) {
            throw TesseraException.of(ErrorKind.INTERNAL, "evaluating SET values returned " + r.getRowsCount()
                    + " rows of " + r.getFieldsCount() + " columns, expected 1 row of " + select.size());
        }
        List<ByteString> cells = CompactRows.values(r.getRows(0));
        List<Value> out = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            ByteString c = cells.get(i);
            out.add(c == null ? SessionValues.nullValue()
                    : Value.newBuilder().setType(r.getFields(i).getType()).setValue(c).build());
        }
        return out;
    }

    /** The destination for evaluating, or null when there is none and nothing needs evaluating by MySQL. */
    private Destination destination(CallContext ctx, boolean required) {
        try {
            return resolver.resolve(ctx.session(), List.of(), false);
        } catch (TesseraException e) {
            if (required || e.kind() != ErrorKind.NO_DATABASE_SELECTED) {
                throw e;
            }
            return null;
        }
    }

    /**
     * Applies changed tablet variables to every reserved connection of the session (reserving one on the session's
     * destination if it has none), then records them.
     */
    private void applyToTablets(CallContext ctx, Map<String, String> updates, Destination evaluatedOn) {
        Session.Builder session = ctx.session();
        BoundQuery set = BoundQuery.newBuilder().setSql(SessionVariables.setStatement(updates)).build();
        boolean applied = false;
        for (Session.ShardSession ss : List.copyOf(session.getShardSessionsList())) {
            if (ss.getReservedId() != 0) {
                shards.execute(ctx, Destination.of(ss.getTarget()), set,
                        new ShardRunner.Mode(ss.getTransactionId() != 0, true));
                applied = true;
            }
        }
        if (!applied) {
            Destination d = evaluatedOn != null ? evaluatedOn : destination(ctx, false);
            if (d != null) {
                shards.execute(ctx, d, set, new ShardRunner.Mode(session.getInTransaction(), true));
            }
        }
        for (Map.Entry<String, String> e : updates.entrySet()) {
            if (e.getValue().equals("DEFAULT")) {
                session.removeSystemVariables(e.getKey());
            } else {
                session.putSystemVariables(e.getKey(), e.getValue());
            }
        }
        session.setInReservedConn(true);
    }

    private void gateVariable(CallContext ctx, String name, Assignment a, String value) {
        Session.Builder session = ctx.session();
        boolean isDefault = a.isDefault();
        switch (name) {
            case "autocommit" -> {
                boolean on = isDefault || bool(name, value);
                if (on && !session.getAutocommit()) {
                    session.setAutocommit(true);
                    transactions.implicitCommit(ctx);
                } else if (!on) {
                    session.setAutocommit(false);
                }
            }
            case "sql_select_limit" -> {
                long limit = isDefault || value == null ? 0 : unsignedLimit(name, value);
                session.getOptionsBuilder().setSqlSelectLimit(limit);
            }
            case "transaction_isolation" -> {
                if (isDefault) {
                    session.getOptionsBuilder().setTransactionIsolation(TransactionIsolation.DEFAULT);
                    session.removeSystemVariables(name);
                    return;
                }
                String level = value == null ? "" : value.toUpperCase(Locale.ROOT).replace(' ', '-').replace('_', '-');
                TransactionIsolation isolation = switch (level) {
                    case "READ-UNCOMMITTED" -> TransactionIsolation.READ_UNCOMMITTED;
                    case "READ-COMMITTED" -> TransactionIsolation.READ_COMMITTED;
                    case "REPEATABLE-READ" -> TransactionIsolation.REPEATABLE_READ;
                    case "SERIALIZABLE" -> TransactionIsolation.SERIALIZABLE;
                    default -> throw TesseraException.of(ErrorKind.WRONG_VALUE_FOR_VAR, a.name(), value);
                };
                session.getOptionsBuilder().setTransactionIsolation(isolation);
                session.putSystemVariables(name, SchemaNames.quoteString(level));
            }
            case "transaction_read_only" -> {
                if (!isDefault && bool(name, value)) {
                    session.putSystemVariables(name, "1");
                } else {
                    session.removeSystemVariables(name);
                }
            }
            case "query_timeout" -> session.setQueryTimeout(isDefault || value == null ? 0 : nonNegative(name, value));
            case "transaction_mode" -> session.setTransactionMode(isDefault || value == null
                    ? TransactionMode.UNSPECIFIED : switch (value.toLowerCase(Locale.ROOT)) {
                        case "single" -> TransactionMode.SINGLE;
                        case "multi" -> TransactionMode.MULTI;
                        case "unspecified" -> TransactionMode.UNSPECIFIED;
                        default -> throw TesseraException.of(ErrorKind.WRONG_VALUE_FOR_VAR, name, value);
                    });
            default -> {
                if (SessionVariables.SESSION_TRACKING.contains(name)) {
                    if (isDefault || value == null) {
                        session.removeSystemVariables(name);
                    } else {
                        session.putSystemVariables(name, SchemaNames.quoteString(value));
                    }
                } else {
                    characterSet(session, name, a, value);
                }
            }
        }
    }

    /** The character-set variables: recorded for reads; tablets keep their own. */
    private static void characterSet(Session.Builder session, String name, Assignment a, String value) {
        if (a.isDefault()) {
            session.removeSystemVariables(name);
            if (name.equals("names")) {
                session.removeSystemVariables("character_set_client");
                session.removeSystemVariables("character_set_connection");
                session.removeSystemVariables("character_set_results");
            }
            return;
        }
        if (value == null) {
            if (!name.equals("character_set_results")) {
                throw TesseraException.of(ErrorKind.WRONG_VALUE_FOR_VAR, a.name(), "NULL");
            }
            session.putSystemVariables(name, "NULL");
            return;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!name.equals("collation_connection") && !CHARACTER_SETS.contains(lower)) {
            throw TesseraException.of(ErrorKind.WRONG_VALUE_FOR_VAR, a.name(), value);
        }
        switch (name) {
            case "names" -> {
                session.removeSystemVariables("character_set_client");
                session.removeSystemVariables("character_set_connection");
                session.removeSystemVariables("character_set_results");
                session.removeSystemVariables("collation_connection");
                session.putSystemVariables(name, SchemaNames.quoteString(lower));
            }
            case "character_set" -> {
                session.putSystemVariables("character_set_client", SchemaNames.quoteString(lower));
                session.putSystemVariables("character_set_results", SchemaNames.quoteString(lower));
            }
            default -> session.putSystemVariables(name, SchemaNames.quoteString(lower));
        }
    }

    /**
     * The value of an expression that is one session value the gate holds ({@code @saved_cs_client},
     * {@code @@autocommit}), known without asking MySQL; null otherwise.
     */
    private Value localValue(Assignment a, Session.Builder session) {
        Tokens tokens = SqlLexer.lex(a.value());
        List<SessionReference> refs = SessionReference.find(tokens);
        if (refs.size() != 1 || refs.getFirst().from() != 0 || refs.getFirst().to() != tokens.size()) {
            return null;
        }
        return values.valueOf(refs.getFirst(), session);
    }

    /** The SQL that evaluates {@code a}'s value, with the session values the gate holds filled in. */
    private String expression(Assignment a, Map<String, BindVariable> vars, Session.Builder session) {
        return switch (a.kind()) {
            case WORD -> a.scope() == Scope.USER ? a.value() : SchemaNames.quoteString(a.literal());
            case BIND_VARIABLE -> ":" + a.literal();
            case NUMBER, STRING -> a.value();
            case EXPRESSION -> {
                Tokens tokens = SqlLexer.lex(a.value());
                List<TextEdit> edits = new ArrayList<>();
                for (SessionReference ref : SessionReference.find(tokens)) {
                    Value v = values.valueOf(ref, session);
                    if (v != null) {
                        String bind = SessionValues.BIND_PREFIX + (vars.size() + 1);
                        vars.put(bind, BindVariable.newBuilder().setType(v.getType()).setValue(v.getValue()).build());
                        edits.add(new TextEdit(ref.start(), ref.end(), ":" + bind));
                    }
                }
                yield TextEdit.apply(a.value(), edits);
            }
        };
    }

    private static boolean isTabletVariable(Assignment a) {
        return a.scope() == Scope.SESSION && !SessionVariables.isGateOwned(SessionVariables.canonical(a.name()));
    }

    private static boolean isConstantWord(Assignment a) {
        String w = a.literal().toUpperCase(Locale.ROOT);
        return w.equals("NULL") || w.equals("TRUE") || w.equals("FALSE");
    }

    /** The value as text (NULL as null) for the gate's own variables. */
    private static String text(Assignment a, Value evaluated, Map<String, BindVariable> bindVariables) {
        if (evaluated != null) {
            return evaluated.getType() == Type.NULL_TYPE ? null : evaluated.getValue().toStringUtf8();
        }
        return switch (a.kind()) {
            case BIND_VARIABLE -> {
                BindVariable v = bind(a, bindVariables);
                yield v.getType() == Type.NULL_TYPE ? null : v.getValue().toStringUtf8();
            }
            case WORD -> a.isNull() ? null : a.literal();
            default -> a.literal();
        };
    }

    /** The value as an SQL literal for a tablet variable. */
    private static String literal(Assignment a, Map<String, BindVariable> bindVariables) {
        return switch (a.kind()) {
            case BIND_VARIABLE -> {
                BindVariable v = bind(a, bindVariables);
                yield SqlLiterals.of(v.getType(), v.getType() == Type.NULL_TYPE ? null : v.getValue());
            }
            case NUMBER, WORD -> a.literal();
            // Single quotes whatever the client wrote: a double-quoted string would be an identifier on a
            // connection whose sql_mode has ANSI_QUOTES.
            case STRING -> SchemaNames.quoteString(a.literal());
            default -> a.value();
        };
    }

    private static BindVariable userValue(Assignment a, Value evaluated, Map<String, BindVariable> bindVariables) {
        if (evaluated != null) {
            return BindVariable.newBuilder().setType(evaluated.getType()).setValue(evaluated.getValue()).build();
        }
        return switch (a.kind()) {
            case NUMBER -> number(a.literal());
            case STRING -> BindVariable.newBuilder().setType(Type.VARCHAR)
                    .setValue(ByteString.copyFromUtf8(a.literal())).build();
            case BIND_VARIABLE -> bind(a, bindVariables);
            default -> a.isNull() ? BindVariable.newBuilder().setType(Type.NULL_TYPE).build()
                    : BindVariable.newBuilder().setType(Type.INT64)
                            .setValue(ByteString.copyFromUtf8(a.literal().equalsIgnoreCase("TRUE") ? "1" : "0"))
                            .build();
        };
    }

    private static BindVariable number(String literal) {
        Type type;
        if (literal.contains("e") || literal.contains("E")) {
            type = Type.FLOAT64;
        } else if (literal.contains(".")) {
            type = Type.DECIMAL;
        } else {
            type = new BigInteger(literal).bitLength() < 64 ? Type.INT64 : Type.DECIMAL;
        }
        return BindVariable.newBuilder().setType(type).setValue(ByteString.copyFromUtf8(literal)).build();
    }

    private static BindVariable bind(Assignment a, Map<String, BindVariable> bindVariables) {
        BindVariable v = bindVariables.get(a.literal());
        if (v == null) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "missing bind variable :" + a.literal());
        }
        return v;
    }

    /**
     * Whether a SET would leave the variable as it is: booleans compare as 1 and 0, and comma-separated values
     * (sql_mode, optimizer_switch) as sets, since MySQL drops duplicates and keeps its own order
     * ({@code CONCAT(@@sql_mode, ',STRICT_TRANS_TABLES')} on a connection that has it changes nothing).
     */
    static boolean sameSetting(Value current, Value wanted) {
        if (current.getType() == Type.NULL_TYPE || wanted.getType() == Type.NULL_TYPE) {
            return current.getType() == wanted.getType();
        }
        String a = current.getValue().toStringUtf8();
        String b = wanted.getValue().toStringUtf8();
        if (a.indexOf(',') >= 0 || b.indexOf(',') >= 0) {
            return elements(a).equals(elements(b));
        }
        return normalized(a).equals(normalized(b));
    }

    private static Set<String> elements(String list) {
        Set<String> out = new HashSet<>();
        for (String e : list.split(",")) {
            if (!e.isBlank()) {
                out.add(e.strip().toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static String normalized(String v) {
        return switch (v.toUpperCase(Locale.ROOT)) {
            case "ON", "TRUE" -> "1";
            case "OFF", "FALSE" -> "0";
            default -> v;
        };
    }

    private static boolean bool(String name, String value) {
        if (value != null) {
            switch (value.toUpperCase(Locale.ROOT)) {
                case "1", "ON", "TRUE" -> {
                    return true;
                }
                case "0", "OFF", "FALSE" -> {
                    return false;
                }
                default -> { }
            }
        }
        throw TesseraException.of(ErrorKind.WRONG_VALUE_FOR_VAR, name, String.valueOf(value));
    }

    private static long unsignedLimit(String name, String value) {
        try {
            BigInteger v = new BigInteger(value.strip());
            if (v.signum() < 0) {
                throw TesseraException.of(ErrorKind.WRONG_VALUE_FOR_VAR, name, value);
            }
            // MySQL's default, 2^64-1, means no limit; so does anything past a long.
            return v.bitLength() >= 63 ? 0 : v.longValue();
        } catch (NumberFormatException e) {
            throw TesseraException.of(ErrorKind.WRONG_VALUE_FOR_VAR, name, value);
        }
    }

    private static long nonNegative(String name, String value) {
        try {
            long v = Long.parseLong(value.strip());
            if (v < 0) {
                throw TesseraException.of(ErrorKind.WRONG_VALUE_FOR_VAR, name, value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw TesseraException.of(ErrorKind.WRONG_VALUE_FOR_VAR, name, value);
        }
    }
}
