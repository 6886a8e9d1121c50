package io.tessera.queryservice;

import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.CommitRequest;
import io.tessera.proto.query.CommitResponse;
import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import io.tessera.proto.query.ReleaseRequest;
import io.tessera.proto.query.ReleaseResponse;
import io.tessera.proto.query.ReserveBeginExecuteRequest;
import io.tessera.proto.query.ReserveBeginExecuteResponse;
import io.tessera.proto.query.ReserveExecuteRequest;
import io.tessera.proto.query.ReserveExecuteResponse;
import io.tessera.proto.query.RollbackRequest;
import io.tessera.proto.query.RollbackResponse;
import io.tessera.proto.query.StreamExecuteRequest;

/**
 * A tablet's query service: what a gate calls to run statements on one tablet's MySQL. The tablet implements it,
 * {@link GrpcQueryServiceClient} implements it over gRPC, and tests use fakes; callers cannot tell them apart.
 *
 * <p>Every request carries a {@code query.Target} (keyspace, shard, tablet type) that the tablet checks against its
 * own state before doing anything. Failures are thrown as {@link io.tessera.common.errors.TesseraException}, whose
 * code the caller decides on; an error MySQL returned keeps its errno and SQLSTATE. Implementations are
 * thread-safe; calls for one transaction must not overlap.
 */
public interface QueryService {
    /**
     * Runs one statement and returns its whole result: in the request's transaction if {@code transaction_id} is
     * non-zero, otherwise on its own (autocommit). Bind variables fill the statement's {@code :name} placeholders.
     */
    ExecuteResponse execute(ExecuteRequest request);

    /**
     * Runs one statement and hands its result to {@code consumer} in chunks: the first chunk carries only the
     * fields, the following ones only rows. Returns when the result is complete; the consumer is always called from
     * one thread at a time, in order. A consumer that blocks slows the producer (that is how a slow reader keeps a
     * large result from piling up in memory); one that throws ends the stream, and its exception is rethrown.
     */
    void streamExecute(StreamExecuteRequest request, QueryResultConsumer consumer);

    /** Opens a transaction and returns its id, which later calls for it carry. */
    BeginResponse begin(BeginRequest request);

    /** Commits the transaction and releases it. */
    CommitResponse commit(CommitRequest request);

    /** Rolls the transaction back and releases it. */
    RollbackResponse rollback(RollbackRequest request);

    /**
     * Opens a transaction and runs one statement in it, in one round trip. If opening fails, this throws. If the
     * statement fails after the transaction was opened, the response carries both the error and the transaction
     * id, so the caller can still roll it back (the transaction stays open).
     */
    BeginExecuteResponse beginExecute(BeginExecuteRequest request);

    /**
     * Reserves a connection for one client session and runs one statement on it. {@code pre_queries} (SET
     * statements carrying the session's variables) run first. With a {@code transaction_id}, the connection that
     * already holds that transaction is reserved instead of a fresh one. Later calls carry the returned
     * {@code reserved_id} (in {@code ExecuteRequest.reserved_id}, {@code BeginExecuteRequest.reserved_id}...) and
     * reach that very connection. If the statement fails after the connection was reserved, the response carries
     * the error together with the id, so the caller can still release it.
     */
    ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request);

    /**
     * Reserves a connection, runs {@code pre_queries}, begins a transaction, runs {@code post_begin_queries} and
     * the statement in it. As with {@link #reserveExecute}, the ids come back even when the statement failed.
     */
    ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request);

    /**
     * Ends a session's hold on the tablet: rolls back {@code transaction_id} if set and closes the reserved
     * connection {@code reserved_id} if set (a reserved connection is never handed to another session).
     */
    ReleaseResponse release(ReleaseRequest request);
}
