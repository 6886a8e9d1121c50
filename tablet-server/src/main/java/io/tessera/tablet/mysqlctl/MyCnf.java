package io.tessera.tablet.mysqlctl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders the option files managed mode writes. Pure text: no I/O, so the contents are easy to test. */
final class MyCnf {
    private MyCnf() {}

    /**
     * The my.cnf of a tablet's mysqld. The file is rewritten at every start from the config, so the config (not
     * the file) is the place to change settings; {@link ManagedMysqldConfig#extraMyCnf()} lines come last in
     * {@code [mysqld]} and therefore win over the defaults.
     */
    static String render(ManagedMysqldConfig config, TabletDir dir, boolean runAsRoot) {
        List<String> lines = new ArrayList<>();
        lines.add("# my.cnf of tablet uid " + config.tabletUid() + ", written by tessera-tablet at every start.");
        lines.add("# Change the tablet's configuration rather than this file.");
        lines.add("");
        // [client] comes first so that extra lines, appended at the end, stay in [mysqld].
        lines.add("[client]");
        lines.add("socket=" + dir.socket());
        lines.add("port=" + config.port());
        lines.add("");
        lines.add("[mysqld]");
        if (runAsRoot) {
            // mariadbd refuses to run as root unless told to.
            lines.add("user=root");
        }
        lines.add("datadir=" + dir.dataDir());
        lines.add("tmpdir=" + dir.tmpDir());
        lines.add("socket=" + dir.socket());
        lines.add("pid-file=" + dir.pidFile());
        lines.add("log_error=" + dir.errorLog());
        lines.add("port=" + config.port());
        lines.add("bind_address=" + config.bindAddress());
        lines.add("server_id=" + config.tabletUid());
        lines.add("");
        lines.add("# Replication: GTIDs, row events with full images, replicas log what they apply.");
        lines.add("log_bin=" + dir.binlogBase());
        lines.add("relay_log=" + dir.relayLogBase());
        lines.add("relay_log_recovery=ON");
        lines.add("binlog_format=ROW");
        lines.add("binlog_row_image=FULL");
        lines.add("log_slave_updates=ON");
        lines.add("gtid_strict_mode=ON");
        lines.add("max_binlog_size=" + config.maxBinlogSizeBytes());
        lines.add("binlog_expire_logs_seconds=" + config.binlogExpire().toSeconds());
        lines.add("# The tablet decides when to replicate and when to take writes, not mysqld at boot.");
        lines.add("skip_slave_start=ON");
        lines.add("read_only=" + (config.startReadOnly() ? "ON" : "OFF"));
        if (config.startAsReplica()) {
            lines.add("# Not the shard's primary: crash recovery rolls back what no semi-sync replica acknowledged");
            lines.add("# (and truncates it from the binlog), so a failed primary can rejoin as a replica. The tablet");
            lines.add("# sets semi-sync acknowledgement per tablet type before replication starts.");
            lines.add("init_rpl_role=SLAVE");
            lines.add("rpl_semi_sync_slave_enabled=ON");
        }
        lines.add("");
        lines.add("skip_name_resolve=ON");
        lines.add("character_set_server=utf8mb4");
        lines.add("collation_server=utf8mb4_general_ci");
        lines.add("max_allowed_packet=64M");
        lines.add("max_connections=500");
        lines.add("");
        lines.add("# Small memory footprint; raise these with extra my.cnf lines for real workloads.");
        lines.addAll(smallFootprint());
        if (!config.extraMyCnf().isEmpty()) {
            lines.add("");
            lines.add("# Extra lines from the tablet's configuration.");
            lines.addAll(config.extraMyCnf());
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * The option file {@code mariadb-install-db} uses for the template datadir. The InnoDB sizes match the tablets'
     * so a copied datadir starts without resizing its redo log.
     */
    static String renderTemplate(Path dataDir, Path tmpDir, boolean runAsRoot) {
        List<String> lines = new ArrayList<>();
        lines.add("# Option file for initialising the template datadir that tablets copy.");
        lines.add("[mysqld]");
        if (runAsRoot) {
            lines.add("user=root");
        }
        lines.add("datadir=" + dataDir);
        lines.add("tmpdir=" + tmpDir);
        lines.add("character_set_server=utf8mb4");
        lines.add("collation_server=utf8mb4_general_ci");
        lines.addAll(smallFootprint());
        return String.join("\n", lines) + "\n";
    }

    private static List<String> smallFootprint() {
        return List.of(
                "performance_schema=OFF",
                "innodb_buffer_pool_size=32M",
                "innodb_log_file_size=16M",
                "innodb_log_buffer_size=2M",
                "key_buffer_size=1M",
                "aria_pagecache_buffer_size=1M",
                "query_cache_size=0",
                "table_open_cache=256");
    }
}
