package io.tessera.tablet.flavor;

import io.tessera.replication.GtidPosition;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the columns that {@code SHOW SLAVE STATUS} and {@code SHOW REPLICA STATUS} share across flavors. Every
 * lookup tries MySQL 8.0.22's new name first ({@code Source_Host}, {@code Replica_IO_Running}) and then the old
 * one that MariaDB and older MySQL use ({@code Master_Host}, {@code Slave_IO_Running}). The GTID columns differ by
 * flavor, so the flavor passes the positions in.
 */
final class ReplicaStatusColumns {
    /** Filters that make a replica skip part of its source's changes (the domain filters are MariaDB's). */
    private static final List<String> FILTERS = List.of("Replicate_Do_DB", "Replicate_Ignore_DB",
            "Replicate_Do_Table", "Replicate_Ignore_Table", "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table",
            "Replicate_Rewrite_DB", "Replicate_Do_Domain_Ids", "Replicate_Ignore_Domain_Ids");

    private ReplicaStatusColumns() {}

    /**
     * Picks the row of the default replication connection (MariaDB {@code Connection_name} or MySQL
     * {@code Channel_Name} empty) from a status result; Tessera never configures named connections or channels.
     *
     * @return the row, or empty if the server replicates through no default connection
     */
    static Optional<StatusRow> defaultConnection(List<Map<String, String>> rows, String nameColumn) {
        return rows.stream().map(StatusRow::new)
                .filter(row -> row.text(nameColumn).isEmpty())
                .findFirst();
    }

    static ReplicationStatus parse(StatusRow row, GtidPosition position, GtidPosition relayLogPosition,
            String sourceUuid, boolean autoPosition) {
        return new ReplicationStatus(
                position,
                relayLogPosition,
                row.filePosition(names("Relay_Source_Log_File", "Relay_Master_Log_File"),
                        names("Exec_Source_Log_Pos", "Exec_Master_Log_Pos")),
                row.filePosition(names("Source_Log_File", "Master_Log_File"),
                        names("Read_Source_Log_Pos", "Read_Master_Log_Pos")),
                row.filePosition(names("Relay_Log_File"), names("Relay_Log_Pos")),
                row.text("Source_Host", "Master_Host"),
                row.intOrZero("Source_Port", "Master_Port"),
                row.text("Source_User", "Master_User"),
                row.intOrZero("Connect_Retry"),
                row.longOrZero("Source_Server_Id", "Master_Server_Id"),
                sourceUuid,
                ReplicationState.fromColumn(row.text("Replica_IO_Running", "Slave_IO_Running")),
                error(row, "Last_IO_Errno", "Last_IO_Error"),
                ReplicationState.fromColumn(row.text("Replica_SQL_Running", "Slave_SQL_Running")),
                error(row, "Last_SQL_Errno", "Last_SQL_Error"),
                row.number("Seconds_Behind_Source", "Seconds_Behind_Master"),
                row.longOrZero("SQL_Delay"),
                autoPosition,
                autoPosition,
                FILTERS.stream().anyMatch(filter -> !row.text(filter).isBlank()),
                row.text("Source_SSL_Allowed", "Master_SSL_Allowed").equalsIgnoreCase("Yes"));
    }

    private static ReplicationError error(StatusRow row, String errnoColumn, String messageColumn) {
        int errno = row.intOrZero(errnoColumn);
        String message = row.text(messageColumn);
        return errno == 0 && message.isEmpty() ? ReplicationError.NONE : new ReplicationError(errno, message);
    }

    private static String[] names(String... names) {
        return names;
    }
}
