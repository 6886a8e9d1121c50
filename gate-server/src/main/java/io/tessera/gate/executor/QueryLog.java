package io.tessera.gate.executor;

/**
 * Where the executor reports every statement it ran, one {@link QueryLogEntry} each, for the daemon to write to a
 * query log file. Called on the statement's thread after the statement finished; an implementation must be quick
 * and thread-safe, and its failures are ignored (a broken log never fails a query).
 */
@FunctionalInterface
public interface QueryLog {
    /** A log that discards everything: the default. */
    QueryLog NONE = entry -> { };

    /** Records one statement. */
    void log(QueryLogEntry entry);
}
