package io.tessera.common.errors;

import io.grpc.Status;
import io.tessera.proto.vtrpc.Code;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Tessera's error catalogue: every error a Tessera process raises itself, with the code that callers decide on,
 * the MySQL errno and SQLSTATE a MySQL client finally sees, and the message template.
 *
 * <p>Callers branch on {@link #code()} (retry, buffer, fail over, report), never on message text. The
 * {@link #id()} is stable across releases and travels in {@code RPCError.error_id}, so a log line or a user report
 * names the exact entry. Templates are {@link String#format} patterns; each says what went wrong and what to do.
 *
 * <p>Two entries do not fix their code and MySQL error: {@link #MYSQL_ERROR}, for an error MySQL itself returned
 * (its errno and SQLSTATE are passed on untouched), and {@link #UNCATALOGUED}, for an error received from another
 * process without a catalogue id this process knows (a transport failure, or a newer peer).
 */
public enum ErrorKind {
    // Serving state of the tablet (01xx).
    NOT_SERVING("TS0101", Code.CLUSTER_EVENT, 1105, "HY000",
            "tablet %s is not serving queries (%s); route the query to another tablet or retry after the change"),
    QUERY_SERVICE_DISABLED("TS0102", Code.FAILED_PRECONDITION, 1105, "HY000",
            "the query service of tablet %s is disabled by a tablet control for type %s; route the query elsewhere"),
    MYSQLD_DOWN("TS0103", Code.UNAVAILABLE, 1105, "HY000",
            "mysqld of tablet %s cannot be reached (%s); retry on another tablet or after mysqld is back"),
    WRONG_TARGET("TS0104", Code.FAILED_PRECONDITION, 1105, "HY000",
            "wrong tablet: the request is for %s but tablet %s serves %s; refresh the routing and resend"),
    WRITE_ON_NON_PRIMARY("TS0105", Code.READ_ONLY, 1290, "HY000",
            "The tablet is running with the --read-only option so it cannot execute this statement: "
                    + "tablet %s is a %s; send writes to the PRIMARY"),
    DENIED_TABLE("TS0106", Code.FAILED_PRECONDITION, 1105, "HY000",
            "table %s is denied on %s tablets of %s by a tablet control (for example during MoveTables); "
                    + "query it where it is served"),

    // Transactions (02xx).
    TX_NOT_FOUND("TS0201", Code.NOT_FOUND, 1105, "HY000",
            "transaction %d not found on tablet %s: it was never begun here or has already ended; "
                    + "begin a new transaction"),
    TX_EXPIRED("TS0202", Code.ABORTED, 1105, "HY000",
            "transaction %d was rolled back: it was open longer than the transaction timeout (%s); "
                    + "retry the whole transaction, and keep transactions shorter"),
    TX_POOL_FULL("TS0203", Code.RESOURCE_EXHAUSTED, 1203, "42000",
            "transaction pool full: %d transactions are open on tablet %s and none ended within %s; "
                    + "retry later or raise --queryserver-config-transaction-cap"),
    TX_IN_USE("TS0204", Code.FAILED_PRECONDITION, 1105, "HY000",
            "transaction %d is in use by another call; send the statements of one transaction one at a time"),
    QUERY_POOL_FULL("TS0205", Code.RESOURCE_EXHAUSTED, 1203, "42000",
            "%s connection pool of tablet %s is exhausted: no connection became free within %s; retry later"),
    RESERVED_CONN_NOT_FOUND("TS0206", Code.NOT_FOUND, 1105, "HY000",
            "reserved connection %d not found on tablet %s: it was released, idle too long, or closed when the "
                    + "tablet stopped serving; reserve a new one"),

    // Limits on one query (03xx).
    QUERY_TIMEOUT("TS0301", Code.DEADLINE_EXCEEDED, 1317, "70100",
            "query killed on mysqld after the query timeout of %s; make it faster, or stream it"),
    RESULT_TOO_LARGE("TS0302", Code.ABORTED, 1105, "HY000",
            "Row count exceeded %d: the result is larger than --queryserver-config-max-result-size; "
                    + "add a LIMIT or use StreamExecute"),

    // The gate: sessions and statements (04xx).
    UNKNOWN_DATABASE("TS0401", Code.NOT_FOUND, 1049, "42000", "Unknown database '%s'"),
    NO_DATABASE_SELECTED("TS0402", Code.FAILED_PRECONDITION, 1046, "3D000",
            "No database selected: use USE <keyspace> or name one when connecting"),
    UNKNOWN_SYSTEM_VARIABLE("TS0403", Code.INVALID_ARGUMENT, 1193, "HY000", "Unknown system variable '%s'"),
    SYNTAX_ERROR("TS0404", Code.INVALID_ARGUMENT, 1064, "42000", "You have an error in your SQL syntax: %s"),
    WRONG_VALUE_FOR_VAR("TS0405", Code.INVALID_ARGUMENT, 1231, "42000",
            "Variable '%s' can't be set to the value of '%s'"),
    KEYSPACE_NEEDS_SHARD("TS0406", Code.FAILED_PRECONDITION, 1105, "HY000",
            "keyspace %s has %d shards and no VSchema routing yet: name a shard in the target (for example %s:%s)"),
    RESULT_ROWS_EXCEEDED("TS0407", Code.ABORTED, 1105, "HY000",
            "in-memory row count exceeded allowed limit of %d (--max_memory_rows); add a LIMIT or stream the result"),
    RESERVED_STATE_LOST("TS0408", Code.ABORTED, 1927, "70100",
            "Connection was killed: the session's connection to %s was closed (%s), and the table locks, temporary "
                    + "tables, named locks, prepared statements or HANDLERs it held are gone; take them again "
                    + "(the next statement runs on a new connection)"),

    // The gate: the MySQL protocol and authentication (05xx).
    TOO_MANY_CONNECTIONS("TS0501", Code.RESOURCE_EXHAUSTED, 1040, "08004",
            "Too many connections: the gate serves at most %d (--max_connections)"),
    ACCESS_DENIED("TS0502", Code.UNAUTHENTICATED, 1045, "28000",
            "Access denied for user '%s'@'%s' (using password: %s)"),
    MALFORMED_PACKET("TS0503", Code.INVALID_ARGUMENT, 1835, "HY000", "Malformed communication packet: %s"),
    PACKET_TOO_LARGE("TS0504", Code.INVALID_ARGUMENT, 1153, "08S01",
            "Got a packet bigger than 'max_allowed_packet' bytes (%d)"),
    UNKNOWN_COMMAND("TS0505", Code.UNIMPLEMENTED, 1047, "08S01", "Unknown command %d"),
    UNKNOWN_STMT_HANDLER("TS0506", Code.INVALID_ARGUMENT, 1243, "HY000",
            "Unknown prepared statement handler (%d) given to %s"),
    WRONG_ARGUMENTS("TS0507", Code.INVALID_ARGUMENT, 1210, "HY000", "Incorrect arguments to %s"),
    IDLE_TIMEOUT("TS0508", Code.DEADLINE_EXCEEDED, 4031, "HY000",
            "The client was disconnected by the server because of inactivity (idle for more than %s)"),

    // The gate: tablets and failovers (06xx).
    NO_HEALTHY_TABLET("TS0601", Code.UNAVAILABLE, 1105, "HY000",
            "no healthy %s tablet for %s/%s in cells %s; check the tablets with tessera-ctl ListAllTablets and "
                    + "the gate's /debug/status"),
    BUFFER_FULL("TS0602", Code.UNAVAILABLE, 1105, "HY000",
            "the failover buffer is full (%d requests, --buffer_size) while %s/%s changes primary; retry"),
    BUFFER_WINDOW_EXCEEDED("TS0603", Code.UNAVAILABLE, 1105, "HY000",
            "%s/%s had no serving primary within the buffer window of %s; retry"),

    // The request itself (09xx).
    BAD_REQUEST("TS0901", Code.INVALID_ARGUMENT, 1105, "HY000", "bad request: %s"),
    UNIMPLEMENTED("TS0902", Code.UNIMPLEMENTED, 1235, "42000", "not supported yet: %s"),
    INTERNAL("TS0903", Code.INTERNAL, 1105, "HY000", "internal error: %s"),
    CANCELED("TS0904", Code.CANCELED, 1317, "70100", "the call was cancelled: %s"),

    /** An error MySQL returned; errno, SQLSTATE and message are MySQL's own. */
    MYSQL_ERROR("TS0001", Code.UNKNOWN, 0, "", "%s"),
    /** An error from another process that carries no catalogue id known here. */
    UNCATALOGUED("TS0002", Code.UNKNOWN, 1105, "HY000", "%s");

    private static final Map<String, ErrorKind> BY_ID = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ErrorKind::id, Function.identity()));

    private final String id;
    private final Code code;
    private final int mysqlErrno;
    private final String sqlState;
    private final String template;

    ErrorKind(String id, Code code, int mysqlErrno, String sqlState, String template) {
        this.id = id;
        this.code = code;
        this.mysqlErrno = mysqlErrno;
        this.sqlState = sqlState;
        this.template = template;
    }

    /** The stable catalogue id, sent as {@code RPCError.error_id}. */
    public String id() {
        return id;
    }

    /**
     * The code callers decide on. For {@link #MYSQL_ERROR} and {@link #UNCATALOGUED} this is only the default; the
     * exception carries the real one.
     */
    public Code code() {
        return code;
    }

    /** The gRPC status code this kind travels with (derived from {@link #code()}). */
    public Status.Code grpcCode() {
        return GrpcErrors.grpcCode(code);
    }

    /** The MySQL error number a MySQL client sees; 0 for {@link #MYSQL_ERROR}, whose errno comes from MySQL. */
    public int mysqlErrno() {
        return mysqlErrno;
    }

    /** The SQLSTATE that goes with {@link #mysqlErrno()}. */
    public String sqlState() {
        return sqlState;
    }

    /** The message template, a {@link String#format} pattern. */
    public String template() {
        return template;
    }

    /** The message for these arguments. */
    public String format(Object... args) {
        return String.format(template, args);
    }

    /** True for the two kinds whose code, errno and SQLSTATE are given per error rather than by the catalogue. */
    public boolean isPassthrough() {
        return this == MYSQL_ERROR || this == UNCATALOGUED;
    }

    /** The kind with this catalogue id, if this process knows it. */
    public static Optional<ErrorKind> byId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }
}
