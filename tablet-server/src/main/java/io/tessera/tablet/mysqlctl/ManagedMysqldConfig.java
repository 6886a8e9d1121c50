package io.tessera.tablet.mysqlctl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a tablet runs its own mysqld. Build one with {@link #builder(long, Path)}; every field but the uid and the
 * data root has a default.
 *
 * @param tabletUid the tablet uid: names the directory and is the server_id; 1..4294967295
 * @param dataRoot the directory holding the tablet directories and the shared template datadir
 *     ({@code $VTDATAROOT} in Vitess)
 * @param templateRoot where the template datadir lives; by default the data root, so tablets on one machine share
 *     one template
 * @param port the MySQL TCP port ({@code --mysql_port}); default 17000 + uid
 * @param bindAddress the address mysqld listens on; default {@code 127.0.0.1}
 * @param hostname the host name replicas use to reach this server; default the bind address, or this machine's
 *     name when the bind address is a wildcard
 * @param mysqldPath the mysqld binary ({@code --mysqld-path}); when empty, {@code mariadbd} or {@code mysqld} is
 *     looked up on PATH and in /usr/sbin
 * @param dbName the keyspace database to create on first start ({@code vt_<keyspace>} or
 *     {@code --init_db_name_override}), if the tablet has a keyspace
 * @param credentials the role users created on first start
 * @param extraMyCnf lines appended to the {@code [mysqld]} section of my.cnf, so they override the defaults
 * @param startReadOnly whether mysqld starts with {@code read_only=ON}; the tablet turns it off when it becomes
 *     primary, so a restarted server never takes writes it should not
 * @param startAsReplica whether mysqld starts in the replica role ({@code init_rpl_role=SLAVE}): its crash
 *     recovery then rolls back transactions that were written to the binary log but never acknowledged by a
 *     semi-sync replica, and truncates them from the binary log, so a failed primary can rejoin its shard
 * @param maxBinlogSizeBytes {@code max_binlog_size}
 * @param binlogExpire {@code binlog_expire_logs_seconds}
 * @param startTimeout how long to wait for a started mysqld to answer
 * @param shutdownTimeout how long to wait after SIGTERM before SIGKILL
 * @param installTimeout how long {@code mariadb-install-db} may run for the template
 */
public record ManagedMysqldConfig(
        long tabletUid,
        Path dataRoot,
        Path templateRoot,
        int port,
        String bindAddress,
        String hostname,
        Optional<Path> mysqldPath,
        Optional<String> dbName,
        DbCredentials credentials,
        List<String> extraMyCnf,
        boolean startReadOnly,
        boolean startAsReplica,
        long maxBinlogSizeBytes,
        Duration binlogExpire,
        Duration startTimeout,
        Duration shutdownTimeout,
        Duration installTimeout) {

    /** The port of tablet uid U defaults to this plus U, as in the Vitess local example. */
    public static final int DEFAULT_PORT_BASE = 17000;
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final long DEFAULT_MAX_BINLOG_SIZE = 64L * 1024 * 1024;
    public static final Duration DEFAULT_BINLOG_EXPIRE = Duration.ofDays(1);
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_INSTALL_TIMEOUT = Duration.ofSeconds(120);

    private static final long MAX_UID = 4_294_967_295L;

    public ManagedMysqldConfig {
        Objects.requireNonNull(dataRoot, "dataRoot");
        Objects.requireNonNull(templateRoot, "templateRoot");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(mysqldPath, "mysqldPath");
        Objects.requireNonNull(dbName, "dbName");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(extraMyCnf, "extraMyCnf");
        Objects.requireNonNull(binlogExpire, "binlogExpire");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(installTimeout, "installTimeout");
        if (tabletUid < 1 || tabletUid > MAX_UID) {
            throw new IllegalArgumentException("tablet uid " + tabletUid + " is not in 1.." + MAX_UID
                    + " (it becomes the server_id, and server_id 0 cannot replicate)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("MySQL port " + port + " is not in 1..65535; for tablet uid "
                    + tabletUid + " set the port explicitly (--mysql_port)");
        }
        if (bindAddress.isBlank()) {
            throw new IllegalArgumentException("bind address must not be blank");
        }
        if (hostname.isBlank()) {
            throw new IllegalArgumentException("hostname must not be blank");
        }
        dataRoot = dataRoot.toAbsolutePath().normalize();
        templateRoot = templateRoot.toAbsolutePath().normalize();
        checkPlainPath("data root", dataRoot);
        checkPlainPath("template root", templateRoot);
        mysqldPath.ifPresent(p -> checkPlainPath("--mysqld-path", p));
        dbName.ifPresent(DbNames::check);
        extraMyCnf = List.copyOf(extraMyCnf);
        for (String line : extraMyCnf) {
            checkExtraLine(line);
        }
        if (maxBinlogSizeBytes < 4096 || maxBinlogSizeBytes > 1024L * 1024 * 1024) {
            throw new IllegalArgumentException(
                    "max_binlog_size " + maxBinlogSizeBytes + " is not in 4096..1073741824 bytes (MySQL's limits)");
        }
        if (binlogExpire.isNegative() || binlogExpire.toSeconds() > 8_553_600L) {
            throw new IllegalArgumentException(
                    "binlog expiry " + binlogExpire + " is not in 0..99 days (0 keeps binlogs forever)");
        }
        requirePositive("start timeout", startTimeout);
        requirePositive("shutdown timeout", shutdownTimeout);
        requirePositive("install timeout", installTimeout);
    }

    /** A builder with every default set. */
    public static Builder builder(long tabletUid, Path dataRoot) {
        return new Builder(tabletUid, dataRoot);
    }

    /** The tablet's directory under the data root. */
    public TabletDir tabletDir() {
        return TabletDir.of(dataRoot, tabletUid);
    }

    private static void requirePositive(String what, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }

    /** my.cnf values are written unquoted, so paths with blanks, quotes or comment characters are refused. */
    private static void checkPlainPath(String what, Path path) {
        String text = path.toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == '#' || c == ';' || c == '"' || c == '\'' || c == '\\') {
                throw new IllegalArgumentException(what + " " + text
                        + " contains a blank, quote, backslash, '#' or ';', which my.cnf cannot hold; use a plain path");
            }
        }
    }

    private static void checkExtraLine(String line) {
        Objects.requireNonNull(line, "extra my.cnf line");
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("extra my.cnf line must be a single line: " + line.strip());
        }
        if (line.strip().startsWith("[") || line.strip().startsWith("!")) {
            throw new IllegalArgumentException("extra my.cnf line '" + line
                    + "' would start a new section or include a file; give [mysqld] settings only");
        }
    }

    /** Builds a {@link ManagedMysqldConfig}; unset fields keep their defaults. */
    public static final class Builder {
        private final long tabletUid;
        private final Path dataRoot;
        private Path templateRoot;
        private Integer port;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private String hostname;
        private Optional<Path> mysqldPath = Optional.empty();
        private Optional<String> dbName = Optional.empty();
        private DbCredentials credentials = DbCredentials.defaults();
        private final List<String> extraMyCnf = new ArrayList<>();
        private boolean startReadOnly = true;
        private boolean startAsReplica;
        private long maxBinlogSizeBytes = DEFAULT_MAX_BINLOG_SIZE;
        private Duration binlogExpire = DEFAULT_BINLOG_EXPIRE;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration installTimeout = DEFAULT_INSTALL_TIMEOUT;

        private Builder(long tabletUid, Path dataRoot) {
            this.tabletUid = tabletUid;
            this.dataRoot = Objects.requireNonNull(dataRoot, "dataRoot");
        }

        public Builder templateRoot(Path value) {
            templateRoot = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder bindAddress(String value) {
            bindAddress = value;
            return this;
        }

        public Builder hostname(String value) {
            hostname = value;
            return this;
        }

        public Builder mysqldPath(Path value) {
            mysqldPath = Optional.of(value);
            return this;
        }

        /** The keyspace database: {@code vt_<keyspace>}. */
        public Builder keyspace(String keyspace) {
            dbName = Optional.of(DbNames.forKeyspace(keyspace, Optional.empty()));
            return this;
        }

        /** The keyspace database by name ({@code --init_db_name_override}). */
        public Builder dbName(String value) {
            dbName = Optional.of(value);
            return this;
        }

        public Builder credentials(DbCredentials value) {
            credentials = value;
            return this;
        }

        /** Appends one line to the {@code [mysqld]} section, for example {@code "sync_binlog=1"}. */
        public Builder extraMyCnf(String line) {
            extraMyCnf.add(line);
            return this;
        }

        public Builder startReadOnly(boolean value) {
            startReadOnly = value;
            return this;
        }

        /** Starts mysqld in the replica role; see {@link ManagedMysqldConfig#startAsReplica()}. Off by default. */
        public Builder startAsReplica(boolean value) {
            startAsReplica = value;
            return this;
        }

        public Builder maxBinlogSizeBytes(long value) {
            maxBinlogSizeBytes = value;
            return this;
        }

        public Builder binlogExpire(Duration value) {
            binlogExpire = value;
            return this;
        }

        public Builder startTimeout(Duration value) {
            startTimeout = value;
            return this;
        }

        public Builder shutdownTimeout(Duration value) {
            shutdownTimeout = value;
            return this;
        }

        public Builder installTimeout(Duration value) {
            installTimeout = value;
            return this;
        }

        /**
         * The config.
         *
         * @throws IllegalArgumentException if a value is out of range; the message names it
         */
        public ManagedMysqldConfig build() {
            long defaultPort = DEFAULT_PORT_BASE + tabletUid;
            int effectivePort = port != null ? port : (defaultPort > 65535 ? -1 : (int) defaultPort);
            if (effectivePort == -1) {
                throw new IllegalArgumentException("the default MySQL port 17000 + uid = " + defaultPort
                        + " is above 65535 for tablet uid " + tabletUid + "; set the port explicitly (--mysql_port)");
            }
            return new ManagedMysqldConfig(tabletUid, dataRoot, templateRoot != null ? templateRoot : dataRoot,
                    effectivePort, bindAddress, hostname != null ? hostname : defaultHostname(bindAddress), mysqldPath,
                    dbName, credentials, extraMyCnf, startReadOnly, startAsReplica, maxBinlogSizeBytes, binlogExpire, startTimeout,
                    shutdownTimeout, installTimeout);
        }

        private static String defaultHostname(String bind) {
            if (!isWildcard(bind)) {
                return bind;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("mysqld binds to " + bind
                        + " and this machine's host name cannot be resolved; set the hostname explicitly", e);
            }
        }
    }

    static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("*");
    }
}
