package io.tessera.gate.executor;

import io.grpc.Context;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.discovery.RoutedTablet;
import io.tessera.gate.discovery.TabletGateway;
import io.tessera.gate.discovery.TabletHealth;
import io.tessera.gate.sql.SelectList;
import io.tessera.gate.sql.SetStatement;
import io.tessera.gate.sql.SqlLexer;
import io.tessera.gate.sql.StatementClassifier;
import io.tessera.gate.sql.StatementType;
import io.tessera.gate.sql.SystemVariableRef;
import io.tessera.gate.sql.Token;
import io.tessera.gate.sql.TokenType;
import io.tessera.gate.sql.Tokens;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.ReleaseRequest;
import io.tessera.proto.query.ReleaseResponse;
import io.tessera.proto.query.ReserveBeginExecuteRequest;
import io.tessera.proto.query.ReserveBeginExecuteResponse;
import io.tessera.proto.query.ReserveExecuteRequest;
import io.tessera.proto.query.ReserveExecuteResponse;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.RollbackResponse;
import io.tessera.proto.query.Row;
import io.tessera.proto.query.StreamExecuteRequest;
import io.tessera.proto.query.Target;
import io.tessera.proto.query.Type;
import io.tessera.proto.query.VTGateCallerID;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtrpc.CallerID;
import io.tessera.queryservice.AsyncExecute;
import io.tessera.queryservice.CompactRows;
import io.tessera.queryservice.QueryResultConsumer;
import io.tessera.queryservice.QueryService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link TabletGateway} over in-memory tablets, one per keyspace, shard and tablet type, that records every
 * request and answers from scripts. It behaves like the real tablet where the executor depends on it: it refuses
 * BEGIN/COMMIT text and SET on pooled connections, keeps transactions and reserved connections by id on the tablet
 * that opened them (with their own session variables), refuses pinned calls for ids it does not have, evaluates
 * simple {@code SELECT} lists of literals, bind variables and system variables, and applies {@code SET} statements
 * to the connection they run on.
 */
final class FakeGateway implements TabletGateway {
    /** One request the fake received. */
    record Call(String method, TabletAlias alias, boolean pinned, Target target, String sql,
            Map<String, BindVariable> bindVariables, long transactionId, long reservedId, List<String> preQueries,
            List<String> postBeginQueries, ExecuteOptions options, CallerID effective, VTGateCallerID immediate) {}

    /** A connection the fake holds for a session: a transaction, a reserved connection, or both. */
    private static final class Connection {
        final TabletAlias alias;
        final Map<String, String> variables;
        long transactionId;
        long reservedId;

        Connection(TabletAlias alias, Map<String, String> variables) {
            this.alias = alias;
            this.variables = variables;
        }
    }

    private final Map<String, List<String>> keyspaces = new TreeMap<>();
    private final Map<String, TabletAlias> aliases = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<Long, Connection> transactions = new ConcurrentHashMap<>();
    private final Map<Long, Connection> reserved = new ConcurrentHashMap<>();
    private final Map<String, QueryResult> scripted = new ConcurrentHashMap<>();
    private final Map<String, TesseraException> failures = new ConcurrentHashMap<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicInteger cancelled = new AtomicInteger();
    private volatile String blockingPrefix;
    private volatile Function<Call, QueryResult> responder;

    private volatile List<TabletHealth> tablets = List.of();

    FakeGateway() {
        defaults.put("autocommit", "1");
        defaults.put("unique_checks", "1");
        defaults.put("foreign_key_checks", "1");
        defaults.put("sql_mode", "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO");
        defaults.put("time_zone", "SYSTEM");
        defaults.put("sql_notes", "1");
        defaults.put("note_verbosity", "basic,explain");
        defaults.put("character_set_client", "utf8mb4");
        defaults.put("character_set_results", "utf8mb4");
        defaults.put("collation_connection", "utf8mb4_general_ci");
        defaults.put("auto_increment_increment", "1");
        defaults.put("max_allowed_packet", "16777216");
        defaults.put("wait_timeout", "28800");
        defaults.put("sql_safe_updates", "0");
    }

    /** The usual fixture: {@code commerce} (one shard, 0) and {@code customer} (one shard, 0). */
    static FakeGateway standard() {
        return new FakeGateway().keyspace("commerce", "0").keyspace("customer", "0");
    }

    FakeGateway keyspace(String name, String... shardNames) {
        keyspaces.put(name, List.of(shardNames));
        return this;
    }

    /** Answers statements whose SQL (as sent) equals {@code sql} with {@code result}. */
    FakeGateway answer(String sql, QueryResult result) {
        scripted.put(sql, result);
        return this;
    }

    /** Fails statements whose SQL equals {@code sql} with {@code error}. */
    FakeGateway fail(String sql, TesseraException error) {
        failures.put(sql, error);
        return this;
    }

    /** Answers every statement nothing else answers with {@code responder}. */
    FakeGateway respond(Function<Call, QueryResult> f) {
        this.responder = f;
        return this;
    }

    /**
     * Makes statements containing {@code prefix} block until their thread is interrupted or the gRPC context they
     * were called in is cancelled (as a real call is).
     */
    FakeGateway blockOn(String prefix) {
        this.blockingPrefix = prefix;
        return this;
    }

    /** Whether a blocked statement was interrupted. */
    boolean wasInterrupted() {
        return interrupted.get();
    }

    /** How many blocked statements ended because their call's context was cancelled. */
    int cancelledCalls() {
        return cancelled.get();
    }

    /**
     * The tablet {@code alias} stopped serving (a reparent): it closes its reserved connections and rolls back
     * its transactions; later calls naming them fail as the real tablet's do.
     */
    void closeConnectionsOf(TabletAlias alias) {
        reserved.values().removeIf(c -> c.alias.equals(alias));
        transactions.values().removeIf(c -> c.alias.equals(alias));
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    void clearCalls() {
        calls.clear();
    }

    /** The calls that carried SQL (every method but commit, rollback, release and begin). */
    List<String> statements() {
        List<String> out = new ArrayList<>();
        for (Call c : calls) {
            if (c.sql() != null) {
                out.add(c.sql());
            }
        }
        return out;
    }

    Call lastCall() {
        return calls.getLast();
    }

    int openTransactions() {
        return transactions.size();
    }

    int reservedConnections() {
        return reserved.size();
    }

    /** The session variables of reserved connection {@code id}. */
    Map<String, String> variablesOf(long reservedId) {
        return Map.copyOf(reserved.get(reservedId).variables);
    }

    /** The tablet serving {@code keyspace/shard@type}. */
    TabletAlias aliasOf(String keyspace, String shard, TabletType type) {
        return aliases.computeIfAbsent(keyspace + "/" + shard + "@" + type, k -> TabletAlias.newBuilder()
                .setCell("zone1").setUid(100 + aliases.size()).build());
    }

    // --- TabletGateway ---

    @Override
    public QueryService tablet(TabletAlias alias) {
        if (!aliases.containsValue(alias)) {
            throw TesseraException.of(ErrorKind.NOT_SERVING, alias.getCell() + "-" + alias.getUid(),
                    "unknown to the gateway");
        }
        return new Pinned(alias);
    }

    @Override
    public List<TabletHealth> tablets() {
        return tablets;
    }

    /** What {@link #tablets} reports from now on. */
    FakeGateway tablets(List<TabletHealth> tablets) {
        this.tablets = List.copyOf(tablets);
        return this;
    }

    @Override
    public Set<String> keyspaces() {
        return new TreeSet<>(keyspaces.keySet());
    }

    @Override
    public List<String> shards(String keyspace) {
        return keyspaces.getOrDefault(keyspace, List.of());
    }

    @Override
    public void close() {}

    /**
     * Like the real gateway, a tablet for a call made without blocking: the one {@link #execute} would use. Its
     * answer comes back at once, on the caller's thread, so tests stay deterministic.
     */
    @Override
    public RoutedTablet routeNow(Target target) {
        if (!keyspaces.getOrDefault(target.getKeyspace(), List.of()).contains(target.getShard())) {
            return null; // execute() reports the missing tablet
        }
        TabletAlias alias = routed(target);
        return new RoutedTablet(alias, request -> {
            try {
                return CompletableFuture.completedFuture(doExecute(alias, false, request));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    @Override
    public AsyncExecute tabletNow(TabletAlias alias) {
        if (!aliases.containsValue(alias)) {
            return null;
        }
        Pinned pinned = new Pinned(alias);
        return request -> {
            try {
                return CompletableFuture.completedFuture(pinned.execute(request));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }

    // Routed calls: the gateway picks the tablet for the target.

    @Override
    public ExecuteResponse execute(ExecuteRequest r) {
        return doExecute(routed(r.getTarget()), false, r);
    }

    @Override
    public void streamExecute(StreamExecuteRequest r, QueryResultConsumer consumer) {
        doStream(routed(r.getTarget()), false, r, consumer);
    }

    @Override
    public BeginResponse begin(BeginRequest r) {
        return doBegin(routed(r.getTarget()), false, r);
    }

    @Override
    public CommitResponse commit(CommitRequest r) {
        throw new AssertionError("commit must be pinned to the transaction's tablet");
    }

    @Override
    public RollbackResponse rollback(RollbackRequest r) {
        throw new AssertionError("rollback must be pinned to the transaction's tablet");
    }

    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest r) {
        return doBeginExecute(routed(r.getTarget()), false, r);
    }

    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest r) {
        return doReserveExecute(routed(r.getTarget()), false, r);
    }

    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest r) {
        return doReserveBeginExecute(routed(r.getTarget()), false, r);
    }

    @Override
    public ReleaseResponse release(ReleaseRequest r) {
        throw new AssertionError("release must be pinned to the connection's tablet");
    }

    /** Calls pinned to one tablet. */
    private final class Pinned implements QueryService {
        private final TabletAlias alias;

        Pinned(TabletAlias alias) {
            this.alias = alias;
        }

        @Override
        public ExecuteResponse execute(ExecuteRequest r) {
            checkTarget(alias, r.getTarget());
            return doExecute(alias, true, r);
        }

        @Override
        public void streamExecute(StreamExecuteRequest r, QueryResultConsumer consumer) {
            checkTarget(alias, r.getTarget());
            doStream(alias, true, r, consumer);
        }

        @Override
        public BeginResponse begin(BeginRequest r) {
            checkTarget(alias, r.getTarget());
            return doBegin(alias, true, r);
        }

        @Override
        public CommitResponse commit(CommitRequest r) {
            checkTarget(alias, r.getTarget());
            record("commit", alias, true, r.getTarget(), null, Map.of(), r.getTransactionId(), 0, List.of(),
                    List.of(), null, r.getEffectiveCallerId(), r.getImmediateCallerId());
            Connection c = transaction(alias, r.getTransactionId());
            transactions.remove(r.getTransactionId());
            c.transactionId = 0;
            return CommitResponse.newBuilder().setReservedId(c.reservedId).build();
        }

        @Override
        public RollbackResponse rollback(RollbackRequest r) {
            checkTarget(alias, r.getTarget());
            record("rollback", alias, true, r.getTarget(), null, Map.of(), r.getTransactionId(), 0, List.of(),
                    List.of(), null, r.getEffectiveCallerId(), r.getImmediateCallerId());
            Connection c = transaction(alias, r.getTransactionId());
            transactions.remove(r.getTransactionId());
            c.transactionId = 0;
            return RollbackResponse.newBuilder().setReservedId(c.reservedId).build();
        }

        @Override
        public BeginExecuteResponse beginExecute(BeginExecuteRequest r) {
            checkTarget(alias, r.getTarget());
            return doBeginExecute(alias, true, r);
        }

        @Override
        public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest r) {
            checkTarget(alias, r.getTarget());
            return doReserveExecute(alias, true, r);
        }

        @Override
        public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest r) {
            checkTarget(alias, r.getTarget());
            return doReserveBeginExecute(alias, true, r);
        }

        @Override
        public ReleaseResponse release(ReleaseRequest r) {
            checkTarget(alias, r.getTarget());
            record("release", alias, true, r.getTarget(), null, Map.of(), r.getTransactionId(), r.getReservedId(),
                    List.of(), List.of(), null, r.getEffectiveCallerId(), r.getImmediateCallerId());
            if (r.getTransactionId() != 0) {
                transactions.remove(r.getTransactionId());
            }
            if (r.getReservedId() != 0) {
                reserved.remove(r.getReservedId());
            }
            return ReleaseResponse.getDefaultInstance();
        }
    }

    // --- behaviour ---

    private ExecuteResponse doExecute(TabletAlias alias, boolean pinned, ExecuteRequest r) {
        record("execute", alias, pinned, r.getTarget(), r.getQuery().getSql(), r.getQuery().getBindVariablesMap(),
                r.getTransactionId(), r.getReservedId(), List.of(), List.of(), r.getOptions(),
                r.getEffectiveCallerId(), r.getImmediateCallerId());
        Connection c = connection(alias, r.getTransactionId(), r.getReservedId());
        return ExecuteResponse.newBuilder().setResult(run(alias, r.getTarget(), c, r.getQuery())).build();
    }

    private void doStream(TabletAlias alias, boolean pinned, StreamExecuteRequest r, QueryResultConsumer consumer) {
        record("stream", alias, pinned, r.getTarget(), r.getQuery().getSql(), r.getQuery().getBindVariablesMap(),
                r.getTransactionId(), r.getReservedId(), List.of(), List.of(), r.getOptions(),
                r.getEffectiveCallerId(), r.getImmediateCallerId());
        Connection c = connection(alias, r.getTransactionId(), r.getReservedId());
        QueryResult whole = run(alias, r.getTarget(), c, r.getQuery());
        consumer.accept(whole.toBuilder().clearRows().build());
        for (Row row : whole.getRowsList()) {
            consumer.accept(QueryResult.newBuilder().addRows(row).build());
        }
    }

    private BeginResponse doBegin(TabletAlias alias, boolean pinned, BeginRequest r) {
        record("begin", alias, pinned, r.getTarget(), null, Map.of(), 0, 0, List.of(), List.of(), r.getOptions(),
                r.getEffectiveCallerId(), r.getImmediateCallerId());
        Connection c = new Connection(alias, new HashMap<>(defaults));
        c.transactionId = ids.incrementAndGet();
        transactions.put(c.transactionId, c);
        return BeginResponse.newBuilder().setTransactionId(c.transactionId).setTabletAlias(alias).build();
    }

    private BeginExecuteResponse doBeginExecute(TabletAlias alias, boolean pinned, BeginExecuteRequest r) {
        record("beginExecute", alias, pinned, r.getTarget(), r.getQuery().getSql(),
                r.getQuery().getBindVariablesMap(), 0, r.getReservedId(), r.getPreQueriesList(), List.of(),
                r.getOptions(), r.getEffectiveCallerId(), r.getImmediateCallerId());
        Connection c;
        if (r.getReservedId() != 0) {
            c = reservedConnection(alias, r.getReservedId());
        } else {
            c = new Connection(alias, new HashMap<>(defaults));
        }
        c.transactionId = ids.incrementAndGet();
        transactions.put(c.transactionId, c);
        BeginExecuteResponse.Builder out = BeginExecuteResponse.newBuilder().setTransactionId(c.transactionId)
                .setTabletAlias(alias);
        try {
            return out.setResult(run(alias, r.getTarget(), c, r.getQuery())).build();
        } catch (TesseraException e) {
            return out.setError(e.toRpcError()).build();
        }
    }

    private ReserveExecuteResponse doReserveExecute(TabletAlias alias, boolean pinned, ReserveExecuteRequest r) {
        record("reserveExecute", alias, pinned, r.getTarget(), r.getQuery().getSql(),
                r.getQuery().getBindVariablesMap(), r.getTransactionId(), 0, r.getPreQueriesList(), List.of(),
                r.getOptions(), r.getEffectiveCallerId(), r.getImmediateCallerId());
        Connection c = r.getTransactionId() != 0 ? transaction(alias, r.getTransactionId())
                : new Connection(alias, new HashMap<>(defaults));
        c.reservedId = ids.incrementAndGet();
        reserved.put(c.reservedId, c);
        ReserveExecuteResponse.Builder out = ReserveExecuteResponse.newBuilder().setReservedId(c.reservedId)
                .setTabletAlias(alias);
        try {
            for (String pre : r.getPreQueriesList()) {
                applySet(c, pre);
            }
            return out.setResult(run(alias, r.getTarget(), c, r.getQuery())).build();
        } catch (TesseraException e) {
            return out.setError(e.toRpcError()).build();
        }
    }

    private ReserveBeginExecuteResponse doReserveBeginExecute(TabletAlias alias, boolean pinned,
            ReserveBeginExecuteRequest r) {
        record("reserveBeginExecute", alias, pinned, r.getTarget(), r.getQuery().getSql(),
                r.getQuery().getBindVariablesMap(), 0, 0, r.getPreQueriesList(), r.getPostBeginQueriesList(),
                r.getOptions(), r.getEffectiveCallerId(), r.getImmediateCallerId());
        Connection c = new Connection(alias, new HashMap<>(defaults));
        c.reservedId = ids.incrementAndGet();
        c.transactionId = ids.incrementAndGet();
        reserved.put(c.reservedId, c);
        transactions.put(c.transactionId, c);
        ReserveBeginExecuteResponse.Builder out = ReserveBeginExecuteResponse.newBuilder()
                .setReservedId(c.reservedId).setTransactionId(c.transactionId).setTabletAlias(alias);
        try {
            for (String pre : r.getPreQueriesList()) {
                applySet(c, pre);
            }
            return out.setResult(run(alias, r.getTarget(), c, r.getQuery())).build();
        } catch (TesseraException e) {
            return out.setError(e.toRpcError()).build();
        }
    }

    private QueryResult run(TabletAlias alias, Target target, Connection c, BoundQuery query) {
        String sql = query.getSql();
        StatementType type = StatementClassifier.classify(sql).type();
        if (type == StatementType.BEGIN || type == StatementType.COMMIT || type == StatementType.ROLLBACK) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, "'" + sql + "' ends or starts a transaction");
        }
        if ((type == StatementType.SET || type == StatementType.USE || type == StatementType.SAVEPOINT)
                && c == null) {
            throw TesseraException.of(ErrorKind.BAD_REQUEST, type + " outside a transaction on a pooled connection");
        }
        if (type.isDml() && target.getTabletType() != TabletType.PRIMARY) {
            throw TesseraException.of(ErrorKind.WRITE_ON_NON_PRIMARY, alias.getUid(), target.getTabletType());
        }
        String prefix = blockingPrefix;
        if (prefix != null && sql.contains(prefix)) {
            Context context = Context.current();
            CountDownLatch released = new CountDownLatch(1);
            Context.CancellationListener release = done -> released.countDown();
            context.addListener(release, Runnable::run);
            try {
                released.await();
                cancelled.incrementAndGet();
                throw TesseraException.of(ErrorKind.CANCELED, "the call's context was cancelled");
            } catch (InterruptedException e) {
                interrupted.set(true);
                Thread.currentThread().interrupt();
                throw TesseraException.of(ErrorKind.CANCELED, "interrupted");
            } finally {
                context.removeListener(release);
            }
        }
        TesseraException failure = failures.get(sql);
        if (failure != null) {
            throw failure;
        }
        QueryResult answer = scripted.get(sql);
        if (answer != null) {
            return answer;
        }
        if (type == StatementType.SET && c != null) {
            applySet(c, sql);
            return QueryResult.getDefaultInstance();
        }
        if (type == StatementType.SELECT) {
            QueryResult evaluated = evaluate(c, SqlLexer.lex(sql), query.getBindVariablesMap());
            if (evaluated != null) {
                return evaluated;
            }
        }
        Function<Call, QueryResult> f = responder;
        if (f != null) {
            QueryResult r = f.apply(calls.getLast());
            if (r != null) {
                return r;
            }
        }
        return QueryResult.getDefaultInstance();
    }

    /** {@code SELECT a, b, ...} of literals, bind variables and system variables, evaluated; null otherwise. */
    private QueryResult evaluate(Connection c, Tokens tokens, Map<String, BindVariable> bind) {
        SelectList select = SelectList.of(tokens).orElse(null);
        if (select == null || tokens.get(select.end()).type() != TokenType.END) {
            return null;
        }
        QueryResult.Builder out = QueryResult.newBuilder();
        List<byte[]> row = new ArrayList<>();
        for (SelectList.Item item : select.items()) {
            if (item.expressionEnd() - item.from() != 1) {
                return null;
            }
            Token t = tokens.get(item.from());
            String name = tokens.sql().substring(t.start(), tokens.get(item.to() - 1).end());
            String value;
            Type type;
            switch (t.type()) {
                case NUMBER -> {
                    value = t.text();
                    type = Type.INT64;
                }
                case STRING -> {
                    value = t.stringValue();
                    type = Type.VARCHAR;
                }
                case BIND_VARIABLE -> {
                    BindVariable v = bind.get(t.name());
                    if (v == null) {
                        throw TesseraException.of(ErrorKind.BAD_REQUEST, "missing bind variable " + t.text());
                    }
                    value = v.getType() == Type.NULL_TYPE ? null : v.getValue().toStringUtf8();
                    type = v.getType();
                }
                case SYSTEM_VARIABLE -> {
                    String var = SystemVariableRef.of(t).name();
                    Map<String, String> vars = c == null ? defaults : c.variables;
                    if (!vars.containsKey(var)) {
                        throw TesseraException.mysql(1193, "HY000", "Unknown system variable '" + var + "'", null);
                    }
                    value = vars.get(var);
                    type = value.chars().allMatch(Character::isDigit) ? Type.INT64 : Type.VARCHAR;
                }
                case WORD -> {
                    if (!t.isWord("NULL")) {
                        return null;
                    }
                    value = null;
                    type = Type.NULL_TYPE;
                }
                default -> {
                    return null;
                }
            }
            out.addFields(Field.newBuilder().setName(name).setType(type));
            row.add(value == null ? null : value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.addRows(CompactRows.of(row)).build();
    }

    /** Applies a SET of literal values to a connection's variables; unknown variables fail as MySQL's do. */
    private void applySet(Connection c, String sql) {
        for (SetStatement.Assignment a : SetStatement.parse(SqlLexer.lex(sql)).assignments()) {
            if (a.scope() == SetStatement.Scope.USER) {
                continue;
            }
            if (!defaults.containsKey(a.name())) {
                throw TesseraException.mysql(1193, "HY000", "Unknown system variable '" + a.name() + "'", null);
            }
            if (a.isDefault()) {
                c.variables.put(a.name(), defaults.get(a.name()));
            } else if (a.kind() == SetStatement.ValueKind.EXPRESSION) {
                throw new AssertionError("the gate must send literal values, got " + a.value() + " in " + sql);
            } else {
                c.variables.put(a.name(), a.literal());
            }
        }
    }

    private Connection connection(TabletAlias alias, long transactionId, long reservedId) {
        if (transactionId != 0) {
            Connection c = transaction(alias, transactionId);
            if (reservedId != 0 && c.reservedId != reservedId) {
                throw new AssertionError("transaction " + transactionId + " is not on reserved " + reservedId);
            }
            return c;
        }
        if (reservedId != 0) {
            return reservedConnection(alias, reservedId);
        }
        return null;
    }

    private Connection transaction(TabletAlias alias, long id) {
        Connection c = transactions.get(id);
        if (c == null || !c.alias.equals(alias)) {
            throw TesseraException.of(ErrorKind.TX_NOT_FOUND, id, alias.getUid());
        }
        return c;
    }

    private Connection reservedConnection(TabletAlias alias, long id) {
        Connection c = reserved.get(id);
        if (c == null || !c.alias.equals(alias)) {
            throw TesseraException.of(ErrorKind.RESERVED_CONN_NOT_FOUND, id, alias.getUid());
        }
        return c;
    }

    private TabletAlias routed(Target target) {
        if (!keyspaces.getOrDefault(target.getKeyspace(), List.of()).contains(target.getShard())) {
            throw TesseraException.of(ErrorKind.NO_HEALTHY_TABLET, target.getTabletType(), target.getKeyspace(),
                    target.getShard(), "zone1");
        }
        return aliasOf(target.getKeyspace(), target.getShard(), target.getTabletType());
    }

    private void checkTarget(TabletAlias alias, Target target) {
        TabletAlias expected = aliases.get(target.getKeyspace() + "/" + target.getShard() + "@"
                + target.getTabletType());
        if (!alias.equals(expected)) {
            throw TesseraException.of(ErrorKind.WRONG_TARGET, target, alias.getUid(), "another target");
        }
    }

    private void record(String method, TabletAlias alias, boolean pinned, Target target, String sql,
            Map<String, BindVariable> bind, long tx, long rs, List<String> pre, List<String> post,
            ExecuteOptions options, CallerID effective, VTGateCallerID immediate) {
        calls.add(new Call(method, alias, pinned, target, sql, Map.copyOf(bind), tx, rs, List.copyOf(pre),
                List.copyOf(post), options, effective, immediate));
    }

    // --- result helpers for tests ---

    /** A result with VARCHAR columns {@code names} and rows of strings (null for NULL). */
    static QueryResult rows(List<String> names, List<List<String>> rows) {
        QueryResult.Builder out = QueryResult.newBuilder();
        for (String n : names) {
            out.addFields(Field.newBuilder().setName(n).setOrgName(n).setType(Type.VARCHAR));
        }
        for (List<String> r : rows) {
            out.addRows(CompactRows.ofStrings(r.toArray(String[]::new)));
        }
        return out.build();
    }

    /** The values of a result's rows as strings. */
    static List<List<String>> values(QueryResult r) {
        List<List<String>> out = new ArrayList<>();
        for (Row row : r.getRowsList()) {
            out.add(CompactRows.strings(row));
        }
        return out;
    }
}
