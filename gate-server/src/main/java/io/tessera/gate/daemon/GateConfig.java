package io.tessera.gate.daemon;

import io.tessera.gate.buffer.BufferConfig;
import io.tessera.gate.discovery.DiscoveryConfig;
import io.tessera.gate.executor.ExecutorConfig;
import io.tessera.gate.mysql.MysqlServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code tessera-gate} is started with, once the flags are parsed: one typed config per component.
 *
 * @param topoAddress the topology
 * @param mysql the MySQL protocol server
 * @param auth how MySQL clients authenticate
 * @param discovery how tablets are found, followed and chosen
 * @param buffer failover buffering
 * @param executor how statements run (timeouts, limits, default tablet type)
 * @param bindAddress the address the HTTP and gRPC ports listen on ({@code ""} for all interfaces)
 * @param httpPort the HTTP port (status page, health, metrics; 0 for any free port)
 * @param grpcPort the port of the Vitess gRPC service (0 for any free port)
 * @param initialTabletTimeout at start, how long to wait for the first serving tablets before serving anyway
 * @param queryLog the file that gets one line per statement, if any
 */
public record GateConfig(String topoAddress, MysqlServerConfig mysql, AuthConfig auth, DiscoveryConfig discovery,
        BufferConfig buffer, ExecutorConfig executor, String bindAddress, int httpPort, int grpcPort,
        Duration initialTabletTimeout, Optional<Path> queryLog) {
    public GateConfig {
        Objects.requireNonNull(topoAddress, "topoAddress");
        Objects.requireNonNull(mysql, "mysql");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(queryLog, "queryLog");
        checkPort("--port", httpPort);
        checkPort("--grpc_port", grpcPort);
        if (initialTabletTimeout.isNegative()) {
            throw new IllegalArgumentException("--gateway_initial_tablet_timeout must not be negative, got "
                    + initialTabletTimeout);
        }
    }

    /**
     * How MySQL clients authenticate.
     *
     * @param impl {@code static} (users from {@code staticFile}) or {@code none} (anyone, any password)
     * @param staticFile the Vitess-format JSON users file, required for {@code static}
     * @param reloadInterval how often the file is checked for changes
     */
    public record AuthConfig(String impl, Optional<Path> staticFile, Duration reloadInterval) {
        public AuthConfig {
            Objects.requireNonNull(staticFile, "staticFile");
            if (!impl.equals("static") && !impl.equals("none")) {
                throw new IllegalArgumentException("--mysql_auth_server_impl must be static or none, got '" + impl
                        + "'");
            }
            if (impl.equals("static") && staticFile.isEmpty()) {
                throw new IllegalArgumentException("--mysql_auth_server_impl static needs "
                        + "--mysql_auth_server_static_file (or use --mysql_auth_server_impl none to let anyone in)");
            }
            if (reloadInterval.isNegative() || reloadInterval.isZero()) {
                throw new IllegalArgumentException("--mysql_auth_static_reload_interval must be positive, got "
                        + reloadInterval);
            }
        }
    }

    private static void checkPort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be a port number (0-65535), got " + port);
        }
    }
}
