package io.tessera.tablet.flavor;

/**
 * Which of its positions a server asks a new source to continue from; see
 * {@link Flavor#setReplicationSource(ReplicationSource, ResumeFrom)}.
 *
 * <p>The choice matters on MariaDB only. A MariaDB replica resumes from {@code gtid_slave_pos}, the last GTIDs it
 * applied as a replica. A server that was primary since then wrote newer transactions to its binary log that
 * {@code gtid_slave_pos} does not show, so resuming from it would ask the new source for old transactions (and
 * fail once the source purged them, or replay them on top of the server's own). MySQL always resumes from
 * {@code gtid_executed}, which includes both.
 */
public enum ResumeFrom {
    /** The server has been a replica all along: resume from what it applied as one. */
    REPLICA_POSITION,
    /**
     * The server took writes as a primary (a demoted primary, or one of unknown history): first make its
     * replica position include everything in its binary log, then resume from that.
     *
     * <p>MariaDB 10.10 and later merge the binlog position into the replica position domain by domain
     * ({@code MASTER_DEMOTE_TO_SLAVE}), which is safe on any server. Older releases can only replace the replica
     * position with the binlog position, which loses it on a server whose binary log was reset (one restored from a
     * backup); there, use this only for a server that wrote its binary log as a primary.
     */
    EXECUTED_POSITION
}
