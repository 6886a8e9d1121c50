package io.tessera.tablet.queryservice;

/**
 * How busy one of the query service's connection pools is right now.
 *
 * @param pool {@code query}, {@code stream} or {@code transaction}
 * @param capacity the most connections the pool may open (its size flag)
 * @param active connections lent out now
 * @param idle connections open and free now
 * @param waiting callers waiting for a connection now
 */
public record PoolStats(String pool, int capacity, int active, int idle, int waiting) {}
