package io.tessera.gate.executor;

import com.google.protobuf.ByteString;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.sql.SchemaNames;
import io.tessera.gate.sql.SelectList;
import io.tessera.gate.sql.SessionReference;
import io.tessera.gate.sql.SetStatement;
import io.tessera.gate.sql.SqlLexer;
import io.tessera.gate.sql.Statement;
import io.tessera.gate.sql.Statement.Trait;
import io.tessera.gate.sql.StatementClassifier;
import io.tessera.gate.sql.StatementType;
import io.tessera.gate.sql.Token;
import io.tessera.gate.sql.TokenType;
import io.tessera.gate.sql.Tokens;
import io.tessera.proto.query.ExecuteOptions.TransactionAccessMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides the {@link Plan} of a statement from its text, and caches plans by statement text so that a statement
 * the gate has seen is not lexed again. Plans depend on the set of keyspaces (schema names are rewritten only for
 * known keyspaces), so the cache is emptied whenever that set changes.
 */
final class Planner {
    /** Longer statements (bulk inserts of a dump) are planned every time rather than cached. */
    static final int MAX_CACHED_SQL_LENGTH = 8 * 1024;

    private static final Set<String> UNSUPPORTED_VERBS = Set.of("KILL", "XA", "SHUTDOWN", "INSTALL", "UNINSTALL",
            "CHANGE", "STOP", "PURGE", "BINLOG");
    private static final Set<String> SHOW_NEEDS_DATABASE = Set.of("TABLES", "COLUMNS", "FIELDS", "INDEX", "INDEXES",
            "KEYS", "TABLE", "TRIGGERS", "EVENTS", "OPEN", "CREATE");

    private final Supplier<Set<String>> keyspaces;
    private final PlanCache cache;
    private volatile Set<String> cachedFor = Set.of();
    /** The set {@link #cachedFor} was last found equal to: the same set again needs no comparison. */
    private volatile Set<String> checked;

    Planner(Supplier<Set<String>> keyspaces, int cacheSize) {
        this.keyspaces = Objects.requireNonNull(keyspaces, "keyspaces");
        this.cache = new PlanCache(cacheSize);
    }

    /**
     * The plan of {@code sql}.
     *
     * @throws TesseraException for an empty statement (1065) or a malformed SET
     */
    Plan plan(String sql) {
        Set<String> known = keyspaces.get();
        if (known != checked) {
            if (!known.equals(cachedFor)) {
                cache.clear();
                cachedFor = Set.copyOf(known);
            }
            checked = known;
        }
        if (sql.length() > MAX_CACHED_SQL_LENGTH) {
            return build(sql, known);
        }
        Plan plan = cache.get(sql);
        if (plan == null) {
            plan = build(sql, known);
            cache.put(sql, plan);
        }
        return plan;
    }

    /** Plans in the cache now, for the status page. */
    long cachedPlans() {
        return cache.size();
    }

    static Plan build(String sql, Set<String> keyspaces) {
        Tokens tokens = SqlLexer.lex(sql);
        if (tokens.isEmpty()) {
            throw TesseraException.mysql(1065, "42000", "Query was empty", null);
        }
        Statement st = StatementClassifier.classify(tokens);
        return switch (st.type()) {
            case USE -> new Plan.Use(useTarget(tokens));
            case BEGIN -> new Plan.Begin(accessModes(tokens));
            case COMMIT -> new Plan.Commit(st.has(Trait.CHAIN));
            case ROLLBACK -> new Plan.Rollback(st.has(Trait.CHAIN));
            case SAVEPOINT -> new Plan.Savepoint(text(tokens));
            case SET -> new Plan.Set(st, SetStatement.parse(tokens));
            case SHOW -> show(st, keyspaces);
            case DDL -> st.has(Trait.DATABASE_DDL) ? databaseDdl(tokens, keyspaces) : passthrough(st, keyspaces);
            case SELECT -> gateSelect(st, keyspaces);
            case OTHER -> {
                Token verb = tokens.get(0);
                if (verb.type() == TokenType.WORD && UNSUPPORTED_VERBS.contains(verb.upper())) {
                    yield new Plan.Unsupported(st.type(), verb.upper() + " through the gate");
                }
                yield passthrough(st, keyspaces);
            }
            default -> passthrough(st, keyspaces);
        };
    }

    static Plan.Passthrough passthrough(Statement st, Set<String> keyspaces) {
        Tokens tokens = st.tokens();
        SchemaNames.Rewritten rw = SchemaNames.toTablet(st, keyspaces);
        // DDL keeps what it says: CREATE VIEW v AS SELECT DATABASE() must not freeze today's value into the view.
        List<SessionReference> refs = st.type() == StatementType.DDL ? List.of()
                : readsOnly(SessionReference.find(tokens), tokens);
        SelectList select = st.type() == StatementType.SELECT ? SelectList.of(tokens).orElse(null) : null;
        return new Plan.Passthrough(st, rw.sql(), ByteString.copyFromUtf8(rw.sql()), rw.edits(), rw.keyspaces(), refs,
                select, needsDatabase(st));
    }

    /**
     * Drops references to user variables the statement also assigns ({@code @n := @n + 1}, {@code INTO @n}): those
     * must be read on the connection, row by row, not filled in once.
     */
    private static List<SessionReference> readsOnly(List<SessionReference> refs, Tokens tokens) {
        Set<String> assigned = new HashSet<>();
        boolean into = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isWord("INTO")) {
                into = true;
            } else if (t.type() == TokenType.USER_VARIABLE && (into || tokens.get(i + 1).isSymbol(":="))) {
                assigned.add(t.name().toLowerCase(Locale.ROOT));
            } else if (!t.isSymbol(",")) {
                into = false;
            }
        }
        if (assigned.isEmpty()) {
            return refs;
        }
        List<SessionReference> out = new ArrayList<>(refs.size());
        for (SessionReference r : refs) {
            if (r.kind() != SessionReference.Kind.USER_VARIABLE || !assigned.contains(r.name())) {
                out.add(r);
            }
        }
        return out;
    }

    static boolean needsDatabase(Statement st) {
        return switch (st.type()) {
            case SELECT -> st.has(Trait.HAS_FROM);
            case INSERT, UPDATE, DELETE, REPLACE, LOAD, DDL, EXPLAIN, CALL, LOCK_TABLES, ADMIN, PREPARED -> true;
            case SHOW -> {
                Tokens tokens = st.tokens();
                int i = 1;
                while (tokens.get(i).isWord("FULL") || tokens.get(i).isWord("EXTENDED")) {
                    i++;
                }
                yield tokens.get(i).type() == TokenType.WORD
                        && SHOW_NEEDS_DATABASE.contains(tokens.get(i).upper())
                        && !(tokens.get(i).isWord("CREATE") && (tokens.get(i + 1).isWord("DATABASE")
                                || tokens.get(i + 1).isWord("SCHEMA")));
            }
            default -> false;
        };
    }

    private static Plan show(Statement st, Set<String> keyspaces) {
        Tokens tokens = st.tokens();
        Token what = tokens.get(1);
        if (what.isWord("DATABASES") || what.isWord("SCHEMAS")) {
            Token filter = tokens.get(2);
            if (filter.type() == TokenType.END || filter.isSymbol(";")) {
                return new Plan.ShowDatabases(null);
            }
            if (filter.isWord("LIKE") && tokens.get(3).type() == TokenType.STRING) {
                return new Plan.ShowDatabases(tokens.get(3).stringValue());
            }
            return new Plan.Unsupported(StatementType.SHOW, "SHOW DATABASES WHERE; use SHOW DATABASES LIKE");
        }
        ClusterShows.What cluster = ClusterShows.What.named(what);
        if (cluster != null) {
            return vitessShow(cluster, tokens);
        }
        if (what.isWord("WARNINGS") || what.isWord("ERRORS")) {
            return new Plan.ShowWarnings(what.isWord("ERRORS"), false);
        }
        if (what.isWord("COUNT") && tokens.get(2).isSymbol("(") && tokens.get(3).isSymbol("*")
                && tokens.get(4).isSymbol(")")
                && (tokens.get(5).isWord("WARNINGS") || tokens.get(5).isWord("ERRORS"))) {
            return new Plan.ShowWarnings(tokens.get(5).isWord("ERRORS"), true);
        }
        return passthrough(st, keyspaces);
    }

    /** SHOW VITESS_... [LIKE 'pattern']; VITESS_TARGET takes no filter, and none of them takes WHERE. */
    private static Plan vitessShow(ClusterShows.What what, Tokens tokens) {
        Token filter = tokens.get(2);
        if (filter.type() == TokenType.END || filter.isSymbol(";")) {
            return new Plan.ShowVitess(what, null);
        }
        Token end = tokens.get(4);
        if (what != ClusterShows.What.TARGET && filter.isWord("LIKE") && tokens.get(3).type() == TokenType.STRING
                && (end.type() == TokenType.END || end.isSymbol(";"))) {
            return new Plan.ShowVitess(what, tokens.get(3).stringValue());
        }
        String refused = what == ClusterShows.What.TARGET ? "a filter on SHOW VITESS_TARGET"
                : "SHOW " + tokens.get(1).upper() + " with anything but LIKE 'pattern'";
        return new Plan.Unsupported(StatementType.SHOW, refused);
    }

    /** CREATE DATABASE IF NOT EXISTS of a keyspace is accepted (dump files start with it); the rest is refused. */
    private static Plan databaseDdl(Tokens tokens, Set<String> keyspaces) {
        if (tokens.get(0).isWord("CREATE") && tokens.get(2).isWord("IF") && tokens.get(3).isWord("NOT")
                && tokens.get(4).isWord("EXISTS") && tokens.get(5).isIdentifier()
                && keyspaces.contains(tokens.get(5).name())) {
            return new Plan.NoOp(StatementType.DDL);
        }
        return new Plan.Unsupported(StatementType.DDL, "CREATE, ALTER and DROP DATABASE through the gate; keyspaces "
                + "are created with tessera-ctl CreateKeyspace");
    }

    private static Plan gateSelect(Statement st, Set<String> keyspaces) {
        Plan.Passthrough fallback = passthrough(st, keyspaces);
        if (st.has(Trait.HAS_FROM) || fallback.select() == null || fallback.references().isEmpty()) {
            return fallback;
        }
        Tokens tokens = st.tokens();
        SelectList select = fallback.select();
        int limit = tail(tokens, select.end());
        if (limit < 0) {
            return fallback;
        }
        List<SessionReference> items = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (SelectList.Item item : select.items()) {
            SessionReference match = null;
            for (SessionReference r : fallback.references()) {
                if (r.from() == item.from() && r.to() == item.expressionEnd()) {
                    match = r;
                }
            }
            if (match == null || (match.kind() == SessionReference.Kind.SYSTEM_VARIABLE
                    && !SessionVariables.ALWAYS_ANSWERED.contains(SessionVariables.canonical(match.name())))) {
                return fallback;
            }
            items.add(match);
            names.add(columnName(tokens, item));
        }
        return new Plan.GateSelect(items, names, limit, fallback);
    }

    /**
     * What may follow the select list of a select the gate answers: nothing, FROM DUAL, LIMIT n. Returns the number
     * of rows (0 or 1), or -1 if anything else follows.
     */
    private static int tail(Tokens tokens, int from) {
        int i = from;
        if (tokens.get(i).isWord("FROM") && tokens.get(i + 1).isWord("DUAL")) {
            i += 2;
        }
        int rows = 1;
        if (tokens.get(i).isWord("LIMIT") && tokens.get(i + 1).type() == TokenType.NUMBER) {
            rows = tokens.get(i + 1).text().equals("0") ? 0 : 1;
            i += 2;
        }
        if (tokens.get(i).isSymbol(";")) {
            i++;
        }
        return tokens.get(i).type() == TokenType.END ? rows : -1;
    }

    private static String columnName(Tokens tokens, SelectList.Item item) {
        if (item.hasAlias()) {
            int aliasIndex = tokens.get(item.expressionEnd()).isWord("AS") ? item.expressionEnd() + 1
                    : item.expressionEnd();
            return tokens.get(aliasIndex).name();
        }
        return SessionValues.columnName(tokens.sql().substring(tokens.get(item.from()).start(),
                tokens.get(item.to() - 1).end()));
    }

    private static String useTarget(Tokens tokens) {
        int last = tokens.size() - 1;
        if (tokens.get(last).isSymbol(";")) {
            last--;
        }
        if (last < 1) {
            throw TesseraException.of(ErrorKind.SYNTAX_ERROR, "USE needs a database name");
        }
        Token first = tokens.get(1);
        if (last == 1 && (first.type() == TokenType.QUOTED_IDENTIFIER || first.type() == TokenType.STRING)) {
            return first.name();
        }
        // An unquoted target such as ks@replica or ks:-80@rdonly lexes as several tokens; take it as written.
        return tokens.sql().substring(first.start(), tokens.get(last).end()).replaceAll("\\s+", "");
    }

    private static List<TransactionAccessMode> accessModes(Tokens tokens) {
        List<TransactionAccessMode> modes = new ArrayList<>();
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i).isWord("READ") && tokens.get(i + 1).isWord("ONLY")) {
                modes.add(TransactionAccessMode.READ_ONLY);
            } else if (tokens.get(i).isWord("READ") && tokens.get(i + 1).isWord("WRITE")) {
                modes.add(TransactionAccessMode.READ_WRITE);
            } else if (tokens.get(i).isWord("CONSISTENT") && tokens.get(i + 1).isWord("SNAPSHOT")) {
                modes.add(TransactionAccessMode.CONSISTENT_SNAPSHOT);
            }
        }
        return modes;
    }

    /** The statement as written, without a trailing semicolon. */
    private static String text(Tokens tokens) {
        int last = tokens.size() - 1;
        if (tokens.get(last).isSymbol(";")) {
            last--;
        }
        return tokens.sql().substring(0, tokens.get(last).end()).strip();
    }
}
