package io.tessera.gate.mysql;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;

/**
 * The MySQL server's metrics: {@code tessera_gate_connections} (open now),
 * {@code tessera_gate_connections_accepted_total}, {@code tessera_gate_connections_refused_total{reason}},
 * {@code tessera_gate_auth_successes_total{method}}, {@code tessera_gate_cache_metadata_sessions_total} (sessions
 * whose client agreed on MariaDB's MARIADB_CLIENT_CACHE_METADATA) and
 * {@code tessera_gate_event_loop_commands_total{outcome}} (commands a connection's event loop started itself:
 * {@code answered} there, or {@code handed_back} to the session thread because the statement did not run after all).
 */
final class ServerMetrics {
    /** Why a connection was closed before it became a session: the {@code reason} label. */
    enum Refusal {
        MAX_CONNECTIONS("max_connections"),
        HANDSHAKE_TIMEOUT("handshake_timeout"),
        AUTH("auth"),
        MALFORMED("malformed"),
        /** The handler factory refused to open the session (for example an unknown database). */
        SESSION("session");

        final String label;

        Refusal(String label) {
            this.label = label;
        }
    }

    private final PrometheusRegistry registry;
    private final GaugeWithCallback open;
    private final Counter accepted;
    private final Counter refused;
    private final Counter authSuccesses;
    private final Counter cacheMetadataSessions;
    private final Counter eventLoopCommands;
    /** Its two series, looked up once: a command's outcome is counted on every statement the loop starts. */
    private final CounterDataPoint answeredOnLoop;
    private final CounterDataPoint handedBack;

    ServerMetrics(PrometheusRegistry registry, IntSupplier openConnections) {
        this.registry = registry;
        this.open = GaugeWithCallback.builder()
                .name("tessera_gate_connections")
                .help("MySQL client connections open now")
                .callback(cb -> cb.call(openConnections.getAsInt()))
                .register(registry);
        this.accepted = Counter.builder()
                .name("tessera_gate_connections_accepted_total")
                .help("MySQL client connections accepted on the listening socket")
                .register(registry);
        this.refused = Counter.builder()
                .name("tessera_gate_connections_refused_total")
                .help("MySQL client connections closed before they became a session, by reason")
                .labelNames("reason")
                .register(registry);
        this.authSuccesses = Counter.builder()
                .name("tessera_gate_auth_successes_total")
                .help("Successful MySQL logins, by how the password was proven")
                .labelNames("method")
                .register(registry);
        this.cacheMetadataSessions = Counter.builder()
                .name("tessera_gate_cache_metadata_sessions_total")
                .help("MySQL sessions whose client agreed on MariaDB's MARIADB_CLIENT_CACHE_METADATA (a prepared "
                        + "statement's repeated results without the column definitions the client has)")
                .register(registry);
        this.eventLoopCommands = Counter.builder()
                .name("tessera_gate_event_loop_commands_total")
                .help("Commands a connection's event loop started without the session thread: answered there, or "
                        + "handed back to the session thread")
                .labelNames("outcome")
                .register(registry);
        this.answeredOnLoop = eventLoopCommands.labelValues("answered");
        this.handedBack = eventLoopCommands.labelValues("handed_back");
    }

    void accepted() {
        accepted.inc();
    }

    void refused(Refusal reason) {
        refused.labelValues(reason.label).inc();
    }

    void authenticated(String method) {
        authSuccesses.labelValues(method).inc();
    }

    /** A session began whose client agreed on MARIADB_CLIENT_CACHE_METADATA. */
    void cacheMetadataSession() {
        cacheMetadataSessions.inc();
    }

    /** A command the event loop started was answered there ({@code true}) or handed back. */
    void eventLoopCommand(boolean answered) {
        (answered ? answeredOnLoop : handedBack).inc();
    }

    void unregister() {
        registry.unregister(open);
        registry.unregister(accepted);
        registry.unregister(refused);
        registry.unregister(authSuccesses);
        registry.unregister(cacheMetadataSessions);
        registry.unregister(eventLoopCommands);
    }
}
