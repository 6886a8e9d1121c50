package io.tessera.queryservice;

import io.tessera.proto.query.QueryResult;

/** Receives the chunks of a streamed result (see {@link QueryService#streamExecute}). */
@FunctionalInterface
public interface QueryResultConsumer {
    /**
     * Takes the next chunk. May block to slow the producer down; may throw to end the stream early (the producer
     * then stops the query and rethrows).
     */
    void accept(QueryResult chunk);
}
