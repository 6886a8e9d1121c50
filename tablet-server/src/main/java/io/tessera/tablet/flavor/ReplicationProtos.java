package io.tessera.tablet.flavor;

import io.tessera.replication.BinlogFilePosition;
import io.tessera.replication.Positions;

import io.tessera.proto.replicationdata.Status;

/** Converts replication state to the {@code replicationdata} messages that tablets report over RPC. */
public final class ReplicationProtos {
    private ReplicationProtos() {}

    /**
     * The {@code replicationdata.Status} of {@code status}. Positions are encoded with {@link Positions}, file
     * positions as {@code FilePos/<file>:<offset>} (empty when unknown), and an unknown lag as
     * {@code replication_lag_unknown} with a lag of 0. Errors carry their message only, as in Vitess; a
     * consumer tells "no error" from an empty message.
     */
    public static Status toProto(ReplicationStatus status) {
        return Status.newBuilder()
                .setPosition(Positions.encode(status.position()))
                .setRelayLogPosition(Positions.encode(status.relayLogPosition()))
                .setFilePosition(status.filePosition().map(BinlogFilePosition::encode).orElse(""))
                .setRelayLogSourceBinlogEquivalentPosition(status.relayLogSourceBinlogEquivalentPosition()
                        .map(BinlogFilePosition::encode).orElse(""))
                .setRelayLogFilePosition(status.relayLogFilePosition().map(BinlogFilePosition::encode).orElse(""))
                .setSourceHost(status.sourceHost())
                .setSourcePort(status.sourcePort())
                .setSourceUser(status.sourceUser())
                .setConnectRetry(status.connectRetrySeconds())
                .setSourceServerId(uint32(status.sourceServerId()))
                .setSourceUuid(status.sourceUuid())
                .setIoState(status.ioState().protoValue())
                .setLastIoError(status.lastIoError().message())
                .setSqlState(status.sqlState().protoValue())
                .setLastSqlError(status.lastSqlError().message())
                .setReplicationLagSeconds(uint32(status.secondsBehindSource().orElse(0)))
                .setReplicationLagUnknown(status.secondsBehindSource().isEmpty())
                .setSqlDelay(uint32(status.sqlDelaySeconds()))
                .setAutoPosition(status.autoPosition())
                .setUsingGtid(status.usingGtid())
                .setHasReplicationFilters(status.hasReplicationFilters())
                .setSslAllowed(status.sslAllowed())
                .build();
    }

    /** The {@code replicationdata.PrimaryStatus} of {@code status}. */
    public static io.tessera.proto.replicationdata.PrimaryStatus toProto(PrimaryStatus status) {
        return io.tessera.proto.replicationdata.PrimaryStatus.newBuilder()
                .setPosition(Positions.encode(status.position()))
                .setFilePosition(status.filePosition().map(BinlogFilePosition::encode).orElse(""))
                .setServerUuid(status.serverUuid())
                .build();
    }

    /** Fits an unsigned 32-bit proto field, saturating instead of wrapping around. */
    private static int uint32(long value) {
        return (int) Math.min(value, 0xFFFF_FFFFL);
    }
}
