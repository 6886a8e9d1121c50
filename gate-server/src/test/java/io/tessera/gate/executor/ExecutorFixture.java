package io.tessera.gate.executor;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.BindVariable;
import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.vtgate.Session;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link GateExecutor} over a {@link FakeGateway}, with one session, as the tests drive it. */
final class ExecutorFixture {
    final FakeGateway gateway;
    final PrometheusRegistry registry = new PrometheusRegistry();
    final List<QueryLogEntry> log = new CopyOnWriteArrayList<>();
    final GateExecutor executor;
    /** Statements {@link #exec} ran without blocking (answered or failed that way, not handed back). */
    int startedStatements;
    final Caller caller = new Caller("alice", List.of("devs"));
    Session.Builder session;

    ExecutorFixture(FakeGateway gateway, ExecutorConfig config) {
        this.gateway = gateway;
        this.executor = new GateExecutor(gateway, config, registry, log::add);
        this.session = newSession("");
    }

    ExecutorFixture(FakeGateway gateway) {
        this(gateway, ExecutorConfig.defaults());
    }

    /** A session as the MySQL protocol layer starts one. */
    static Session.Builder newSession(String target) {
        return Session.newBuilder().setTargetString(target).setAutocommit(true)
                .setOptions(ExecuteOptions.newBuilder().setIncludedFields(ExecuteOptions.IncludedFields.ALL));
    }

    ExecutorFixture target(String target) {
        session.setTargetString(target);
        return this;
    }

    QueryResult exec(String sql) {
        return exec(sql, Map.of());
    }

    /**
     * Runs {@code sql} as the MySQL protocol layer does: started without blocking when the executor can
     * ({@link GateExecutor#start}), otherwise, or when the start hands it back, the blocking way. Every test that
     * runs statements through the fixture so covers both paths and their agreement.
     */
    QueryResult exec(String sql, Map<String, BindVariable> bindVariables) {
        CompletableFuture<QueryResult> started = executor.start(session, caller, sql, bindVariables);
        if (started != null) {
            QueryResult result;
            try {
                result = started.join();
            } catch (CompletionException e) {
                startedStatements++;
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            if (result != null) {
                startedStatements++;
                return result;
            }
        }
        return executor.execute(session, caller, sql, bindVariables);
    }

    /** Runs {@code sql}, expecting it to fail; returns the error. */
    TesseraException fails(String sql) {
        AtomicReference<TesseraException> error = new AtomicReference<>();
        assertThatThrownBy(() -> exec(sql)).isInstanceOfSatisfying(TesseraException.class, error::set);
        return error.get();
    }
}
