package io.tessera.gate.daemon;

import io.tessera.gate.buffer.BufferConfig;
import io.tessera.gate.discovery.DiscoveryConfig;
import io.tessera.gate.executor.ExecutorConfig;
import io.tessera.gate.mysql.MysqlServerConfig;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vtgate.TransactionMode;
import io.tessera.topo.topoproto.TabletTypes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns {@link GateMain}'s parsed flags into a {@link GateConfig}; each component's record validates its part. */
final class GateConfigs {
    private GateConfigs() {}

    static GateConfig fromFlags(GateMain f) {
        if (f.maxAllowedPacket <= 0) {
            throw new IllegalArgumentException("--max_allowed_packet must be positive, got " + f.maxAllowedPacket);
        }
        // Vitess's empty default means every interface.
        String mysqlBind = f.mysqlBindAddress.isBlank() ? "0.0.0.0" : f.mysqlBindAddress;
        MysqlServerConfig mysql = new MysqlServerConfig(mysqlBind, f.mysqlPort, f.mysqlServerVersion,
                f.maxConnections, f.idleTimeout, f.maxAllowedPacket, MysqlServerConfig.defaults().handshakeTimeout(),
                f.sslCert, f.sslKey, f.requireSecureTransport);
        GateConfig.AuthConfig auth = new GateConfig.AuthConfig(f.authImpl, Optional.ofNullable(f.authFile),
                f.authReloadInterval);
        List<String> cells = f.cellsToWatch == null || f.cellsToWatch.isEmpty() ? List.of(f.cell) : f.cellsToWatch;
        DiscoveryConfig discovery = new DiscoveryConfig(f.cell, cells, f.tabletRefreshInterval,
                f.healthcheckRetryDelay, f.healthcheckTimeout, f.lowReplicationLag, f.highReplicationLag,
                f.minServing, f.legacyLagAlgorithm, f.retryCount);
        BufferConfig buffer = new BufferConfig(f.enableBuffer, f.bufferWindow, f.bufferSize,
                f.bufferMaxFailoverDuration, f.bufferMinTimeBetweenFailovers);
        if (f.queryTimeoutMillis < 0) {
            throw new IllegalArgumentException("--query-timeout must not be negative, got " + f.queryTimeoutMillis);
        }
        ExecutorConfig defaults = ExecutorConfig.defaults();
        ExecutorConfig executor = new ExecutorConfig("", Duration.ofMillis(f.queryTimeoutMillis), f.maxMemoryRows,
                tabletType(f.defaultTabletType), transactionMode(f.transactionMode), defaults.planCacheSize(),
                defaults.recentErrors());
        return new GateConfig(f.topo.address(), mysql, auth, discovery, buffer, executor, f.bindAddress,
                f.httpPort, f.grpcPort, f.initialTabletTimeout, Optional.ofNullable(f.queryLogFile));
    }

    private static TabletType tabletType(String name) {
        TabletType type;
        try {
            type = TabletTypes.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--default_tablet_type: " + e.getMessage());
        }
        if (type != TabletType.PRIMARY && type != TabletType.REPLICA && type != TabletType.RDONLY) {
            throw new IllegalArgumentException("--default_tablet_type must be PRIMARY, REPLICA or RDONLY, got "
                    + name);
        }
        return type;
    }

    private static TransactionMode transactionMode(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "SINGLE" -> TransactionMode.SINGLE;
            case "MULTI" -> TransactionMode.MULTI;
            default -> throw new IllegalArgumentException("--transaction_mode must be SINGLE or MULTI, got " + name);
        };
    }
}
