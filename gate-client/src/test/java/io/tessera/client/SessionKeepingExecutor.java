package io.tessera.client;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.gate.executor.Caller;
import io.tessera.gate.executor.Executor;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.proto.vtgate.Session;
import io.tessera.queryservice.CompactRows;
import io.tessera.queryservice.QueryResultConsumer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An executor for a handful of statements whose whole state lives in the {@link Session}, as the real executor's
 * does, so a client that failed to send back the session it got would see it lose its target, transaction and
 * variables:
 * <ul>
 *   <li>{@code use <target>} sets the default target (keyspaces "commerce" and "customer" exist);
 *   <li>{@code begin}, {@code commit}, {@code rollback} open and end the transaction;
 *   <li>{@code set @name = :param} and {@code select @name} keep a user variable;
 *   <li>{@code select target} answers the default target;
 *   <li>{@code select binds} answers one row (name, type, value) per bind variable, sorted by name;
 *   <li>{@code insert ...} affects one row and generates id 7;
 *   <li>{@code fail <errno> <sqlstate>} fails as MySQL would;
 *   <li>streamed: {@code numbers <n>} sends the integers below n in chunks of 10 rows, {@code numbers <n> then
 *       fail} fails after them.
 * </ul>
 */
final class SessionKeepingExecutor implements Executor {
    private static final Set<String> KEYSPACES = Set.of("commerce", "customer");
    private static final Pattern SET = Pattern.compile("set @(\\w+)\\s*=\\s*:(\\w+)");
    private static final Pattern NUMBERS = Pattern.compile("numbers (\\d+)( then fail)?");

    /** Sessions the executor was asked to close. */
    final List<Session> closed = new CopyOnWriteArrayList<>();
    /** Callers of every call, in order. */
    final List<Caller> callers = new CopyOnWriteArrayList<>();
    /** How the last stream ended: null when it ran to completion, else what it threw. */
    volatile CompletableFuture<Throwable> streamEnded = new CompletableFuture<>();
    final AtomicInteger chunksSent = new AtomicInteger();
    volatile Thread streamThread;

    @Override
    public QueryResult execute(Session.Builder session, Caller caller, String sql,
            Map<String, BindVariable> bindVariables) {
        callers.add(caller);
        String statement = sql.trim().toLowerCase(Locale.ROOT);
        String[] words = statement.split("\\s+");
        Matcher set = SET.matcher(statement);
        if (set.matches()) {
            BindVariable value = bindVariables.get(set.group(2));
            if (value == null) {
                throw TesseraException.of(ErrorKind.BAD_REQUEST, "missing bind variable " + set.group(2));
            }
            session.putUserDefinedVariables(set.group(1), value);
            return QueryResult.getDefaultInstance();
        }
        if (session.getErrorUntilRollback() && !words[0].equals("rollback")) {
            throw TesseraException.mysql(1105, "HY000", "the transaction failed; roll it back", null);
        }
        switch (words[0]) {
            case "use" -> {
                String keyspace = words[1].split("[@:]")[0];
                if (!KEYSPACES.contains(keyspace)) {
                    throw TesseraException.of(ErrorKind.UNKNOWN_DATABASE, keyspace);
                }
                session.setTargetString(words[1]);
                return QueryResult.getDefaultInstance();
            }
            case "begin" -> {
                session.setInTransaction(true).clearShardSessions().addShardSessions(Session.ShardSession
                        .newBuilder().setTransactionId(1000 + callers.size()));
                return QueryResult.getDefaultInstance();
            }
            case "commit", "rollback" -> {
                session.setInTransaction(false).clearShardSessions().setErrorUntilRollback(false);
                return QueryResult.getDefaultInstance();
            }
            case "insert" -> {
                return QueryResult.newBuilder().setRowsAffected(1).setInsertId(7).build();
            }
            case "fail" -> {
                if (session.getInTransaction()) {
                    session.setErrorUntilRollback(true);
                }
                throw TesseraException.mysql(Integer.parseInt(words[1]), words[2].toUpperCase(Locale.ROOT),
                        "statement failed with " + words[1], null);
            }
            case "select" -> {
                return select(session, words[1], bindVariables);
            }
            default -> throw TesseraException.of(ErrorKind.SYNTAX_ERROR, "unknown statement '" + sql + "'");
        }
    }

    private static QueryResult select(Session.Builder session, String what, Map<String, BindVariable> binds) {
        if (what.startsWith("@")) {
            BindVariable value = session.getUserDefinedVariablesMap().get(what.substring(1));
            return QueryResult.newBuilder().addFields(field(what, Type.VARCHAR))
                    .addRows(value == null ? CompactRows.ofStrings((String) null)
                            : CompactRows.of(Collections.singletonList(value.getValue().toByteArray())))
                    .build();
        }
        if (what.equals("target")) {
            return QueryResult.newBuilder().addFields(field("target", Type.VARCHAR))
                    .addRows(CompactRows.ofStrings(session.getTargetString())).build();
        }
        if (what.equals("binds")) {
            QueryResult.Builder result = QueryResult.newBuilder().addFields(field("name", Type.VARCHAR))
                    .addFields(field("type", Type.VARCHAR)).addFields(field("value", Type.VARBINARY));
            new TreeMap<>(binds).forEach((name, bv) -> {
                List<byte[]> values = new ArrayList<>();
                values.add(name.getBytes(StandardCharsets.UTF_8));
                values.add(bv.getType().name().getBytes(StandardCharsets.UTF_8));
                values.add(bv.getType() == Type.NULL_TYPE ? null : bv.getValue().toByteArray());
                result.addRows(CompactRows.of(values));
            });
            return result.build();
        }
        throw TesseraException.mysql(1054, "42S22", "Unknown column '" + what + "' in 'field list'", null);
    }

    @Override
    public void streamExecute(Session.Builder session, Caller caller, String sql,
            Map<String, BindVariable> bindVariables, QueryResultConsumer consumer) {
        streamThread = Thread.currentThread();
        try {
            Matcher numbers = NUMBERS.matcher(sql.trim());
            if (!numbers.matches()) {
                QueryResult whole = execute(session, caller, sql, bindVariables);
                consumer.accept(whole.toBuilder().clearRows().build());
                consumer.accept(QueryResult.newBuilder().addAllRows(whole.getRowsList()).build());
            } else {
                callers.add(caller);
                consumer.accept(QueryResult.newBuilder().addFields(field("n", Type.INT64)).build());
                int n = Integer.parseInt(numbers.group(1));
                for (int start = 0; start < n; start += 10) {
                    QueryResult.Builder chunk = QueryResult.newBuilder();
                    for (int i = start; i < Math.min(n, start + 10); i++) {
                        chunk.addRows(CompactRows.ofStrings(Integer.toString(i)));
                    }
                    consumer.accept(chunk.build());
                    chunksSent.incrementAndGet();
                }
                if (numbers.group(2) != null) {
                    throw TesseraException.mysql(1317, "70100", "Query execution was interrupted", null);
                }
            }
            streamEnded.complete(null);
        } catch (RuntimeException e) {
            streamEnded.complete(e);
            throw e;
        }
    }

    @Override
    public void closeSession(Session.Builder session, Caller caller) {
        callers.add(caller);
        closed.add(session.build());
    }

    private static Field field(String name, Type type) {
        return Field.newBuilder().setName(name).setType(type).build();
    }
}
