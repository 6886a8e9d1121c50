package io.tessera.tablet.registration;

import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.topo.topoproto.KeyRanges;
import io.tessera.topo.topoproto.TabletTypes;
import java.util.Map;
import java.util.Optional;

/**
 * Who a tablet is and where it can be reached: what it writes into its Tablet record at start.
 *
 * @param alias from {@code --tablet-path}, e.g. {@code zone1-100}
 * @param hostname the host other processes reach this tablet's ports on
 * @param httpPort the {@code vt} port ({@code 15000 + uid} by default)
 * @param grpcPort the {@code grpc} port ({@code 16000 + uid} by default)
 * @param keyspace {@code --init_keyspace}
 * @param shard {@code --init_shard}, e.g. {@code 0} or {@code -80}
 * @param initType {@code --init_tablet_type}: replica, rdonly or spare (never primary)
 * @param dbNameOverride {@code --init_db_name_override}, or empty for {@code vt_<keyspace>}
 * @param mysqlHost the host of this tablet's mysqld as other tablets reach it (for replication)
 * @param mysqlPort the port of this tablet's mysqld
 * @param tags free-form labels ({@code --init_tags})
 */
public record TabletIdentity(TabletAlias alias, String hostname, int httpPort, int grpcPort, String keyspace,
        String shard, TabletType initType, Optional<String> dbNameOverride, String mysqlHost, int mysqlPort,
        Map<String, String> tags) {

    public TabletIdentity {
        if (alias == null || alias.getCell().isEmpty()) {
            throw new IllegalArgumentException("--tablet-path is required, e.g. zone1-100");
        }
        if (keyspace == null || keyspace.isEmpty()) {
            throw new IllegalArgumentException("--init_keyspace is required");
        }
        if (shard == null || shard.isEmpty()) {
            throw new IllegalArgumentException("--init_shard is required, e.g. 0 or -80");
        }
        KeyRanges.parseShardName(shard);
        if (initType == TabletType.PRIMARY) {
            throw new IllegalArgumentException("--init_tablet_type primary is not allowed: a tablet starts as "
                    + "replica, rdonly or spare and becomes primary through InitShardPrimary, PlannedReparentShard "
                    + "or TabletExternallyReparented");
        }
        if (initType != TabletType.REPLICA && initType != TabletType.RDONLY && initType != TabletType.SPARE) {
            throw new IllegalArgumentException("--init_tablet_type must be replica, rdonly or spare, not "
                    + TabletTypes.name(initType));
        }
        dbNameOverride = dbNameOverride == null ? Optional.empty() : dbNameOverride;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** The MySQL database that holds the keyspace's tables on this tablet. */
    public String dbName() {
        return dbNameOverride.orElse("vt_" + keyspace);
    }
}
