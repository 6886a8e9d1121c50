package io.tessera.tablet.daemon;

import io.tessera.tablet.health.HealthConfig;
import io.tessera.common.cli.GoDuration;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The tablet's health and schema-reload flags, with Vitess's names and defaults. */
public final class HealthFlags {
    @Option(names = "--health-check-interval", paramLabel = "DURATION", converter = GoDuration.class,
            defaultValue = "20s", description = "How often health is checked and pushed to StreamHealth (default: ${DEFAULT-VALUE}).")
    Duration healthCheckInterval;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", converter = GoDuration.class,
            defaultValue = "1s", description = "How often a primary writes, and a replica reads, the heartbeat that measures lag (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--degraded-threshold", paramLabel = "DURATION", converter = GoDuration.class,
            defaultValue = "30s", description = "Lag above which a replica is reported degraded (default: ${DEFAULT-VALUE}).")
    Duration degradedThreshold;

    @Option(names = "--unhealthy-threshold", paramLabel = "DURATION", converter = GoDuration.class,
            defaultValue = "2h", description = "Lag above which a replica stops serving (default: ${DEFAULT-VALUE}).")
    Duration unhealthyThreshold;

    @Option(names = "--queryserver-config-schema-reload-time", paramLabel = "DURATION", converter = GoDuration.class,
            defaultValue = "30m", description = "How often the schema is reloaded (default: ${DEFAULT-VALUE}).")
    Duration schemaReloadTime;

    HealthConfig toConfig() {
        return HealthConfig.defaults().withHealthCheckInterval(healthCheckInterval)
                .withHeartbeatInterval(heartbeatInterval).withThresholds(degradedThreshold, unhealthyThreshold);
    }
}
