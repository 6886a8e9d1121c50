package io.tessera.tablet.flavor;

import io.tessera.replication.BinlogFilePosition;
import io.tessera.replication.GtidPosition;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A replica's replication state, read from {@code SHOW ALL SLAVES STATUS} (MariaDB) or
 * {@code SHOW REPLICA STATUS}/{@code SHOW SLAVE STATUS} (MySQL) and normalised across flavors.
 *
 * @param position the GTIDs the server has applied (MariaDB {@code Gtid_Slave_Pos}, MySQL
 *     {@code Executed_Gtid_Set})
 * @param relayLogPosition the GTIDs the server has received, applied or not: {@link #position} joined with what
 *     the IO thread fetched (MariaDB {@code Gtid_IO_Pos}, MySQL {@code Retrieved_Gtid_Set}), so it is never behind
 *     {@link #position}. This is the position that counts when choosing the most advanced replica in an emergency,
 *     because the relay log is applied before promotion.
 * @param filePosition the source's binlog file and offset the SQL thread has executed up to, when known
 * @param relayLogSourceBinlogEquivalentPosition the source's binlog file and offset the IO thread has read up
 *     to, when known
 * @param relayLogFilePosition the replica's own relay log file and offset the SQL thread is at, when known
 * @param sourceHost the configured source host
 * @param sourcePort the configured source port
 * @param sourceUser the replication user
 * @param connectRetrySeconds the seconds between connection attempts
 * @param sourceServerId the source's {@code server_id}; 0 until the IO thread has connected
 * @param sourceUuid the source's {@code server_uuid} on MySQL; empty on MariaDB, which has none
 * @param ioState the IO (receiver) thread's state
 * @param lastIoError the IO thread's last error
 * @param sqlState the SQL (applier) thread's state
 * @param lastSqlError the SQL thread's last error
 * @param secondsBehindSource the server's own lag estimate; empty when it cannot tell (the SQL thread is stopped
 *     or the IO thread is not connected)
 * @param sqlDelaySeconds the configured delayed-replication interval
 * @param autoPosition true if the replica finds its place in the source's binlog by GTID (MySQL
 *     {@code SOURCE_AUTO_POSITION}, MariaDB {@code MASTER_USE_GTID} other than {@code no})
 * @param usingGtid true if replication uses GTIDs; the same as {@code autoPosition} for both flavors today
 * @param hasReplicationFilters true if any {@code replicate_*} filter is set, so the replica may lack data
 * @param sslAllowed true if the replication connection may use TLS
 */
public record ReplicationStatus(
        GtidPosition position,
        GtidPosition relayLogPosition,
        Optional<BinlogFilePosition> filePosition,
        Optional<BinlogFilePosition> relayLogSourceBinlogEquivalentPosition,
        Optional<BinlogFilePosition> relayLogFilePosition,
        String sourceHost,
        int sourcePort,
        String sourceUser,
        int connectRetrySeconds,
        long sourceServerId,
        String sourceUuid,
        ReplicationState ioState,
        ReplicationError lastIoError,
        ReplicationState sqlState,
        ReplicationError lastSqlError,
        OptionalLong secondsBehindSource,
        long sqlDelaySeconds,
        boolean autoPosition,
        boolean usingGtid,
        boolean hasReplicationFilters,
        boolean sslAllowed) {

    /** Returns true if both threads run. */
    public boolean running() {
        return ioState == ReplicationState.RUNNING && sqlState == ReplicationState.RUNNING;
    }

    /**
     * Returns true if the IO thread is connected, or connecting without having failed yet: a replica that is only
     * starting up is not reported as broken.
     */
    public boolean ioHealthy() {
        return ioState == ReplicationState.RUNNING
                || (ioState == ReplicationState.CONNECTING && !lastIoError.isPresent());
    }

    /** Returns true if the SQL thread runs. */
    public boolean sqlHealthy() {
        return sqlState == ReplicationState.RUNNING;
    }
}
