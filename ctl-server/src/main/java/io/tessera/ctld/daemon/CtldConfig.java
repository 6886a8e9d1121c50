package io.tessera.ctld.daemon;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code tessera-ctld} is started with, once the flags are parsed.
 *
 * @param topoAddress the topology
 * @param bindAddress the address the HTTP and gRPC ports listen on ({@code ""} for all interfaces)
 * @param grpcPort the Vtctld gRPC port (0 for any free port)
 * @param httpPort the HTTP port of the status page and metrics (0 for any free port)
 * @param disableActiveReparents refuse InitShardPrimary, PlannedReparentShard and EmergencyReparentShard
 * @param actionTimeout how long a command that calls many tablets waits for them
 * @param waitReplicasTimeout the reparents' default wait for replicas
 * @param tabletManagerTimeout the timeout of one tablet-manager call
 * @param healthScanInterval how often the topology is scanned for tablets to stream health from
 */
public record CtldConfig(String topoAddress, String bindAddress, int grpcPort, int httpPort,
        boolean disableActiveReparents, Duration actionTimeout, Duration waitReplicasTimeout,
        Duration tabletManagerTimeout, Duration healthScanInterval) {
    public CtldConfig {
        Objects.requireNonNull(topoAddress, "topoAddress");
        Objects.requireNonNull(bindAddress, "bindAddress");
        checkPort("--grpc_port", grpcPort);
        checkPort("--port", httpPort);
        positive("--action_timeout", actionTimeout);
        positive("--wait_replicas_timeout", waitReplicasTimeout);
        positive("--tablet_manager_timeout", tabletManagerTimeout);
        positive("health scan interval", healthScanInterval);
    }

    private static void checkPort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be a port number (0-65535), got " + port);
        }
    }

    private static void positive(String flag, Duration d) {
        Objects.requireNonNull(d, flag);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(flag + " must be positive, got " + d);
        }
    }
}
