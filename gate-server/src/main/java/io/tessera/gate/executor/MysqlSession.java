package io.tessera.gate.executor;

import io.grpc.Context;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.discovery.TabletGateway;
import io.tessera.gate.mysql.AuthenticatedUser;
import io.tessera.gate.mysql.ClientConnection;
import io.tessera.gate.mysql.ConnectionHandler;
import io.tessera.gate.mysql.PreparedMetadata;
import io.tessera.gate.mysql.ResultSink;
import io.tessera.gate.sql.Placeholders;
import io.tessera.gate.sql.SchemaNames;
import io.tessera.gate.sql.SelectList;
import io.tessera.gate.sql.SqlLexer;
import io.tessera.gate.sql.Statement;
import io.tessera.gate.sql.StatementClassifier;
import io.tessera.gate.sql.StatementSplitter;
import io.tessera.gate.sql.StatementType;
import io.tessera.gate.sql.Token;
import io.tessera.gate.sql.TokenType;
import io.tessera.gate.sql.Tokens;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.proto.vtgate.Session;
import io.tessera.queryservice.CompactRows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/** One MySQL client connection's session (see {@link MysqlSessions}). Used by one thread at a time. */
final class MysqlSession implements ConnectionHandler {
    private final Executor executor;
    private final TabletGateway gateway;
    private final ClientConnection client;
    private final PreparedTexts prepared = new PreparedTexts();
    private final RunningStatement running = new RunningStatement();
    private final LiveSessions live;
    private final Runnable disconnect;
    private Caller caller;
    private String user;
    private Session.Builder session;

    /**
     * @param live the gate's open sessions, which this one joins (for KILL) when {@code disconnect} is not null
     * @param disconnect closes this session's connection, or null if it cannot be killed
     */
    MysqlSession(Executor executor, TabletGateway gateway, ClientConnection client, String target, LiveSessions live,
            Runnable disconnect) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.client = Objects.requireNonNull(client, "client");
        this.live = Objects.requireNonNull(live, "live");
        this.disconnect = disconnect;
        this.caller = caller(client.user());
        this.user = client.user().user();
        this.session = fresh(target);
        if (disconnect != null) {
            live.put(client.connectionId(), user, disconnect, running);
        }
    }

    /** The session state, for tests. */
    Session.Builder session() {
        return session;
    }

    @Override
    public void query(String sql, ResultSink out) {
        List<String> statements = StatementSplitter.split(sql);
        if (statements.isEmpty()) {
            throw TesseraException.mysql(1065, "42000", "Query was empty", null);
        }
        if (statements.size() > 1 && !client.multiStatements()) {
            // MySQL without CLIENT_MULTI_STATEMENTS parses one statement and fails on what follows it.
            String rest = statements.get(1);
            throw TesseraException.of(ErrorKind.SYNTAX_ERROR, "near '" + (rest.length() > 80 ? rest.substring(0, 80)
                    : rest) + "' (several statements need CLIENT_MULTI_STATEMENTS)");
        }
        for (int i = 0; i < statements.size(); i++) {
            out.accept(run(statements.get(i), Map.of()), i < statements.size() - 1);
        }
    }

    @Override
    public void useDatabase(String database) {
        TargetString t = TargetResolver.choose(gateway, database, TargetString.parse(session.getTargetString()));
        session.setTargetString(t.format());
    }

    @Override
    public List<Field> fieldList(String table, String wildcard) {
        QueryResult r = run("SELECT * FROM " + SchemaNames.quoteIdentifier(table) + " LIMIT 0", Map.of());
        Pattern like = wildcard == null || wildcard.isEmpty() ? null : GateResults.likePattern(wildcard);
        List<Field> out = new ArrayList<>(r.getFieldsCount());
        for (Field f : r.getFieldsList()) {
            if (like == null || like.matcher(f.getName()).matches()) {
                out.add(f);
            }
        }
        return out;
    }

    @Override
    public PreparedMetadata prepare(String sql) {
        int parameters = prepared.of(sql).parameters();
        Statement st = StatementClassifier.classify(sql);
        boolean rows = switch (st.type()) {
            case SELECT -> !hasTopLevelInto(st.tokens());
            case SHOW, EXPLAIN -> true;
            default -> false;
        };
        if (!rows) {
            return new PreparedMetadata(parameters, List.of());
        }
        String probe = Placeholders.withNeutralValues(sql);
        if (st.type() == StatementType.SELECT) {
            probe = withoutRows(probe);
        }
        QueryResult r = run(probe, Map.of());
        return new PreparedMetadata(parameters, r.getFieldsList());
    }

    @Override
    public QueryResult executePrepared(String sql, List<BindVariable> parameters) {
        PreparedTexts.Text text = prepared.of(sql);
        if (parameters.size() != text.parameters()) {
            throw TesseraException.of(ErrorKind.WRONG_ARGUMENTS, "mysqld_stmt_execute (" + text.parameters()
                    + " parameters, got " + parameters.size() + ")");
        }
        return run(text.statement(), bindVariables(parameters));
    }

    /** A prepared statement's parameters as the bind variables its rewritten SQL names. */
    private static Map<String, BindVariable> bindVariables(List<BindVariable> parameters) {
        if (parameters.size() == 1) {
            // The usual prepared statement (a point select): no hash table to grow for one entry.
            return Map.of(Placeholders.name(1), parameters.getFirst());
        }
        Map<String, BindVariable> bind = new HashMap<>(parameters.size() * 2);
        for (int i = 0; i < parameters.size(); i++) {
            bind.put(Placeholders.name(i + 1), parameters.get(i));
        }
        return bind;
    }

    @Override
    public CompletableFuture<QueryResult> start(String sql, List<BindVariable> parameters) {
        String statement;
        Map<String, BindVariable> bind;
        if (parameters == null) {
            List<String> statements = StatementSplitter.split(sql);
            if (statements.size() != 1) {
                return null;
            }
            statement = statements.getFirst();
            bind = Map.of();
            if (answeredHere(statement)) {
                return null;
            }
        } else {
            PreparedTexts.Text text = prepared.of(sql);
            if (parameters.size() != text.parameters() || text.answeredHere()) {
                return null;
            }
            bind = bindVariables(parameters);
            statement = text.statement();
        }
        Context.CancellableContext context = running.begin();
        CompletableFuture<QueryResult> started;
        Context previous = context.attach();
        try {
            started = executor.start(session, caller, statement, bind);
        } catch (RuntimeException e) {
            running.end(context);
            throw e;
        } finally {
            context.detach(previous);
        }
        if (started == null) {
            running.end(context);
            return null;
        }
        return started.handle((result, error) -> {
            running.end(context);
            if (RunningStatement.interrupted(context) && (error != null || result == null)) {
                // Failed because it was killed, or declined by a tablet for the session thread to run again:
                // either way it ends here, as MySQL ends a killed statement.
                throw RunningStatement.interruptedError();
            }
            if (error != null) {
                throw error instanceof CompletionException c ? c : new CompletionException(error);
            }
            return result;
        });
    }

    @Override
    public void reset() {
        executor.closeSession(session, caller);
        session = fresh(session.getTargetString());
    }

    @Override
    public void changeUser(AuthenticatedUser user, String database) {
        String target = database == null || database.isEmpty() ? ""
                : TargetResolver.choose(gateway, database, TargetString.NONE).format();
        executor.closeSession(session, caller);
        caller = caller(user);
        this.user = user.user();
        session = fresh(target);
        if (disconnect != null) {
            live.put(client.connectionId(), this.user, disconnect, running);
        }
    }

    @Override
    public boolean inTransaction() {
        return session.getInTransaction();
    }

    @Override
    public boolean autocommit() {
        return session.getAutocommit();
    }

    @Override
    public void close() {
        if (disconnect != null) {
            live.remove(client.connectionId());
        }
        executor.closeSession(session, caller);
    }

    private QueryResult run(String sql, Map<String, BindVariable> bindVariables) {
        String alias = connectionIdQuery(sql);
        if (alias != null) {
            // CONNECTION_ID() is the gate connection's id: the one clients pass to KILL and see in their logs.
            return QueryResult.newBuilder().addFields(GateResults.column(alias, Type.UINT64))
                    .addRows(CompactRows.ofStrings(Long.toUnsignedString(client.connectionId()))).build();
        }
        KillStatement kill = KillStatement.parse(sql);
        if (kill != null) {
            return kill(kill);
        }
        Context.CancellableContext context = running.begin();
        Context previous = context.attach();
        try {
            return executor.execute(session, caller, sql, bindVariables);
        } catch (RuntimeException e) {
            if (RunningStatement.interrupted(context)) {
                throw RunningStatement.interruptedError();
            }
            throw e;
        } finally {
            context.detach(previous);
            running.end(context);
        }
    }

    /**
     * KILL [CONNECTION] of a session of the same user closes its connection; KILL QUERY interrupts the statement it
     * is running (see {@link RunningStatement}).
     */
    private QueryResult kill(KillStatement kill) {
        if (kill.query()) {
            live.killQuery(kill.connectionId(), user);
            if (kill.connectionId() == client.connectionId()) {
                // The statement running is this KILL itself: MySQL interrupts it.
                throw RunningStatement.interruptedError();
            }
            return QueryResult.getDefaultInstance();
        }
        live.kill(kill.connectionId(), user);
        if (kill.connectionId() == client.connectionId()) {
            // The connection is closing under this very statement; MySQL reports it the same way if it still can.
            throw TesseraException.mysql(1927, "70100", "Connection was killed", null);
        }
        return QueryResult.getDefaultInstance();
    }

    private Session.Builder fresh(String target) {
        return Session.newBuilder().setTargetString(target).setAutocommit(true)
                .setOptions(ExecuteOptions.newBuilder().setIncludedFields(ExecuteOptions.IncludedFields.ALL)
                        .setClientFoundRows(client.foundRows()))
                .setSessionUuid(UUID.randomUUID().toString());
    }

    private static Caller caller(AuthenticatedUser user) {
        String name = user.userData() == null || user.userData().isEmpty() ? user.user() : user.userData();
        return new Caller(name, user.groups());
    }

    /** Whether {@code text} contains {@code upper} (given in upper case) in any letter case, without copying. */
    private static boolean containsIgnoreCase(String text, String upper) {
        for (int i = 0; i + upper.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, upper, 0, upper.length())) {
                return true;
            }
        }
        return false;
    }

    /** The column name if {@code sql} is exactly {@code SELECT CONNECTION_ID() [[AS] alias]}, else null. */
    /**
     * Whether {@code sql} is a statement this class answers itself on a blocking thread ({@code SELECT
     * CONNECTION_ID()}, {@code KILL}) rather than one for the executor.
     */
    static boolean answeredHere(String sql) {
        return connectionIdQuery(sql) != null || KillStatement.parse(sql) != null;
    }

    static String connectionIdQuery(String sql) {
        if (sql.length() > 200 || !sql.regionMatches(true, indexOfSelect(sql), "SELECT", 0, 6)
                || !containsIgnoreCase(sql, "CONNECTION_ID")) {
            return null;
        }
        Tokens tokens = SqlLexer.lex(sql);
        SelectList select = SelectList.of(tokens).orElse(null);
        if (select == null || select.items().size() != 1) {
            return null;
        }
        SelectList.Item item = select.items().getFirst();
        int end = select.end();
        if (tokens.get(end).isSymbol(";")) {
            end++;
        }
        if (tokens.get(end).type() != TokenType.END || item.expressionEnd() - item.from() != 3
                || !tokens.get(item.from()).isWord("CONNECTION_ID") || !tokens.get(item.from() + 1).isSymbol("(")
                || !tokens.get(item.from() + 2).isSymbol(")")) {
            return null;
        }
        if (item.hasAlias()) {
            Token alias = tokens.get(item.expressionEnd()).isWord("AS") ? tokens.get(item.expressionEnd() + 1)
                    : tokens.get(item.expressionEnd());
            return alias.name();
        }
        return sql.substring(tokens.get(item.from()).start(), tokens.get(item.to() - 1).end());
    }

    private static int indexOfSelect(String sql) {
        int i = 0;
        while (i < sql.length() && (Character.isWhitespace(sql.charAt(i)) || sql.charAt(i) == '(')) {
            i++;
        }
        return i;
    }

    private static boolean hasTopLevelInto(Tokens tokens) {
        return tokens.hasTopLevelWord("INTO");
    }

    /**
     * A SELECT that returns its columns and no rows: the locking clause (FOR UPDATE...) is cut so nothing is locked,
     * then {@code LIMIT 0} is appended, or, when the statement has its own LIMIT, it is wrapped as a derived table.
     */
    static String withoutRows(String select) {
        Tokens tokens = SqlLexer.lex(select);
        int cut = tokens.sql().length();
        int depth = 0;
        boolean hasLimit = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.isWord("LIMIT")) {
                hasLimit = true;
            } else if (depth == 0 && ((t.isWord("FOR") && (tokens.get(i + 1).isWord("UPDATE")
                    || tokens.get(i + 1).isWord("SHARE"))) || (t.isWord("LOCK") && tokens.get(i + 1).isWord("IN")))) {
                cut = t.start();
                break;
            } else if (depth == 0 && t.isSymbol(";")) {
                cut = t.start();
                break;
            }
        }
        String body = tokens.sql().substring(0, cut).strip();
        return hasLimit ? "SELECT * FROM (" + body + ") AS tessera_prepare LIMIT 0" : body + " LIMIT 0";
    }
}
