package io.tessera.tablet.daemon;

import io.tessera.tablet.health.HealthConfig;
import io.tessera.tablet.queryservice.QueryServiceConfig;
import io.tessera.tablet.registration.TabletIdentity;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a tablet daemon is started with, once the flags are parsed.
 *
 * @param identity who the tablet is and where it can be reached
 * @param topoAddress the topology
 * @param bindAddress the address the HTTP and gRPC ports listen on ({@code ""} for all interfaces)
 * @param queryService pools and limits of the query service
 * @param health health check and heartbeat settings
 * @param schemaReloadTime how often the schema engine reloads
 * @param nativePoolSize native connections to mysqld for plain Executes run on the gRPC event loops, spread over
 *     the loops ({@code --queryserver-native-pool-size}); 0 runs every statement through the JDBC pools
 * @param nativePreparedStatements server-side prepared statements each native connection keeps for SELECTs sent
 *     with bind variables ({@code --queryserver-native-prepared-statements}); 0 sends them all as text
 * @param multiplexPort the framed multiplex port gates send their event loops' Executes to ({@code --multiplex-port}):
 *     0 for any free port (the tablet record says which), -1 for none (gates then use gRPC streams)
 */
public record TabletConfig(TabletIdentity identity, String topoAddress, String bindAddress,
        QueryServiceConfig queryService, HealthConfig health, Duration schemaReloadTime, int nativePoolSize,
        int nativePreparedStatements, int multiplexPort) {
    /** A config whose framed multiplex port is any free port. */
    public TabletConfig(TabletIdentity identity, String topoAddress, String bindAddress,
            QueryServiceConfig queryService, HealthConfig health, Duration schemaReloadTime, int nativePoolSize,
            int nativePreparedStatements) {
        this(identity, topoAddress, bindAddress, queryService, health, schemaReloadTime, nativePoolSize,
                nativePreparedStatements, 0);
    }

    public TabletConfig {
        if (multiplexPort < -1 || multiplexPort > 65535) {
            throw new IllegalArgumentException("--multiplex-port must be a port, 0 (any free port) or -1 (none), got "
                    + multiplexPort);
        }
        if (nativePoolSize < 0) {
            throw new IllegalArgumentException("--queryserver-native-pool-size must not be negative, got "
                    + nativePoolSize);
        }
        if (nativePreparedStatements < 0) {
            throw new IllegalArgumentException("--queryserver-native-prepared-statements must not be negative, got "
                    + nativePreparedStatements);
        }
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(topoAddress, "topoAddress");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(queryService, "queryService");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(schemaReloadTime, "schemaReloadTime");
    }
}
