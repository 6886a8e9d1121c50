package io.tessera.gate.auth;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import java.net.InetSocketAddress;

/** Builds access denials and counts them in {@code tessera_gate_auth_failures_total{reason}}. */
final class AuthFailures {
    /** Why a login was refused: the {@code reason} label. */
    enum Reason {
        UNKNOWN_USER("unknown_user"),
        WRONG_PASSWORD("wrong_password"),
        SOURCE_HOST("source_host");

        final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    private final PrometheusRegistry registry;
    private final Counter failures;

    AuthFailures(PrometheusRegistry registry) {
        this.registry = registry;
        this.failures = Counter.builder()
                .name("tessera_gate_auth_failures_total")
                .help("MySQL logins the gate refused, by reason")
                .labelNames("reason")
                .register(registry);
    }

    /** Counts a refused login and returns the error the client gets. */
    TesseraException deny(String user, InetSocketAddress remote, boolean passwordGiven, Reason reason) {
        failures.labelValues(reason.label).inc();
        return TesseraException.of(ErrorKind.ACCESS_DENIED, user, host(remote), passwordGiven ? "YES" : "NO");
    }

    void unregister() {
        registry.unregister(failures);
    }

    private static String host(InetSocketAddress remote) {
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
