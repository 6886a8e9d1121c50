package io.tessera.tablet.mysqlctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mysqld the tablet runs itself (MariaDB). {@link #start()} lays out the tablet directory, copies the shared
 * template datadir on first use, writes my.cnf, starts mysqld as a child process, waits until it answers and, on
 * the first start only, creates the role users and the {@code _vt} and keyspace databases. {@link #shutdown()}
 * sends SIGTERM and waits; a server stuck past the shutdown timeout gets SIGKILL.
 *
 * <p>A server already running for this tablet directory (for example left by a tablet that restarted) is adopted
 * rather than started twice. Closing this object stops the server, so tests can use try-with-resources:
 *
 * <pre>{@code
 * ManagedMysqldConfig config = ManagedMysqldConfig.builder(100, tempDir)
 *         .port(FreePorts.next()).keyspace("commerce").build();
 * try (ManagedMysqld mysqld = ManagedMysqld.startNew(config);
 *      Connection c = mysqld.app().connect()) {
 *     ...
 * }
 * }</pre>
 */
public final class ManagedMysqld implements MysqlDaemon, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ManagedMysqld.class);
    private static final Duration PROBE_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final ManagedMysqldConfig config;
    private final TabletDir dir;
    private final List<Path> searchPath;
    private final OsUser osUser;
    private final MysqlEndpoint endpoint;
    private final Object lifecycle = new Object();
    private MysqldProcess process; // guarded by lifecycle

    /**
     * A daemon for {@code config}; nothing happens until {@link #start()}.
     *
     * @throws IllegalArgumentException if two roles share a user name or a role uses the name of the server's
     *     administrative account (root, or the OS user running the tablet)
     */
    public ManagedMysqld(ManagedMysqldConfig config) {
        this(config, MysqldBinaries.defaultSearchPath(), OsUser.current());
    }

    ManagedMysqld(ManagedMysqldConfig config, List<Path> searchPath, OsUser osUser) {
        this.config = Objects.requireNonNull(config, "config");
        this.searchPath = List.copyOf(searchPath);
        this.osUser = osUser;
        this.dir = config.tabletDir();
        this.endpoint = MysqlEndpoint.tcpAndSocket(config.hostname(), config.port(), dir.socket());
        checkUserNames(config.credentials(), osUser);
    }

    /**
     * Creates a daemon for {@code config} and starts it: the one call a test needs for a running MariaDB with the
     * tablet's users and databases. Close it to stop the server.
     */
    public static ManagedMysqld startNew(ManagedMysqldConfig config) {
        ManagedMysqld mysqld = new ManagedMysqld(config);
        mysqld.start();
        return mysqld;
    }

    public ManagedMysqldConfig config() {
        return config;
    }

    /** The tablet directory: my.cnf, datadir, logs, socket, pid file. */
    public TabletDir dir() {
        return dir;
    }

    @Override
    public boolean isManaged() {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>This does not run {@link #checkReplicationSettings()}: the generated my.cnf satisfies it unless extra
     * lines override it, and tests sometimes want such a server on purpose. The tablet runs the check at start in
     * both modes.
     */
    @Override
    public void start() {
        synchronized (lifecycle) {
            if (process != null && process.isAlive()) {
                return;
            }
            MysqldBinaries binaries = MysqldBinaries.locate(config.mysqldPath(), searchPath);
            prepareDirectory(binaries);
            MysqldProcess running = MysqldProcess.fromPidFile(dir).orElse(null);
            boolean launched = running == null;
            if (launched) {
                running = MysqldProcess.launch(binaries.mysqld(), dir);
            } else {
                log.info("adopting mysqld pid {} already running for {}", running.pid(), dir.path());
            }
            try {
                running.awaitAnswering(adminConnector(), config.startTimeout(), dir);
                initialiseOnce();
            } catch (RuntimeException e) {
                if (launched) {
                    // Never leave a half-started server behind.
                    stopQuietly(running);
                }
                throw e;
            }
            process = running;
        }
    }

    @Override
    public void shutdown() {
        synchronized (lifecycle) {
            MysqldProcess running = current();
            if (running != null) {
                running.stop(config.shutdownTimeout());
            }
            process = null;
        }
    }

    /**
     * Kills mysqld with SIGKILL, as a crash would, and waits for it to go. For tests of crash handling; a later
     * {@link #start()} recovers the server.
     */
    public void kill() {
        synchronized (lifecycle) {
            MysqldProcess running = current();
            if (running != null) {
                log.warn("killing mysqld pid {} with SIGKILL", running.pid());
                running.kill();
            }
            process = null;
        }
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /** The pid of the running mysqld, if one runs for this tablet directory. */
    public OptionalLong pid() {
        synchronized (lifecycle) {
            MysqldProcess running = current();
            return running == null ? OptionalLong.empty() : OptionalLong.of(running.pid());
        }
    }

    @Override
    public boolean isRunning() {
        return Liveness.answers(dba().withConnectTimeout(PROBE_CONNECT_TIMEOUT));
    }

    @Override
    public void checkReplicationSettings() {
        try (Connection c = dba().connect()) {
            ReplicationSettingsCheck.Outcome outcome = ReplicationSettingsCheck.inspect(c,
                    OptionalLong.of(config.tabletUid()));
            if (!outcome.problems().isEmpty()) {
                throw new MysqldException(ReplicationSettingsCheck.message(endpoint.describe(), outcome));
            }
        } catch (SQLException e) {
            throw new MysqldException("cannot read the replication settings of mysqld at " + endpoint.describe()
                    + " as " + config.credentials().dba().user() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public MysqlEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public long serverId() {
        return config.tabletUid();
    }

    @Override
    public DbConnector dba() {
        return new DbConnector(endpoint, config.credentials().dba());
    }

    @Override
    public DbConnector app() {
        DbConnector app = new DbConnector(endpoint, config.credentials().app());
        return config.dbName().map(app::withDatabase).orElse(app);
    }

    @Override
    public ReplicationParams replicationParams() {
        DbUser repl = config.credentials().repl();
        return new ReplicationParams(config.hostname(), config.port(), repl.user(), repl.password());
    }

    @Override
    public String toString() {
        return "ManagedMysqld[uid=" + config.tabletUid() + ", " + endpoint.describe() + ", " + dir.path() + "]";
    }

    /** The process running for this directory: ours, or one found through the pid file. Caller holds the lock. */
    private MysqldProcess current() {
        if (process != null && process.isAlive()) {
            return process;
        }
        return MysqldProcess.fromPidFile(dir).orElse(null);
    }

    private void prepareDirectory(MysqldBinaries binaries) {
        try {
            Files.createDirectories(dir.path());
            Files.createDirectories(dir.tmpDir());
            Files.createDirectories(dir.binlogDir());
            Files.createDirectories(dir.relayLogDir());
            MysqlEndpoint.checkSocketPath(dir.socket());
            if (!Files.isDirectory(dir.dataDir())) {
                TemplateDatadir template = new TemplateDatadir(config.templateRoot(), binaries, osUser,
                        config.installTimeout());
                template.ensure();
                template.copyTo(dir.dataDir());
                log.info("copied template datadir to {}", dir.dataDir());
            }
            Files.writeString(dir.myCnf(), MyCnf.render(config, dir, osUser.root()));
        } catch (IOException e) {
            throw new MysqldException("cannot prepare tablet directory " + dir.path() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MysqldException(e.getMessage(), e);
        }
    }

    /**
     * Creates users and databases unless a previous start finished doing so. The marker is written only after
     * every statement succeeded, so a crash midway repeats the (idempotent) setup at the next start.
     */
    private void initialiseOnce() {
        if (Files.exists(dir.initMarker())) {
            return;
        }
        try {
            ServerInit.run(adminConnector(), config.credentials(), config.dbName());
            Files.writeString(dir.initMarker(), "initialised " + Instant.now() + "\n");
        } catch (SQLException e) {
            throw new MysqldException("mysqld for tablet " + config.tabletUid()
                    + " started, but creating its users and databases failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MysqldException("cannot write " + dir.initMarker() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The account {@code mariadb-install-db} created for the OS user running the tablet; it authenticates by the
     * unix socket's peer credentials, so it needs no password and works only locally.
     */
    private DbConnector adminConnector() {
        return new DbConnector(MysqlEndpoint.tcpAndSocket(config.hostname(), config.port(), dir.socket()),
                new DbUser(osUser.name(), ""), Optional.empty(), PROBE_CONNECT_TIMEOUT);
    }

    private void stopQuietly(MysqldProcess running) {
        try {
            running.stop(config.shutdownTimeout());
        } catch (RuntimeException e) {
            log.warn("could not stop mysqld pid {} after a failed start: {}", running.pid(), e.getMessage());
        }
    }

    /**
     * Managed mode creates each role's user with {@code CREATE OR REPLACE USER}, so two roles sharing a name would
     * overwrite each other's grants, and a role named like the administrative account would replace it.
     */
    private static void checkUserNames(DbCredentials credentials, OsUser osUser) {
        List<String> names = List.of(credentials.dba().user(), credentials.app().user(), credentials.repl().user());
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("managed mysqld needs distinct dba, app and repl user names, got "
                    + names);
        }
        for (String name : names) {
            if (name.equals("root") || name.equals(osUser.name()) || name.equals("mariadb.sys")) {
                throw new IllegalArgumentException("user name '" + name
                        + "' is reserved for the server's own administrative account; choose another");
            }
        }
    }
}
