package io.tessera.tablet.flavor;

import io.tessera.replication.BinlogFilePosition;
import io.tessera.replication.GtidPosition;

import java.util.Optional;

/**
 * A server's own replication coordinates as a source.
 *
 * @param position the GTIDs written to its binary log (MariaDB {@code @@gtid_binlog_pos}, MySQL
 *     {@code @@gtid_executed})
 * @param filePosition the current binary log file and offset, when binary logging is on
 * @param serverUuid the server's {@code server_uuid} on MySQL; empty on MariaDB, which has none
 */
public record PrimaryStatus(GtidPosition position, Optional<BinlogFilePosition> filePosition, String serverUuid) {
    public PrimaryStatus {
        if (position == null || filePosition == null || serverUuid == null) {
            throw new IllegalArgumentException("a primary status has a position, an optional file position and a "
                    + "server UUID (empty on MariaDB)");
        }
    }
}
