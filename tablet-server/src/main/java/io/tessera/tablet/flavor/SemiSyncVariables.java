package io.tessera.tablet.flavor;

import java.util.List;

/**
 * The names of the semi-synchronous replication settings and counters of one flavor: MariaDB and MySQL before
 * 8.0.26 say "master"/"slave", MySQL 8.0.26 and later (with the {@code semisync_source} plugin) say
 * "source"/"replica".
 *
 * @param primaryEnabled the global variable that makes the server wait for acknowledgements as a primary
 * @param replicaEnabled the global variable that makes the server acknowledge as a replica
 * @param primaryTimeout the primary's wait, in milliseconds, before it falls back to asynchronous replication
 * @param primaryWaitPoint when the primary waits: {@code AFTER_SYNC} (before the commit is visible) or
 *     {@code AFTER_COMMIT}
 * @param primaryWaitWithoutReplicas whether the primary keeps waiting when no semi-sync replica is connected
 * @param primaryStatus the status counter that is {@code ON} while semi-sync is actually in effect on the primary
 * @param primaryClients the status counter of connected semi-sync replicas
 * @param replicaStatus the status counter that is {@code ON} while the replica acknowledges
 */
public record SemiSyncVariables(String primaryEnabled, String replicaEnabled, String primaryTimeout,
        String primaryWaitPoint, String primaryWaitWithoutReplicas, String primaryStatus, String primaryClients,
        String replicaStatus) {

    /** MariaDB's names, also MySQL's before 8.0.26. */
    public static final SemiSyncVariables MASTER_SLAVE = new SemiSyncVariables(
            "rpl_semi_sync_master_enabled", "rpl_semi_sync_slave_enabled", "rpl_semi_sync_master_timeout",
            "rpl_semi_sync_master_wait_point", "rpl_semi_sync_master_wait_no_slave",
            "Rpl_semi_sync_master_status", "Rpl_semi_sync_master_clients", "Rpl_semi_sync_slave_status");

    /** MySQL's names from 8.0.26, with the {@code semisync_source} and {@code semisync_replica} plugins. */
    public static final SemiSyncVariables SOURCE_REPLICA = new SemiSyncVariables(
            "rpl_semi_sync_source_enabled", "rpl_semi_sync_replica_enabled", "rpl_semi_sync_source_timeout",
            "rpl_semi_sync_source_wait_point", "rpl_semi_sync_source_wait_no_replica",
            "Rpl_semi_sync_source_status", "Rpl_semi_sync_source_clients", "Rpl_semi_sync_replica_status");

    /**
     * The primary's acknowledgement timeout, in milliseconds, when semi-sync is on: the largest value MySQL
     * accepts (about 49.7 days), which MariaDB accepts too. Waiting that long is, in practice, waiting forever:
     * a primary that gets no acknowledgement blocks its commits instead of silently dropping to asynchronous
     * replication, and is replaced by a reparent long before the timeout could end.
     */
    public static final long NO_FALLBACK_TIMEOUT_MS = 4_294_967_295L;

    /**
     * Statements that turn semi-sync on or off as a primary. Turning it on sets the lossless wait point
     * ({@code AFTER_SYNC}: no other session sees a commit before a replica has it), keeps waiting when no replica
     * is connected, and sets {@link #NO_FALLBACK_TIMEOUT_MS}, all before enabling, so that no commit is ever made
     * under the weaker defaults.
     */
    List<String> primary(boolean enabled) {
        if (!enabled) {
            return List.of(set(primaryEnabled, "OFF"));
        }
        return List.of(
                set(primaryWaitPoint, "AFTER_SYNC"),
                set(primaryWaitWithoutReplicas, "ON"),
                set(primaryTimeout, Long.toString(NO_FALLBACK_TIMEOUT_MS)),
                set(primaryEnabled, "ON"));
    }

    /** The statement that turns acknowledging on or off as a replica; it takes effect when the IO thread starts. */
    String replica(boolean enabled) {
        return set(replicaEnabled, enabled ? "ON" : "OFF");
    }

    private static String set(String variable, String value) {
        return "SET GLOBAL " + variable + " = " + value;
    }
}
