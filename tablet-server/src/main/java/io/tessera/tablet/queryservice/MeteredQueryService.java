package io.tessera.tablet.queryservice;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BeginExecuteRequest;
import io.tessera.proto.query.BeginExecuteResponse;
import io.tessera.proto.query.BeginRequest;
import io.tessera.proto.query.BeginResponse;
import io.tessera.proto.query.BoundQuery;
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
import io.tessera.queryservice.QueryResultConsumer;
import io.tessera.queryservice.InlineExecute;
import io.tessera.queryservice.QueryService;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A {@link QueryService} that counts and times every call of the one it wraps, for {@code /metrics}, and keeps the
 * last errors for the status page. Metrics: {@code tessera_tablet_queries_total} and
 * {@code tessera_tablet_query_seconds} by RPC and statement kind, {@code tessera_tablet_query_errors_total} by RPC
 * and error code.
 */
public final class MeteredQueryService implements QueryService, InlineExecute {
    /** How many recent errors the status page shows. */
    public static final int RECENT_ERRORS = 20;

    /** An error a client got, for the status page. */
    public record RecentError(Instant time, String rpc, String code, String message) {}

    /** The kind label of each {@link StatementKind}, by ordinal. */
    private static final String[] KIND_LABELS = Arrays.stream(StatementKind.values())
            .map(k -> k.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    private final QueryService delegate;
    private final Counter queries;
    private final Histogram latency;
    private final Counter errors;
    private final Deque<RecentError> recent = new ArrayDeque<>();
    /** By RPC name, then by statement kind label: a dozen RPCs, a dozen kinds. */
    private final Map<String, Map<String, Series>> seriesByRpc = new ConcurrentHashMap<>();
    /** The kind label of a prepared statement's text is looked up, not scanned for again on every call. */
    private final ClassificationMemo classifications = new ClassificationMemo();

    /** The two series a call of one RPC and statement kind feeds. */
    private record Series(CounterDataPoint queries, DistributionDataPoint latency) {}

    public MeteredQueryService(QueryService delegate, PrometheusRegistry registry) {
        this.delegate = delegate;
        this.queries = Counter.builder().name("tessera_tablet_queries_total")
                .help("Query service calls, by RPC and statement kind").labelNames("rpc", "kind").register(registry);
        // Classic buckets only: the text format /metrics serves shows nothing else, and native buckets cost a map
        // update on every call.
        this.latency = Histogram.builder().classicOnly().name("tessera_tablet_query_seconds")
                .help("Query service call latency, by RPC and statement kind").labelNames("rpc", "kind")
                .register(registry);
        this.errors = Counter.builder().name("tessera_tablet_query_errors_total")
                .help("Query service calls that failed, by RPC and error code").labelNames("rpc", "code")
                .register(registry);
    }

    /** The most recent errors, newest first. */
    public synchronized List<RecentError> recentErrors() {
        return List.copyOf(recent);
    }

    @Override
    public ExecuteResponse execute(ExecuteRequest request) {
        return timed("Execute", kind(request.getQuery()), () -> delegate.execute(request));
    }

    /** Counted as an Execute: the inline path is how the call ran, not another RPC. */
    @Override
    public CompletableFuture<ExecuteResponse> executeNow(ExecuteRequest request) {
        if (!(delegate instanceof InlineExecute inline)) {
            return null;
        }
        long start = System.nanoTime();
        CompletableFuture<ExecuteResponse> started;
        try {
            started = inline.executeNow(request);
        } catch (RuntimeException e) {
            String kind = kind(request.getQuery());
            failed("Execute", e);
            done("Execute", kind, start);
            throw e;
        }
        if (started == null) {
            return null;
        }
        String kind = kind(request.getQuery());
        return started.whenComplete((response, failure) -> {
            if (failure != null) {
                failed("Execute", failure instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : failure);
            }
            done("Execute", kind, start);
        });
    }

    @Override
    public void streamExecute(StreamExecuteRequest request, QueryResultConsumer consumer) {
        timed("StreamExecute", kind(request.getQuery()), () -> {
            delegate.streamExecute(request, consumer);
            return null;
        });
    }

    @Override
    public BeginResponse begin(BeginRequest request) {
        return timed("Begin", "begin", () -> delegate.begin(request));
    }

    @Override
    public CommitResponse commit(CommitRequest request) {
        return timed("Commit", "commit", () -> delegate.commit(request));
    }

    @Override
    public RollbackResponse rollback(RollbackRequest request) {
        return timed("Rollback", "rollback", () -> delegate.rollback(request));
    }

    @Override
    public BeginExecuteResponse beginExecute(BeginExecuteRequest request) {
        return timed("BeginExecute", kind(request.getQuery()), () -> delegate.beginExecute(request));
    }

    @Override
    public ReserveExecuteResponse reserveExecute(ReserveExecuteRequest request) {
        return timed("ReserveExecute", kind(request.getQuery()), () -> delegate.reserveExecute(request));
    }

    @Override
    public ReserveBeginExecuteResponse reserveBeginExecute(ReserveBeginExecuteRequest request) {
        return timed("ReserveBeginExecute", kind(request.getQuery()),
                () -> delegate.reserveBeginExecute(request));
    }

    @Override
    public ReleaseResponse release(ReleaseRequest request) {
        return timed("Release", "release", () -> delegate.release(request));
    }

    private String kind(BoundQuery query) {
        return KIND_LABELS[classifications.classify(query).kind().ordinal()];
    }

    private <T> T timed(String rpc, String kind, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } catch (RuntimeException e) {
            failed(rpc, e);
            throw e;
        } finally {
            done(rpc, kind, start);
        }
    }

    private void failed(String rpc, Throwable e) {
        String code = e instanceof TesseraException t ? t.code().name() : "INTERNAL";
        errors.labelValues(rpc, code).inc();
        remember(new RecentError(Instant.now(), rpc, code, String.valueOf(e.getMessage())));
    }

    private void done(String rpc, String kind, long start) {
        Series s = series(rpc, kind);
        s.queries().inc();
        s.latency().observe((System.nanoTime() - start) / 1e9);
    }

    /** The series of one RPC and statement kind, found once rather than by label values on every call. */
    private Series series(String rpc, String kind) {
        Map<String, Series> ofRpc = seriesByRpc.get(rpc);
        if (ofRpc == null) {
            ofRpc = seriesByRpc.computeIfAbsent(rpc, r -> new ConcurrentHashMap<>());
        }
        Series s = ofRpc.get(kind);
        if (s == null) {
            s = ofRpc.computeIfAbsent(kind, k -> new Series(queries.labelValues(rpc, k), latency.labelValues(rpc, k)));
        }
        return s;
    }

    private synchronized void remember(RecentError error) {
        recent.addFirst(error);
        while (recent.size() > RECENT_ERRORS) {
            recent.removeLast();
        }
    }
}
