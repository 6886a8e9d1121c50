package io.tessera.gate.executor;

import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.vtgate.Session;
import io.tessera.queryservice.QueryResultConsumer;
import java.util.Map;

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

    /** Ends the session: rolls back its transaction and releases its reserved connections. Never throws. */
    void closeSession(Session.Builder session, Caller caller);
}
