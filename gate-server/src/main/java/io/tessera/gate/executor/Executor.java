package io.tessera.gate.executor;

import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.vtgate.Session;
import io.tessera.queryservice.QueryResultConsumer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs statements for client sessions. The whole state of a session lives in its {@link Session} message, which
 * the caller keeps between calls: the MySQL protocol layer holds one per connection, the gRPC service gets it from
 * the client and returns it with every response (so gates stay stateless). Every call updates the builder in place,
 * also when the statement fails, so that transactions and reserved connections opened so far are never lost.
 *
 * <p>A session is used by one call at a time. Failures are thrown as
 * {@link io.tessera.common.errors.TesseraException} with a MySQL errno and SQLSTATE fit for the client.
 */
public interface Executor {
    /**
     * Runs one statement in {@code session}: its default target is {@code session.target_string}, bind variables
     * fill {@code :name} placeholders.
     */
    QueryResult execute(Session.Builder session, Caller caller, String sql, Map<String, BindVariable> bindVariables);

    /**
     * Runs one read statement and streams its result to {@code consumer}: first the fields, then rows in chunks.
     */
    void streamExecute(Session.Builder session, Caller caller, String sql, Map<String, BindVariable> bindVariables,
            QueryResultConsumer consumer);

    /**
     * Starts one statement without blocking the caller, when it needs at most one tablet call that can be made
     * without waiting: a statement sent to the tablets as it is, without a deadline or reserved connection, either
     * outside a transaction (routed to a tablet picked at once) or inside the session's transaction when that
     * already lives on the statement's shard and no other; and BEGIN outside a transaction. Returns null when it
     * cannot; the caller then uses {@link #execute}.
     *
     * <p>The future completes with the result, or exceptionally with the statement's error (a
     * {@link io.tessera.common.errors.TesseraException}, possibly wrapped in a
     * {@link java.util.concurrent.CompletionException}), on the thread that received the tablet's answer; the
     * session is updated before. It completes with null when the statement did not run after all (the tablet
     * refused it in a way that routing retries): the caller then runs it with {@link #execute}. Until the future
     * completes, the session must not be used by anyone else.
     */
    default CompletableFuture<QueryResult> start(Session.Builder session, Caller caller, String sql,
            Map<String, BindVariable> bindVariables) {
        return null;
    }

    /** Ends the session: rolls back its transaction and releases its reserved connections. Never throws. */
    void closeSession(Session.Builder session, Caller caller);
}
