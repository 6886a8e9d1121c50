package io.tessera.queryservice;

import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A query service that can run some Executes on the event loop that received them, without blocking it: the
 * tablet does so for a single statement outside any transaction, over a connection to mysqld that lives on the same
 * loop, so the call is received, sent to mysqld, and answered without waking another thread.
 * {@link QueryServiceGrpcAdapter} offers every Execute here first and runs the blocking
 * {@link QueryService#execute} on a worker when this declines.
 */
public interface InlineExecute {
    /**
     * Starts {@code request} without blocking, or returns null when it cannot (not this kind of request, not called
     * on one of the service's loops, no connection ready); the caller then runs {@link QueryService#execute}, which
     * must give the same answer. A request that fails the service's checks may be refused by throwing the same
     * {@link io.tessera.common.errors.TesseraException} {@code execute} would throw. The future completes on the
     * calling loop, with the response or exceptionally with the call's TesseraException.
     */
    CompletableFuture<ExecuteResponse> executeNow(ExecuteRequest request);
}
