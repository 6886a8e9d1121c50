package io.tessera.tablet.daemon;

import io.tessera.tablet.mysqlctl.MysqlDaemon;
import io.tessera.common.cli.CommandRunner;
import io.tessera.common.cli.CommonOptions;
import io.tessera.common.cli.ExitCodes;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.tablet.queryservice.QueryServiceFlags;
import io.tessera.tablet.registration.TabletIdentity;
import io.tessera.topo.cli.TopoFlags;
import io.tessera.topo.topoproto.TabletAliases;
import io.tessera.topo.topoproto.TabletTypes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code tessera-tablet} daemon: one tablet in front of one mysqld. Parses the flags (Vitess's names, in either
 * spelling) and runs a {@link TabletDaemon} until SIGTERM.
 */
@Command(name = "tessera-tablet", sortOptions = false,
        description = "Serves one MySQL as a Tessera tablet: query service and tablet manager over gRPC, health, "
                + "schema, and a status page over HTTP. Runs its own mysqld (managed) unless --db-host or "
                + "--db-socket names one it does not own (external).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:--help printed the flags.",
            "1:Bad flags, or the tablet could not start (the reason is on stderr).",
            "143:Stopped by SIGTERM after a clean shutdown."
        })
public final class TabletMain implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    @Option(names = "--tablet-path", required = true, paramLabel = "CELL-UID",
            description = "The tablet alias, e.g. zone1-100.")
    String tabletPath;

    @Option(names = "--init-keyspace", required = true, paramLabel = "KEYSPACE", description = "The tablet's keyspace.")
    String keyspace;

    @Option(names = "--init-shard", required = true, paramLabel = "SHARD", description = "The tablet's shard, e.g. 0 or -80.")
    String shard;

    @Option(names = "--init-tablet-type", defaultValue = "replica", paramLabel = "TYPE",
            description = "replica, rdonly or spare (default: ${DEFAULT-VALUE}); a tablet becomes primary only "
                    + "through a reparent.")
    String initTabletType;

    @Option(names = "--init-db-name-override", paramLabel = "DB",
            description = "Serve this database instead of vt_<keyspace>.")
    String dbNameOverride;

    @Option(names = "--init-tags", paramLabel = "KEY:VALUE[,KEY:VALUE]", split = ",",
            description = "Labels stored in the tablet record.")
    String[] tags;

    @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
            description = "HTTP port: /debug/status, /healthz, /metrics (default: 15000 + uid).")
    int httpPort;

    @Option(names = "--grpc-port", defaultValue = "0", paramLabel = "PORT",
            description = "gRPC port: Query and TabletManager services (default: 16000 + uid).")
    int grpcPort;

    @Option(names = "--multiplex-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the framed multiplex stream that gates send plain Executes on (a lighter "
                    + "transport than gRPC for the same messages; published in the tablet record). 0: any free "
                    + "port; -1: none, gates use gRPC streams (default: 0).")
    int multiplexPort;

    @Option(names = "--bind-address", defaultValue = "", paramLabel = "ADDR",
            description = "Address the HTTP, gRPC and multiplex ports listen on (default: all interfaces).")
    String bindAddress;

    @Option(names = "--tablet-hostname", paramLabel = "HOST",
            description = "The host name other processes reach this tablet at (default: this machine's name).")
    String hostname;

    @Mixin TopoFlags topo;
    @Mixin MysqlFlags mysql;
    @Mixin QueryServiceFlags queryService;
    @Mixin HealthFlags health;

    public static void main(String[] args) {
        System.exit(CommandRunner.onConsole().run(new TabletMain(), args));
    }

    @Override
    public Integer call() throws Exception {
        TabletConfig config = config();
        TabletDaemon daemon;
        try {
            daemon = TabletDaemon.start(config, new TabletDaemon.MysqldOpener() {
                @Override
                public MysqlDaemon open(long uid, String dbName) {
                    return mysql.open(uid, dbName, false);
                }

                @Override
                public MysqlDaemon open(long uid, String dbName, boolean primary) {
                    return mysql.open(uid, dbName, primary);
                }
            });
        } catch (Exception e) {
            spec.commandLine().getErr().println("tessera-tablet: cannot start: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "tessera-tablet-shutdown"));
        daemon.awaitTermination();
        return ExitCodes.OK;
    }

    /** The typed config the flags describe; an inconsistent combination is a usage error. */
    TabletConfig config() {
        try {
            TabletAlias alias = TabletAliases.parse(tabletPath);
            long uid = Integer.toUnsignedLong(alias.getUid());
            String host = hostname != null ? hostname : localHostName();
            int mysqlPort = mysql.external() ? mysql.dbPort : (mysql.mysqlPort != 0 ? mysql.mysqlPort : (int) (17000 + uid));
            String mysqlHost = mysql.external() && mysql.dbHost != null ? mysql.dbHost : host;
            TabletIdentity identity = new TabletIdentity(alias, host,
                    httpPort != 0 ? httpPort : (int) (15000 + uid), grpcPort != 0 ? grpcPort : (int) (16000 + uid),
                    keyspace, shard, TabletTypes.parse(initTabletType), Optional.ofNullable(dbNameOverride),
                    mysqlHost, mysqlPort, parseTags(tags));
            return new TabletConfig(identity, topo.address(), bindAddress, queryService.toConfig(), health.toConfig(),
                    health.schemaReloadTime, queryService.nativePoolSize(), queryService.nativePreparedStatements(),
                    multiplexPort);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static Map<String, String> parseTags(String[] tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags != null) {
            for (String t : tags) {
                int colon = t.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("--init-tags entry '" + t + "' is not KEY:VALUE");
                }
                out.put(t.substring(0, colon), t.substring(colon + 1));
            }
        }
        return out;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
