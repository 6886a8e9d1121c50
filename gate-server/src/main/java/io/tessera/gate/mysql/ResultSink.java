package io.tessera.gate.mysql;

import io.tessera.proto.query.QueryResult;

/** Receives the results of a COM_QUERY, one per statement, in order. */
@FunctionalInterface
public interface ResultSink {
    /**
     * One statement's result: a result set when it has fields, an OK otherwise (affected rows, insert id, info,
     * warnings). {@code more} is true when another statement of the same COM_QUERY follows.
     */
    void accept(QueryResult result, boolean more);
}
