package io.tessera.gate.executor;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the executor did since it started, for the gate's status page: an immutable snapshot.
 *
 * @param queries statements run, by statement type label
 * @param errors statements that failed, by statement type label
 * @param recentErrors the latest failures, newest first
 * @param cachedPlans statement plans in the plan cache
 */
public record ExecutorStats(Map<String, Long> queries, Map<String, Long> errors, List<RecentError> recentErrors,
        long cachedPlans) {
    public ExecutorStats {
        queries = Map.copyOf(queries);
        errors = Map.copyOf(errors);
        recentErrors = List.copyOf(recentErrors);
    }

    /**
     * One failed statement.
     *
     * @param time when it failed
     * @param user who ran it
     * @param keyspace the keyspace it was for (empty if it never got that far)
     * @param statement its type label
     * @param code the error code
     * @param mysqlErrno the MySQL error number the client got
     * @param message the error message
     * @param sql the statement, cut to 300 characters
     */
    public record RecentError(Instant time, String user, String keyspace, String statement, String code,
            int mysqlErrno, String message, String sql) {}
}
