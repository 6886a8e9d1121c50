package io.tessera.gate.mysql;

import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.QueryResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The session behind one MySQL client connection: what the protocol layer asks of the layer above once the client
 * authenticated. The protocol layer decodes packets and encodes results; this side runs statements and keeps the
 * session's state (target, transaction, variables).
 *
 * <p>Calls for one connection come one at a time, in the order the client sent its commands, on a thread that may
 * block (never a Netty event loop), except {@link #start}, which the event loop calls and which must not block.
 * Failures are thrown as {@link io.tessera.common.errors.TesseraException}; the protocol layer sends them as ERR
 * packets with the exception's errno and SQLSTATE and keeps the connection open.
 */
public interface ConnectionHandler extends AutoCloseable {
    /**
     * COM_QUERY: runs every statement of {@code sql} (several when the client enabled CLIENT_MULTI_STATEMENTS) and
     * hands each statement's result to {@code out}, in order, with {@code more} set when another statement follows.
     * A statement that fails ends the call with its exception after the results before it were delivered.
     */
    void query(String sql, ResultSink out);

    /** COM_INIT_DB: makes {@code database} (a target string such as {@code ks@replica}) the session's default. */
    void useDatabase(String database);

    /** COM_FIELD_LIST: the columns of {@code table} in the current database whose names match {@code wildcard}. */
    List<Field> fieldList(String table, String wildcard);

    /**
     * COM_STMT_PREPARE: checks {@code sql} and describes it. Parameters are the {@code ?} placeholders outside
     * strings and comments.
     */
    PreparedMetadata prepare(String sql);

    /**
     * COM_STMT_EXECUTE: runs a statement {@link #prepare prepared} on this connection with one typed value per
     * placeholder, in order. The protocol layer keeps the statement ids; it passes the SQL back here.
     */
    QueryResult executePrepared(String sql, List<BindVariable> parameters);

    /**
     * Starts a command's statement without blocking, for the connection's event loop: {@code sql} is COM_QUERY's
     * text ({@code parameters} null) or a prepared statement's SQL with its parameters. Returns null when the
     * command must run the blocking way ({@link #query}, {@link #executePrepared}) on the session thread. Otherwise
     * the future completes with the result or exceptionally with the error (possibly wrapped in a
     * {@link java.util.concurrent.CompletionException}), on any thread, or with null when the command must after
     * all run the blocking way (it did not run). No other call of this handler happens until it completes.
     */
    default CompletableFuture<QueryResult> start(String sql, List<BindVariable> parameters) {
        return null;
    }

    /** COM_RESET_CONNECTION: rolls back, releases what the session holds and forgets its variables. */
    void reset();

    /**
     * COM_CHANGE_USER, after the new user authenticated: resets the session as {@link #reset()} does and continues
     * as {@code user} with {@code database} (empty for none) as the default.
     */
    void changeUser(AuthenticatedUser user, String database);

    /** Whether a transaction is open, for the SERVER_STATUS_IN_TRANS flag of OK and EOF packets. */
    boolean inTransaction();

    /** Whether the session is in autocommit mode, for the SERVER_STATUS_AUTOCOMMIT flag. */
    boolean autocommit();

    /** COM_QUIT or a closed socket: rolls back and releases everything the session holds. Never throws. */
    @Override
    void close();
}
