package io.tessera.queryservice;

import io.tessera.proto.query.ExecuteRequest;
import io.tessera.proto.query.ExecuteResponse;
import java.util.concurrent.CompletableFuture;

/**
 * {@link QueryService#execute} without blocking the caller, for callers that run on an event loop (the gate serves
 * its MySQL connections' simplest statements that way). A query service that can start a call and be told when it
 * ends implements it beside {@link QueryService}.
 */
public interface AsyncExecute {
    /**
     * Starts {@code request}. The future completes with the response, or exceptionally with the
     * {@link io.tessera.common.errors.TesseraException} the call failed with, on the thread that received the
     * answer; callers must not block that thread.
     */
    CompletableFuture<ExecuteResponse> executeAsync(ExecuteRequest request);
}
