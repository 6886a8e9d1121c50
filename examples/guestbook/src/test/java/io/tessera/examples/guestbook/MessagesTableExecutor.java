package io.tessera.examples.guestbook;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-keyspace, one-table store that understands exactly the statements the guestbook sends, with the rules a
 * real keyspace would apply to them: the table must exist, writes go to the primary only (a replica refuses them
 * as a read-only MySQL does), keys are unique, and inserted rows become visible at commit. A transaction's rows wait
 * under a transaction id kept in the session's shard session, as the real executor keeps its tablet transactions.
 */
final class MessagesTableExecutor implements Executor {
    /** A statement as it arrived, with the target it ran on. */
    record Statement(String target, String sql) {}

    private final String keyspace;
    private final AtomicLong transactionIds = new AtomicLong();
    private final Map<Long, List<Message>> pending = new HashMap<>();
    /** Committed rows: page, then creation time, to message. */
    private final Map<String, NavigableMap<Long, String>> pages = new HashMap<>();
    private boolean tableExists;
    final List<Statement> statements = new CopyOnWriteArrayList<>();

    private record Message(String page, long createdNs, String text) {}

    MessagesTableExecutor(String keyspace) {
        this.keyspace = keyspace;
    }

    @Override
    public synchronized QueryResult execute(Session.Builder session, Caller caller, String sql,
            Map<String, BindVariable> bindVariables) {
        String target = session.getTargetString();
        statements.add(new Statement(target, sql));
        String[] parts = target.split("@", 2);
        if (!parts[0].equals(keyspace)) {
            throw TesseraException.of(ErrorKind.UNKNOWN_DATABASE, parts[0]);
        }
        boolean primary = parts.length == 1 || parts[1].equals("primary");
        switch (sql) {
            case "begin" -> {
                session.setInTransaction(true).clearShardSessions().addShardSessions(Session.ShardSession
                        .newBuilder().setTransactionId(transactionIds.incrementAndGet()));
                return QueryResult.getDefaultInstance();
            }
            case "commit" -> {
                List<Message> rows = pending.remove(transactionId(session));
                if (rows != null) {
                    rows.forEach(m -> pages.computeIfAbsent(m.page(), p -> new TreeMap<>()).put(m.createdNs(),
                            m.text()));
                }
                endTransaction(session);
                return QueryResult.getDefaultInstance();
            }
            case "rollback" -> {
                pending.remove(transactionId(session));
                endTransaction(session);
                return QueryResult.getDefaultInstance();
            }
            case Guestbook.CREATE_TABLE -> {
                requirePrimary(primary);
                tableExists = true;
                return QueryResult.getDefaultInstance();
            }
            case Guestbook.INSERT -> {
                requirePrimary(primary);
                requireTable();
                Message m = new Message(text(bindVariables, "page"),
                        Long.parseLong(text(bindVariables, "time_created_ns")), text(bindVariables, "message"));
                if (pages.getOrDefault(m.page(), new TreeMap<>()).containsKey(m.createdNs())
                        || pending.values().stream().flatMap(List::stream).anyMatch(
                                p -> p.page().equals(m.page()) && p.createdNs() == m.createdNs())) {
                    throw TesseraException.mysql(1062, "23000", "Duplicate entry '" + m.page() + "-"
                            + m.createdNs() + "' for key 'PRIMARY'", null);
                }
                if (session.getInTransaction()) {
                    pending.computeIfAbsent(transactionId(session), id -> new ArrayList<>()).add(m);
                } else {
                    pages.computeIfAbsent(m.page(), p -> new TreeMap<>()).put(m.createdNs(), m.text());
                }
                return QueryResult.newBuilder().setRowsAffected(1).build();
            }
            case Guestbook.SELECT -> {
                requireTable();
                QueryResult.Builder result = QueryResult.newBuilder()
                        .addFields(Field.newBuilder().setName("message").setType(Type.VARCHAR));
                pages.getOrDefault(text(bindVariables, "page"), new TreeMap<>()).values()
                        .forEach(text -> result.addRows(CompactRows.ofStrings(text)));
                return result.build();
            }
            default -> throw TesseraException.of(ErrorKind.SYNTAX_ERROR, "not a guestbook statement: " + sql);
        }
    }

    /** Rows waiting in open transactions, across all sessions. */
    synchronized int pendingRows() {
        return pending.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public void streamExecute(Session.Builder session, Caller caller, String sql,
            Map<String, BindVariable> bindVariables, QueryResultConsumer consumer) {
        throw TesseraException.of(ErrorKind.UNIMPLEMENTED, "streaming (the guestbook does not stream)");
    }

    @Override
    public synchronized void closeSession(Session.Builder session, Caller caller) {
        pending.remove(transactionId(session));
        endTransaction(session);
    }

    private static long transactionId(Session.Builder session) {
        return session.getShardSessionsCount() == 0 ? 0 : session.getShardSessions(0).getTransactionId();
    }

    private static void endTransaction(Session.Builder session) {
        session.setInTransaction(false).clearShardSessions();
    }

    private static void requirePrimary(boolean primary) {
        if (!primary) {
            throw TesseraException.mysql(1290, "HY000", "The MariaDB server is running with the --read-only option "
                    + "so it cannot execute this statement", null);
        }
    }

    private void requireTable() {
        if (!tableExists) {
            throw TesseraException.mysql(1146, "42S02", "Table 'vt_" + keyspace + ".messages' doesn't exist", null);
        }
    }

    private static String text(Map<String, BindVariable> bindVariables, String name) {
        BindVariable v = bindVariables.get(name);
        if (v == null) {
            throw TesseraException.mysql(1054, "42S22", "missing bind variable :" + name, null);
        }
        return v.getValue().toString(StandardCharsets.UTF_8);
    }
}
