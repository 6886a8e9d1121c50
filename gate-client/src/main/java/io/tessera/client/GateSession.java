package io.tessera.client;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.BoundQuery;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.vtgate.CloseSessionRequest;
import io.tessera.proto.vtgate.CloseSessionResponse;
import io.tessera.proto.vtgate.ExecuteRequest;
import io.tessera.proto.vtgate.ExecuteResponse;
import io.tessera.proto.vtgate.Session;
import io.tessera.proto.vtgate.StreamExecuteRequest;
import io.tessera.proto.vtgate.StreamExecuteResponse;
import io.tessera.proto.vtgateservice.VitessGrpc;
import io.tessera.proto.vtrpc.CallerID;
import io.tessera.queryservice.CompactRows;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One session on the gate, like one MySQL connection: its default target, its open transaction, its user
 * variables and everything else the gate needs to continue it live in a {@link Session} message that this object
 * holds, sends with every call, and replaces with the one each response carries, also when the statement failed.
 *
 * <p>Parameters are bound in one of two ways, never mixed in one statement:
 * <ul>
 *   <li>positional: {@code execute("SELECT * FROM t WHERE a = ? AND b = ?", 1, "x")}; each {@code ?} outside
 *       strings, quoted identifiers and comments becomes the named placeholder {@code :v1}, {@code :v2}...;
 *   <li>named: {@code execute("SELECT * FROM t WHERE a = :a", Map.of("a", 1))}, names without the colon.
 * </ul>
 * Values are converted as {@link BindVariables} describes ({@code IN ::ids} takes a collection).
 *
 * <p>A session runs one call at a time (the methods lock it); it is not meant to be shared between threads, and
 * calling it again from inside a {@link #streamExecute} consumer is refused. Failed statements throw
 * {@link GateException}; the session stays usable (inside a transaction, roll it back).
 */
public final class GateSession implements AutoCloseable {
    private final VitessGrpc.VitessBlockingStub stub;
    private final CallerID caller;
    private final ReentrantLock lock = new ReentrantLock();
    /** Written only by the call holding the lock; read by anyone, so that a look never waits for a long stream. */
    private volatile Session session;
    private boolean closed;

    GateSession(VitessGrpc.VitessBlockingStub stub, CallerID caller, String target) {
        this.stub = stub;
        this.caller = caller;
        this.session = Session.newBuilder().setAutocommit(true).setTargetString(target).build();
    }

    /**
     * Runs {@code sql}, binding its {@code ?} placeholders to {@code params} in order.
     *
     * @throws GateException if the statement failed
     * @throws IllegalArgumentException if the placeholders and parameters do not match or a parameter has no SQL
     *     type
     */
    public Result execute(String sql, Object... params) {
        PositionalSql.Bound bound = PositionalSql.bind(Objects.requireNonNull(sql, "sql"), params);
        return run(bound.sql(), bound.bindVariables());
    }

    /**
     * Runs {@code sql}, binding its {@code :name} placeholders to {@code params} (keys without the colon).
     *
     * @throws GateException if the statement failed
     */
    public Result execute(String sql, Map<String, ?> params) {
        return run(Objects.requireNonNull(sql, "sql"), BindVariables.named(params));
    }

    /**
     * Runs a read and hands its rows to {@code consumer} one by one as they arrive, without holding the result in
     * memory: the gate sends no faster than the consumer takes. If the consumer throws, the stream is cancelled on
     * the gate and the exception is rethrown; the session then keeps the state it had before the call.
     *
     * @throws GateException if the statement failed (rows received until then have been consumed)
     */
    public void streamExecute(String sql, Consumer<Row> consumer, Object... params) {
        PositionalSql.Bound bound = PositionalSql.bind(Objects.requireNonNull(sql, "sql"), params);
        stream(bound.sql(), bound.bindVariables(), consumer);
    }

    /** As {@link #streamExecute(String, Consumer, Object...)}, with named parameters. */
    public void streamExecute(String sql, Map<String, ?> params, Consumer<Row> consumer) {
        stream(Objects.requireNonNull(sql, "sql"), BindVariables.named(params), consumer);
    }

    /** Starts a transaction (statements then run in it until {@link #commit} or {@link #rollback}). */
    public void begin() {
        execute("begin");
    }

    /** Commits the open transaction. */
    public void commit() {
        execute("commit");
    }

    /** Rolls the open transaction back. */
    public void rollback() {
        execute("rollback");
    }

    /**
     * Sends the following statements to {@code target} by default (like {@code USE}); the gate checks it with the
     * next statement.
     */
    public void useTarget(String target) {
        Objects.requireNonNull(target, "target");
        enter();
        try {
            session = session.toBuilder().setTargetString(target).build();
        } finally {
            lock.unlock();
        }
    }

    /** The session's default target. */
    public String target() {
        return session().getTargetString();
    }

    /** True while a transaction is open. */
    public boolean inTransaction() {
        return session().getInTransaction();
    }

    /** The session as the last response left it (an immutable message). */
    public Session session() {
        return session;
    }

    /**
     * Ends the session: the gate rolls back its open transaction and releases its reserved connections. A session
     * that holds nothing on the gate's tablets needs no call. Closing twice does nothing; other calls fail after.
     *
     * @throws GateException if the gate could not be told; what the session held is then released when its
     *     tablets time it out
     */
    @Override
    public void close() {
        refuseReentry();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (!holdsTabletResources(session)) {
                return;
            }
            CloseSessionResponse response;
            try {
                response = stub.closeSession(CloseSessionRequest.newBuilder().setCallerId(caller)
                        .setSession(session).build());
            } catch (StatusRuntimeException e) {
                throw GateException.fromStatus(e);
            }
            if (response.hasError()) {
                throw new GateException(response.getError());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the gate holds something for the session on tablets: a transaction, a reserved connection, a lock. */
    private static boolean holdsTabletResources(Session s) {
        return s.getInTransaction() || s.getInReservedConn() || s.getShardSessionsCount() > 0
                || s.getPreSessionsCount() > 0 || s.getPostSessionsCount() > 0 || s.hasLockSession();
    }

    private Result run(String sql, Map<String, BindVariable> bindVariables) {
        enter();
        try {
            ExecuteResponse response;
            try {
                response = stub.execute(ExecuteRequest.newBuilder().setCallerId(caller).setSession(session)
                        .setQuery(BoundQuery.newBuilder().setSql(sql).putAllBindVariables(bindVariables)).build());
            } catch (StatusRuntimeException e) {
                throw GateException.fromStatus(e);
            }
            if (response.hasSession()) {
                session = response.getSession();
            }
            if (response.hasError()) {
                throw new GateException(response.getError());
            }
            return Result.of(response.getResult());
        } finally {
            lock.unlock();
        }
    }

    private void stream(String sql, Map<String, BindVariable> bindVariables, Consumer<Row> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        enter();
        // The call runs in its own cancellable context, so that leaving early (the consumer threw) cancels it on
        // the gate instead of leaving the query running there.
        Context.CancellableContext context = Context.current().withCancellation();
        Context previous = context.attach();
        try {
            Iterator<StreamExecuteResponse> responses = stub.streamExecute(StreamExecuteRequest.newBuilder()
                    .setCallerId(caller).setSession(session)
                    .setQuery(BoundQuery.newBuilder().setSql(sql).putAllBindVariables(bindVariables)).build());
            Columns columns = Columns.NONE;
            while (responses.hasNext()) {
                StreamExecuteResponse message = responses.next();
                if (message.hasSession()) {
                    session = message.getSession();
                }
                QueryResult chunk = message.getResult();
                if (chunk.getFieldsCount() > 0) {
                    columns = Columns.of(chunk.getFieldsList());
                }
                for (io.tessera.proto.query.Row row : chunk.getRowsList()) {
                    consumer.accept(new Row(columns, CompactRows.values(row)));
                }
            }
        } catch (StatusRuntimeException e) {
            throw GateException.fromStatus(e);
        } finally {
            context.detach(previous);
            context.cancel(null);
            lock.unlock();
        }
    }

    /** Takes the session for one call; the caller unlocks. */
    private void enter() {
        refuseReentry();
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new IllegalStateException("the session is closed");
        }
    }

    /** The lock is reentrant, but a session used from inside its own stream would corrupt it. */
    private void refuseReentry() {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("a session runs one call at a time; use another session inside a "
                    + "streamExecute consumer");
        }
    }
}
