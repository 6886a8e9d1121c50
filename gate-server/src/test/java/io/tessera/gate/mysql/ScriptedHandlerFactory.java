package io.tessera.gate.mysql;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Type;
import io.tessera.queryservice.CompactRows;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake layer above the protocol: answers a small scripted language and records what it was asked.
 *
 * <ul>
 *   <li>{@code select N}: N rows of (n INT64, name VARCHAR, ratio DECIMAL, created DATETIME);
 *   <li>{@code types}: {@link TypeSamples#result()}; {@code same types}: one such result, the very same object
 *       every time (as the executor hands out remembered column definitions); {@code error}: error 1064; {@code boom}: an unexpected
 *       exception; {@code big N}: one VARBINARY value of N bytes; {@code length <text>}: the length of the text;
 *   <li>{@code insert}: OK with 3 rows, insert id 42, 1 warning and an info text; {@code begin}/{@code commit};
 *       {@code sleep}: blocks until the session is closed;
 *   <li>{@code select @@a, @@b AS c}: variables, as drivers ask for them when they connect; anything else: OK.
 * </ul>
 * Several statements separated by ';' run one after the other when the client enabled multi-statements.
 * Prepared statements: {@code select ?, ?}: one VARCHAR column per parameter echoing its value; {@code types};
 * {@code error} fails to prepare, SQL containing {@code fail} fails to execute.
 */
final class ScriptedHandlerFactory implements ConnectionHandlerFactory {
    private static final Map<String, String> VARIABLES = Map.ofEntries(
            Map.entry("auto_increment_increment", "1"),
            Map.entry("character_set_client", "utf8mb4"),
            Map.entry("character_set_connection", "utf8mb4"),
            Map.entry("character_set_results", "utf8mb4"),
            Map.entry("character_set_server", "utf8mb4"),
            Map.entry("collation_server", "utf8mb4_general_ci"),
            Map.entry("collation_connection", "utf8mb4_general_ci"),
            Map.entry("init_connect", ""),
            Map.entry("interactive_timeout", "28800"),
            Map.entry("license", "GPL"),
            Map.entry("lower_case_table_names", "0"),
            Map.entry("max_allowed_packet", "67108864"),
            Map.entry("net_buffer_length", "16384"),
            Map.entry("net_write_timeout", "60"),
            Map.entry("performance_schema", "0"),
            Map.entry("query_cache_size", "0"),
            Map.entry("query_cache_type", "OFF"),
            Map.entry("sql_mode", "STRICT_TRANS_TABLES"),
            Map.entry("system_time_zone", "UTC"),
            Map.entry("time_zone", "SYSTEM"),
            Map.entry("transaction_isolation", "REPEATABLE-READ"),
            Map.entry("tx_isolation", "REPEATABLE-READ"),
            Map.entry("transaction_read_only", "0"),
            Map.entry("tx_read_only", "0"),
            Map.entry("wait_timeout", "28800"),
            Map.entry("version_comment", "Tessera test"),
            Map.entry("version", "8.0.40-Tessera"));
    private static final Pattern VARIABLE = Pattern.compile(
            "@@(?:session\\.|global\\.|local\\.)?([a-z_]+)(?:\\s+as\\s+([a-z_]+))?", Pattern.CASE_INSENSITIVE);

    /** The answer to {@code same types}, text or prepared: one object, its definitions the same objects too. */
    private final QueryResult sameTypes = TypeSamples.result();
    final List<Handler> opened = new CopyOnWriteArrayList<>();
    final List<String> statements = new CopyOnWriteArrayList<>();
    volatile List<BindVariable> lastParameters = List.of();
    volatile String lastPrepared;

    @Override
    public ConnectionHandler open(ClientConnection client) {
        if (client.database().equals("nope")) {
            throw TesseraException.of(ErrorKind.UNKNOWN_DATABASE, client.database());
        }
        Handler h = new Handler(client);
        opened.add(h);
        return h;
    }

    Handler last() {
        return opened.get(opened.size() - 1);
    }

    final class Handler implements ConnectionHandler {
        final ClientConnection client;
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger resets = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile String database;
        volatile AuthenticatedUser user;
        volatile boolean inTransaction;
        volatile boolean autocommit = true;

        Handler(ClientConnection client) {
            this.client = client;
            this.database = client.database();
            this.user = client.user();
        }

        @Override
        public void query(String sql, ResultSink out) {
            List<String> parts = client.multiStatements() && !sql.toLowerCase(Locale.ROOT).contains("length ")
                    ? Arrays.stream(sql.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                    : List.of(sql);
            for (int i = 0; i < parts.size(); i++) {
                out.accept(run(parts.get(i)), i < parts.size() - 1);
            }
        }

        private QueryResult run(String statement) {
            String sql = statement.replaceAll("(?s)^\\s*/\\*.*?\\*/\\s*", "").trim();
            statements.add(sql.length() > 200 ? sql.substring(0, 200) + "..." : sql);
            // Scripted commands may be written "select <command>" for drivers that only send SELECTs to executeQuery.
            if (sql.toLowerCase(Locale.ROOT).matches("select (error|boom|big \\d+|length .*|types|same types|sleep)")) {
                sql = sql.substring("select ".length());
            }
            String lower = sql.toLowerCase(Locale.ROOT);
            if (lower.matches("use `?[a-z_@:-]+`?")) {
                useDatabase(sql.substring(4).replace("`", "").trim());
                return QueryResult.getDefaultInstance();
            }
            if (lower.matches("select \\d+")) {
                return rows(Integer.parseInt(lower.substring(7)));
            }
            if (lower.startsWith("select") && lower.contains("@@")) {
                return variables(sql);
            }
            if (lower.equals("types")) {
                return TypeSamples.result();
            }
            if (lower.equals("same types")) {
                return sameTypes;
            }
            if (lower.equals("error")) {
                throw TesseraException.of(ErrorKind.SYNTAX_ERROR, "near 'error'");
            }
            if (lower.equals("boom")) {
                throw new IllegalStateException("boom");
            }
            if (lower.startsWith("big ")) {
                byte[] value = new byte[Integer.parseInt(lower.substring(4))];
                Arrays.fill(value, (byte) 'x');
                value[value.length - 1] = 'y';
                return single("v", Type.VARBINARY, value);
            }
            if (lower.startsWith("length ")) {
                return single("n", Type.INT64, Integer.toString(sql.length() - 7).getBytes(StandardCharsets.UTF_8));
            }
            if (lower.startsWith("insert")) {
                return QueryResult.newBuilder().setRowsAffected(3).setInsertId(42).setInfo("Records: 3  Duplicates: 0")
                        .addWarnings(io.tessera.proto.query.QueryWarning.newBuilder().setCode(1265)
                                .setMessage("Data truncated"))
                        .build();
            }
            if (lower.equals("begin") || lower.equals("start transaction")) {
                inTransaction = true;
            } else if (lower.equals("commit") || lower.equals("rollback")) {
                inTransaction = false;
            } else if (lower.matches("set autocommit\\s*=\\s*0")) {
                autocommit = false;
            } else if (lower.matches("set autocommit\\s*=\\s*1")) {
                autocommit = true;
            } else if (lower.equals("sleep")) {
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw TesseraException.of(ErrorKind.CANCELED, "the session closed");
            } else if (lower.startsWith("show warnings")) {
                return QueryResult.newBuilder()
                        .addFields(Field.newBuilder().setName("Level").setType(Type.VARCHAR))
                        .addFields(Field.newBuilder().setName("Code").setType(Type.UINT32))
                        .addFields(Field.newBuilder().setName("Message").setType(Type.VARCHAR))
                        .build();
            } else if (lower.equals("select database()")) {
                return single("database()", Type.VARCHAR, database.isEmpty() ? null
                        : database.getBytes(StandardCharsets.UTF_8));
            } else if (lower.equals("select user()")) {
                return single("user()", Type.VARCHAR, user.user().getBytes(StandardCharsets.UTF_8));
            }
            return QueryResult.getDefaultInstance();
        }

        @Override
        public void useDatabase(String db) {
            if (db.equals("nope")) {
                throw TesseraException.of(ErrorKind.UNKNOWN_DATABASE, db);
            }
            database = db;
        }

        @Override
        public List<Field> fieldList(String table, String wildcard) {
            return List.of(Field.newBuilder().setName("id").setType(Type.INT64).setTable(table).build(),
                    Field.newBuilder().setName("name").setType(Type.VARCHAR).setTable(table).build());
        }

        @Override
        public PreparedMetadata prepare(String sql) {
            lastPrepared = sql;
            String lower = sql.toLowerCase(Locale.ROOT).trim();
            if (lower.startsWith("error")) {
                throw TesseraException.of(ErrorKind.SYNTAX_ERROR, "near 'error'");
            }
            int params = (int) sql.chars().filter(c -> c == '?').count();
            if (lower.contains("types")) {
                return new PreparedMetadata(params, TypeSamples.fields());
            }
            if (lower.startsWith("echo") || lower.startsWith("select")) {
                List<Field> columns = new ArrayList<>();
                for (int i = 0; i < params; i++) {
                    columns.add(Field.newBuilder().setName("p" + i).setType(Type.VARCHAR).build());
                }
                return new PreparedMetadata(params, columns);
            }
            return new PreparedMetadata(params, List.of());
        }

        @Override
        public QueryResult executePrepared(String sql, List<BindVariable> parameters) {
            lastParameters = List.copyOf(parameters);
            String lower = sql.toLowerCase(Locale.ROOT).trim();
            if (lower.contains("fail")) {
                throw TesseraException.of(ErrorKind.SYNTAX_ERROR, "near 'fail'");
            }
            if (lower.contains("types")) {
                return lower.contains("same types") ? sameTypes : TypeSamples.result();
            }
            if (lower.startsWith("echo") || lower.startsWith("select")) {
                QueryResult.Builder r = QueryResult.newBuilder();
                List<byte[]> values = new ArrayList<>();
                for (int i = 0; i < parameters.size(); i++) {
                    r.addFields(Field.newBuilder().setName("p" + i).setType(Type.VARCHAR));
                    BindVariable b = parameters.get(i);
                    values.add(b.getType() == Type.NULL_TYPE ? null : b.getValue().toByteArray());
                }
                return r.addRows(CompactRows.of(values)).build();
            }
            if (lower.startsWith("insert")) {
                return QueryResult.newBuilder().setRowsAffected(1).setInsertId(7).build();
            }
            return QueryResult.getDefaultInstance();
        }

        @Override
        public void reset() {
            resets.incrementAndGet();
            inTransaction = false;
        }

        @Override
        public void changeUser(AuthenticatedUser newUser, String db) {
            user = newUser;
            database = db;
            inTransaction = false;
        }

        @Override
        public boolean inTransaction() {
            return inTransaction;
        }

        @Override
        public boolean autocommit() {
            return autocommit;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            closed.countDown();
        }
    }

    private static QueryResult rows(int n) {
        QueryResult.Builder r = QueryResult.newBuilder()
                .addFields(Field.newBuilder().setName("n").setType(Type.INT64).setColumnLength(20))
                .addFields(Field.newBuilder().setName("name").setType(Type.VARCHAR).setColumnLength(64))
                .addFields(Field.newBuilder().setName("ratio").setType(Type.DECIMAL).setColumnLength(10)
                        .setDecimals(2))
                .addFields(Field.newBuilder().setName("created").setType(Type.DATETIME).setColumnLength(19));
        for (int i = 1; i <= n; i++) {
            r.addRows(CompactRows.ofStrings(Integer.toString(i), "name-" + i, i + ".50",
                    String.format("2024-01-%02d 10:00:00", (i % 28) + 1)));
        }
        return r.build();
    }

    private static QueryResult single(String name, Type type, byte[] value) {
        List<byte[]> values = new ArrayList<>();
        values.add(value);
        return QueryResult.newBuilder().addFields(Field.newBuilder().setName(name).setType(type))
                .addRows(CompactRows.of(values)).build();
    }

    private static QueryResult variables(String sql) {
        QueryResult.Builder r = QueryResult.newBuilder();
        List<byte[]> values = new ArrayList<>();
        Matcher m = VARIABLE.matcher(sql);
        while (m.find()) {
            String name = m.group(1).toLowerCase(Locale.ROOT);
            String label = m.group(2) != null ? m.group(2) : m.group(0);
            r.addFields(Field.newBuilder().setName(label).setType(Type.VARCHAR));
            String value = VARIABLES.get(name);
            values.add(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }
        return r.addRows(CompactRows.of(values)).build();
    }
}
