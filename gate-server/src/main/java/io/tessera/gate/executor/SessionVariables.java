package io.tessera.gate.executor;

import io.tessera.proto.vtgate.SessionOrBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which session system variables the gate keeps itself and which live on the tablets' connections, and the
 * statement that recreates the latter on a fresh connection.
 *
 * <p>{@code Session.system_variables} holds both kinds (name in lower case → value as an SQL literal). The gate's
 * own variables shape requests (autocommit, isolation level, read-only transactions, the select limit, the query
 * timeout, the transaction mode) or only describe the client's side of the connection (the character sets: values
 * travel between client and tablet as bytes, and the tablet's driver must keep its own character set), so they are
 * never sent to a tablet. Every other variable must hold on each connection the session uses, so a session that has
 * one uses reserved connections, created with {@link #preQueries}.
 */
final class SessionVariables {
    /** Variables describing the client's character sets; recorded for reads, never sent to tablets. */
    static final Set<String> CHARACTER_SETS = Set.of("names", "character_set", "character_set_client",
            "character_set_results", "character_set_connection", "collation_connection");

    /**
     * Variables that say what the server reports in its OK packets. They describe the client's connection to the
     * gate, whose OK packets the gate writes, so they are recorded for reads and never sent to tablets (a MariaDB
     * tablet would also refuse MySQL 8 variable names in them).
     */
    static final Set<String> SESSION_TRACKING = Set.of("session_track_system_variables", "session_track_schema",
            "session_track_state_change", "session_track_gtids", "session_track_transaction_info");

    /** Variables the gate handles itself. */
    static final Set<String> GATE_OWNED = Set.of("autocommit", "sql_select_limit", "transaction_isolation",
            "tx_isolation", "transaction_read_only", "tx_read_only", "query_timeout", "transaction_mode",
            "names", "character_set", "character_set_client", "character_set_results", "character_set_connection",
            "collation_connection", "session_track_system_variables", "session_track_schema",
            "session_track_state_change", "session_track_gtids", "session_track_transaction_info");

    /** Variables whose reads ({@code SELECT @@autocommit}) the gate always answers. */
    static final Set<String> ALWAYS_ANSWERED = Set.of("autocommit", "tx_read_only", "transaction_read_only",
            "warning_count", "query_timeout", "transaction_mode");

    private SessionVariables() {}

    /** The name a variable is recorded under: MariaDB's and MySQL's spellings of the same variable agree. */
    static String canonical(String name) {
        return switch (name) {
            case "tx_isolation" -> "transaction_isolation";
            case "tx_read_only" -> "transaction_read_only";
            default -> name;
        };
    }

    static boolean isGateOwned(String name) {
        return GATE_OWNED.contains(name);
    }

    /** The variables the session set that must hold on tablet connections, sorted by name. */
    static Map<String, String> tabletVariables(SessionOrBuilder session) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : session.getSystemVariablesMap().entrySet()) {
            if (!isGateOwned(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** The statements that give a fresh connection the session's variables: none, or one SET. */
    static List<String> preQueries(SessionOrBuilder session) {
        Map<String, String> vars = tabletVariables(session);
        return vars.isEmpty() ? List.of() : List.of(setStatement(vars));
    }

    /** {@code SET @@session.a = 1, @@session.b = 'x'} for these variables (a value may be DEFAULT). */
    static String setStatement(Map<String, String> vars) {
        StringBuilder out = new StringBuilder("SET ");
        boolean first = true;
        for (Map.Entry<String, String> e : vars.entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append("@@session.").append(e.getKey()).append(" = ").append(e.getValue());
        }
        return out.toString();
    }
}
