package io.tessera.gate.executor;

import com.google.protobuf.ByteString;
import io.tessera.gate.sql.SchemaNames;
import io.tessera.gate.sql.SelectList;
import io.tessera.gate.sql.SessionReference;
import io.tessera.gate.sql.TextEdit;
import io.tessera.gate.sql.Tokens;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.ExecuteOptions.TransactionAccessMode;
import io.tessera.proto.query.Type;
import io.tessera.proto.query.Value;
import io.tessera.proto.vtgate.Session;
import io.tessera.proto.vtgate.TransactionMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The values the gate supplies for {@link SessionReference}s (DATABASE(), LAST_INSERT_ID(), user variables, the
 * gate's own system variables...), and statements rewritten to carry them: each owned reference becomes a bind
 * variable {@code :__gateN}, and a top-level select item that had one and no alias gets its original text as alias,
 * so the client sees the column name MySQL would have given it.
 */
final class SessionValues {
    /** Prefix of the bind variables the gate adds; clients' prepared statements use {@code :v1...}. */
    static final String BIND_PREFIX = "__gate";

    private final TargetResolver resolver;

    SessionValues(TargetResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** A statement ready for a tablet: its text and the bind variables it needs. */
    record Bound(String sql, Map<String, BindVariable> bindVariables) {}

    /**
     * The value the gate answers {@code ref} with in {@code session}, or null when the tablet connection should
     * answer (a variable the gate does not own, or a user variable the gate does not hold).
     */
    Value valueOf(SessionReference ref, Session.Builder session) {
        return switch (ref.kind()) {
            case DATABASE -> {
                String keyspace = resolver.selectedKeyspace(session);
                if (keyspace.isEmpty()) {
                    yield nullValue();
                }
                yield text(Type.VARCHAR, ref.schemaValue() ? SchemaNames.tabletDatabase(keyspace) : keyspace);
            }
            case LAST_INSERT_ID -> text(Type.UINT64, Long.toUnsignedString(session.getLastInsertId()));
            case ROW_COUNT -> text(Type.INT64, Long.toString(session.getRowCount()));
            case FOUND_ROWS -> text(Type.UINT64, Long.toUnsignedString(session.getFoundRows()));
            case USER_VARIABLE -> {
                BindVariable v = session.getUserDefinedVariablesMap().get(ref.name());
                if (v == null) {
                    // Unknown to the gate: a reserved connection may hold it (SELECT @x := ...); else it is NULL.
                    yield session.getInReservedConn() ? null : nullValue();
                }
                yield Value.newBuilder().setType(v.getType()).setValue(v.getValue()).build();
            }
            case SYSTEM_VARIABLE -> systemVariable(ref.name(), session);
        };
    }

    /** The value of a system variable the gate owns, or null to let the tablet answer. */
    /** MySQL's and MariaDB's default transaction isolation level, as {@code @@transaction_isolation} shows it. */
    static final String DEFAULT_ISOLATION = "'REPEATABLE-READ'";

    Value systemVariable(String name, Session.Builder session) {
        String canonical = SessionVariables.canonical(name);
        Map<String, String> recorded = session.getSystemVariablesMap();
        return switch (canonical) {
            case "autocommit" -> text(Type.INT64, session.getAutocommit() ? "1" : "0");
            case "transaction_read_only" -> text(Type.INT64, readOnly(session) ? "1" : "0");
            case "warning_count" -> text(Type.UINT64, Integer.toString(session.getWarningsCount()));
            case "query_timeout" -> text(Type.INT64, Long.toString(session.getQueryTimeout()));
            case "transaction_mode" -> text(Type.VARCHAR, session.getTransactionMode() == TransactionMode.UNSPECIFIED
                    ? "unspecified" : session.getTransactionMode().name().toLowerCase(Locale.ROOT));
            case "sql_select_limit" -> session.getOptions().getSqlSelectLimit() > 0
                    ? text(Type.UINT64, Long.toString(session.getOptions().getSqlSelectLimit())) : null;
            // The gate owns the level (it travels in ExecuteOptions); until the session sets one it is the server
            // default. Answering here also spares a MariaDB tablet the MySQL 8 name it does not know.
            case "transaction_isolation" -> recordedText(recorded.getOrDefault("transaction_isolation",
                    DEFAULT_ISOLATION));
            case "character_set_client", "character_set_connection" ->
                    recordedText(recorded.getOrDefault(canonical, recorded.get("names")));
            case "character_set_results" -> recordedText(recorded.getOrDefault(canonical, recorded.get("names")));
            case "collation_connection" -> recordedText(recorded.get(canonical));
            case "session_track_system_variables", "session_track_schema", "session_track_state_change",
                    "session_track_gtids", "session_track_transaction_info" -> recordedText(recorded.get(canonical));
            default -> null;
        };
    }

    /**
     * {@code tokens} (whose tablet form has {@code schemaEdits} applied) with the references the gate owns
     * replaced by bind variables. Returns the tablet text unchanged when there is nothing to replace.
     */
    Bound bind(Tokens tokens, String tabletSql, List<TextEdit> schemaEdits, List<SessionReference> refs,
            SelectList select, Session.Builder session, Map<String, BindVariable> bindVariables) {
        if (refs.isEmpty()) {
            return new Bound(tabletSql, bindVariables);
        }
        List<TextEdit> edits = null;
        Map<String, BindVariable> vars = null;
        boolean[] substituted = null;
        for (int i = 0; i < refs.size(); i++) {
            SessionReference ref = refs.get(i);
            Value v = valueOf(ref, session);
            if (v == null) {
                continue;
            }
            if (edits == null) {
                edits = new ArrayList<>(schemaEdits);
                vars = new HashMap<>(bindVariables);
                substituted = new boolean[refs.size()];
            }
            String name = BIND_PREFIX + (i + 1);
            vars.put(name, BindVariable.newBuilder().setType(v.getType()).setValue(v.getValue()).build());
            edits.add(new TextEdit(ref.start(), ref.end(), ":" + name));
            substituted[i] = true;
        }
        if (edits == null) {
            return new Bound(tabletSql, bindVariables);
        }
        if (select != null) {
            addAliases(tokens, refs, substituted, select, edits);
        }
        return new Bound(TextEdit.apply(tokens.sql(), edits), vars);
    }

    /** Names the select items whose values the gate filled in after their original text. */
    private static void addAliases(Tokens tokens, List<SessionReference> refs, boolean[] substituted,
            SelectList select, List<TextEdit> edits) {
        for (SelectList.Item item : select.items()) {
            if (item.hasAlias()) {
                continue;
            }
            boolean touched = false;
            for (int i = 0; i < refs.size() && !touched; i++) {
                touched = substituted[i] && refs.get(i).from() >= item.from() && refs.get(i).to() <= item.to();
            }
            if (touched) {
                int start = tokens.get(item.from()).start();
                int end = tokens.get(item.to() - 1).end();
                edits.add(new TextEdit(end, end, " AS " + SchemaNames.quoteIdentifier(
                        columnName(tokens.sql().substring(start, end)))));
            }
        }
    }

    /** MySQL names an unaliased expression column after its text, cut to 256 characters. */
    static String columnName(String expression) {
        return expression.length() > 256 ? expression.substring(0, 256) : expression;
    }

    private static boolean readOnly(Session.Builder session) {
        if (session.getInTransaction()
                && session.getOptions().getTransactionAccessModeList().contains(TransactionAccessMode.READ_ONLY)) {
            return true;
        }
        return "1".equals(session.getSystemVariablesMap().get("transaction_read_only"));
    }

    private static Value recordedText(String literal) {
        if (literal == null) {
            return null;
        }
        if (literal.equalsIgnoreCase("NULL")) {
            return nullValue();
        }
        String v = literal;
        if (v.length() >= 2 && v.charAt(0) == '\'' && v.charAt(v.length() - 1) == '\'') {
            v = v.substring(1, v.length() - 1).replace("''", "'").replace("\\'", "'").replace("\\\\", "\\");
        }
        return text(Type.VARCHAR, v);
    }

    static Value text(Type type, String value) {
        return Value.newBuilder().setType(type).setValue(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }

    static Value nullValue() {
        return Value.newBuilder().setType(Type.NULL_TYPE).build();
    }
}
