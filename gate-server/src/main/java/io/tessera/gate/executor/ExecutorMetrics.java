package io.tessera.gate.executor;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.errors.TesseraException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The executor's metrics: {@code tessera_gate_queries_total{keyspace,statement}},
 * {@code tessera_gate_query_seconds{keyspace,statement}} and
 * {@code tessera_gate_query_errors_total{keyspace,statement,code}}, plus per-statement counts and the latest errors
 * kept in memory for the status page.
 */
final class ExecutorMetrics {
    /** The counters one statement of a keyspace and type feeds. */
    private record Series(CounterDataPoint queries, DistributionDataPoint latency, LongAdder byStatement) {}

    private final Counter queries;
    private final Histogram latency;
    private final Counter errors;
    private final Map<String, LongAdder> queriesByStatement = new ConcurrentHashMap<>();
    /** Keyspace, then statement type: the label values a gate sees are few (its keyspaces, the statement types). */
    private final Map<String, Map<String, Series>> seriesByKeyspace = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errorsByStatement = new ConcurrentHashMap<>();
    private final int keepErrors;
    private final Deque<ExecutorStats.RecentError> recent = new ArrayDeque<>(); // guarded by itself

    ExecutorMetrics(PrometheusRegistry registry, int keepErrors) {
        this.keepErrors = keepErrors;
        this.queries = Counter.builder().name("tessera_gate_queries_total")
                .help("Statements the gate ran, by keyspace and statement type")
                .labelNames("keyspace", "statement").register(registry);
        // Classic buckets only: the text format /metrics serves shows nothing else, and native buckets cost a map
        // update on every statement.
        this.latency = Histogram.builder().classicOnly().name("tessera_gate_query_seconds")
                .help("Time the gate took per statement, by keyspace and statement type")
                .labelNames("keyspace", "statement").register(registry);
        this.errors = Counter.builder().name("tessera_gate_query_errors_total")
                .help("Statements that failed, by keyspace, statement type and error code")
                .labelNames("keyspace", "statement", "code").register(registry);
    }

    /** Counts one statement; {@code error} is null on success. */
    void record(String keyspace, String statement, long nanos, TesseraException error, String user, String sql) {
        Series s = series(keyspace, statement);
        s.queries().inc();
        s.latency().observe(nanos / (double) TimeUnit.SECONDS.toNanos(1));
        s.byStatement().increment();
        if (error == null) {
            return;
        }
        errors.labelValues(keyspace, statement, error.code().name()).inc();
        errorsByStatement.computeIfAbsent(statement, k -> new LongAdder()).increment();
        ExecutorStats.RecentError e = new ExecutorStats.RecentError(Instant.now(), user, keyspace, statement,
                error.code().name(), error.mysqlErrno(), String.valueOf(error.getMessage()),
                sql.length() > 300 ? sql.substring(0, 300) + "..." : sql);
        synchronized (recent) {
            recent.addFirst(e);
            while (recent.size() > keepErrors) {
                recent.removeLast();
            }
        }
    }

    /**
     * The series of one keyspace and statement type, found once: the labels' lookup on every statement cost more
     * than the counting.
     */
    private Series series(String keyspace, String statement) {
        Map<String, Series> ofKeyspace = seriesByKeyspace.get(keyspace);
        if (ofKeyspace == null) {
            ofKeyspace = seriesByKeyspace.computeIfAbsent(keyspace, k -> new ConcurrentHashMap<>());
        }
        Series s = ofKeyspace.get(statement);
        if (s == null) {
            s = ofKeyspace.computeIfAbsent(statement, st -> new Series(queries.labelValues(keyspace, st),
                    latency.labelValues(keyspace, st), queriesByStatement.computeIfAbsent(st, k -> new LongAdder())));
        }
        return s;
    }

    ExecutorStats snapshot(long cachedPlans) {
        Map<String, Long> q = new TreeMap<>();
        queriesByStatement.forEach((k, v) -> q.put(k, v.sum()));
        Map<String, Long> e = new TreeMap<>();
        errorsByStatement.forEach((k, v) -> e.put(k, v.sum()));
        synchronized (recent) {
            return new ExecutorStats(q, e, java.util.List.copyOf(recent), cachedPlans);
        }
    }
}
