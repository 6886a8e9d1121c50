package io.tessera.tablet.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.common.cli.CommandRunner;
import io.tessera.common.cli.ExitCodes;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.tablet.health.HealthConfig;
import io.tessera.tablet.queryservice.QueryServiceConfig;
import io.tessera.tablet.registration.TabletIdentity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * How {@code tessera-tablet}'s flags become its {@link TabletConfig}, and its usage text. Nothing here starts a
 * tablet: {@link TabletMain#call()} would start (or attach to) a mysqld, so command lines that parse are run through
 * {@link ConfigOnly}, which stops at {@link TabletMain#config()}.
 */
class TabletMainTest {

    @TempDir Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private final CommandRunner runner = new CommandRunner(new PrintWriter(out, true), new PrintWriter(err, true));

    /**
     * {@link TabletMain}'s flags (it is mixed in whole, with its own mixins), parsed by {@link CommandRunner} exactly
     * as for the daemon — spelling normalisation, config file, unknown config keys — but whose {@code call()} only
     * builds the config.
     */
    @Command(name = "tessera-tablet")
    static final class ConfigOnly implements Callable<Integer> {
        @Mixin TabletMain main;
        TabletConfig config;

        @Override
        public Integer call() {
            config = main.config();
            return ExitCodes.OK;
        }
    }

    /** The required flags, in Tessera's spelling, for tests about something else. */
    private static final List<String> REQUIRED = List.of("--tablet-path", "zone1-100", "--init-keyspace", "commerce",
            "--init-shard", "0", "--topo-address", "grpc://topo:15990", "--tablet-hostname", "tab1");

    private TabletConfig parse(String... args) {
        ConfigOnly command = new ConfigOnly();
        int code = runner.run(command, args);
        assertThat(code).as("exit code; stderr:\n%s", err).isEqualTo(ExitCodes.OK);
        return command.config;
    }

    /** {@link #REQUIRED} followed by {@code more}. */
    private TabletConfig parseWith(String... more) {
        List<String> args = new ArrayList<>(REQUIRED);
        args.addAll(List.of(more));
        return parse(args.toArray(String[]::new));
    }

    /** Runs a command line that must fail; {@link ConfigOnly} makes sure a wrongly accepted one starts nothing. */
    private int failure(String... args) {
        ConfigOnly command = new ConfigOnly();
        int code = runner.run(command, args);
        assertThat(command.config).as("config accepted for %s", List.of(args)).isNull();
        return code;
    }

    private int failureWith(String... more) {
        List<String> args = new ArrayList<>(REQUIRED);
        args.addAll(List.of(more));
        return failure(args.toArray(String[]::new));
    }

    @Test
    void vitessCommandLine() {
        TabletConfig c = parse("-tablet_path", "zone1-100", "-init_keyspace", "commerce", "-init_shard", "0",
                "-init_tablet_type", "rdonly", "-topo_implementation", "etcd2",
                "-topo_global_server_address", "h:2379", "-topo_global_root", "/vitess/global",
                "-tablet_hostname", "tab1");
        TabletIdentity id = c.identity();
        assertThat(id.alias()).isEqualTo(TabletAlias.newBuilder().setCell("zone1").setUid(100).build());
        assertThat(id.keyspace()).isEqualTo("commerce");
        assertThat(id.shard()).isEqualTo("0");
        assertThat(id.initType()).isEqualTo(TabletType.RDONLY);
        assertThat(id.hostname()).isEqualTo("tab1");
        assertThat(c.topoAddress()).isEqualTo("etcd://h:2379/vitess/global");
    }

    @Test
    void tesseraCommandLineAndDefaults() {
        TabletConfig c = parse("--tablet-path", "zone1-100", "--init-keyspace", "commerce", "--init-shard", "-80",
                "--topo-address", "grpc://h:15990", "--tablet-hostname=tab1");
        assertThat(c.topoAddress()).isEqualTo("grpc://h:15990");
        assertThat(c.bindAddress()).isEmpty();
        assertThat(c.identity()).isEqualTo(new TabletIdentity(
                TabletAlias.newBuilder().setCell("zone1").setUid(100).build(), "tab1", 15100, 16100, "commerce", "-80",
                TabletType.REPLICA, Optional.empty(), "tab1", 17100, Map.of()));
        assertThat(c.identity().dbName()).isEqualTo("vt_commerce");
        assertThat(c.queryService()).isEqualTo(QueryServiceConfig.defaults());
        assertThat(c.health()).isEqualTo(HealthConfig.defaults());
        assertThat(c.schemaReloadTime()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aliasMayBePaddedAndPortsFollowTheUid() {
        TabletIdentity id = parse("--tablet-path", "zone2-0000000201", "--init-keyspace", "ks", "--init-shard", "0",
                "--topo-address", "grpc://h:15990").identity();
        assertThat(id.alias()).isEqualTo(TabletAlias.newBuilder().setCell("zone2").setUid(201).build());
        assertThat(id.httpPort()).isEqualTo(15201);
        assertThat(id.grpcPort()).isEqualTo(16201);
        assertThat(id.mysqlPort()).isEqualTo(17201);
    }

    @Test
    void hostNameDefaultsToThisMachineForTheTabletAndItsManagedMysqld() {
        TabletIdentity id = parse("--tablet-path", "zone1-100", "--init-keyspace", "ks", "--init-shard", "0",
                "--topo-address", "grpc://h:15990").identity();
        assertThat(id.hostname()).isNotBlank();
        assertThat(id.mysqlHost()).isEqualTo(id.hostname());
    }

    @Test
    void portFlagsOverrideTheUidDefaults() {
        TabletConfig c = parseWith("--port", "8100", "-grpc_port=9100", "--mysql_port", "3310",
                "--bind-address", "127.0.0.1");
        assertThat(c.identity().httpPort()).isEqualTo(8100);
        assertThat(c.identity().grpcPort()).isEqualTo(9100);
        assertThat(c.identity().mysqlPort()).isEqualTo(3310);
        assertThat(c.identity().mysqlHost()).isEqualTo("tab1");
        assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void initTabletTypeAcceptsReplicaRdonlyBatchAndSpare() {
        assertThat(parseWith("--init-tablet-type", "replica").identity().initType()).isEqualTo(TabletType.REPLICA);
        assertThat(parseWith("--init_tablet_type", "RDONLY").identity().initType()).isEqualTo(TabletType.RDONLY);
        assertThat(parseWith("-init_tablet_type", "batch").identity().initType()).isEqualTo(TabletType.RDONLY);
        assertThat(parseWith("--init-tablet-type=spare").identity().initType()).isEqualTo(TabletType.SPARE);
    }

    @Test
    void initTabletTypePrimaryIsRefusedWithTheReason() {
        for (String type : List.of("primary", "master")) {
            assertThat(failureWith("--init-tablet-type", type)).isEqualTo(ExitCodes.FAILURE);
            assertThat(err.toString()).contains("--init_tablet_type primary is not allowed")
                    .contains("becomes primary through").contains("PlannedReparentShard");
        }
    }

    @Test
    void initTabletTypeOutsideTheStartingTypesIsRefused() {
        assertThat(failureWith("--init-tablet-type", "drained")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("must be replica, rdonly or spare, not drained");
        assertThat(failureWith("--init-tablet-type", "leader")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("unknown tablet type 'leader'");
    }

    @Test
    void initTags() {
        assertThat(parseWith("--init-tags", "region:eu,rack:r1", "-init_tags=url:http://x:1").identity().tags())
                .containsExactlyInAnyOrderEntriesOf(Map.of("region", "eu", "rack", "r1", "url", "http://x:1"));
        assertThat(parseWith().identity().tags()).isEmpty();
        assertThat(failureWith("--init-tags", "region:eu,rack")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("--init-tags entry 'rack' is not KEY:VALUE");
        assertThat(failureWith("--init-tags", ":eu")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("':eu' is not KEY:VALUE");
    }

    @Test
    void dbNameOverride() {
        TabletIdentity id = parseWith("--init_db_name_override", "legacy_db").identity();
        assertThat(id.dbNameOverride()).contains("legacy_db");
        assertThat(id.dbName()).isEqualTo("legacy_db");
    }

    @Test
    void externalModePutsTheDbHostAndPortInTheIdentity() {
        TabletIdentity id = parseWith("-db_host", "db1.example", "--db_port", "3307", "--mysql-port", "17999")
                .identity();
        assertThat(id.mysqlHost()).isEqualTo("db1.example");
        assertThat(id.mysqlPort()).as("--mysql-port is for managed mode only").isEqualTo(3307);
        assertThat(id.hostname()).isEqualTo("tab1");
        assertThat(id.httpPort()).isEqualTo(15100);
        assertThat(id.grpcPort()).isEqualTo(16100);

        TabletIdentity defaultPort = parseWith("--db-host", "db1.example").identity();
        assertThat(defaultPort.mysqlHost()).isEqualTo("db1.example");
        assertThat(defaultPort.mysqlPort()).isEqualTo(3306);
    }

    @Test
    void queryServiceFlagsInGoDurationSyntax() {
        QueryServiceConfig q = parseWith("--queryserver-config-transaction-timeout", "2s",
                "-queryserver_config_query_timeout=1m30s", "--queryserver_config_txpool_timeout", "500ms",
                "--queryserver-config-idle-timeout", "1h", "--queryserver-config-query-pool-timeout", "0.5",
                "--queryserver-config-stream-pool-timeout", "3s",
                "--queryserver-config-pool-size", "32", "--queryserver-config-stream-pool-size", "50",
                "--queryserver-config-transaction-cap", "100", "--queryserver-config-max-result-size", "500",
                "--queryserver-config-stream-buffer-size", "65536").queryService();
        assertThat(q).isEqualTo(new QueryServiceConfig(32, 50, 100, Duration.ofMillis(500), Duration.ofSeconds(90),
                Duration.ofSeconds(2), 500, Duration.ofHours(1), Duration.ofMillis(500), Duration.ofSeconds(3), 65536));
        assertThat(parseWith("--queryserver-config-query-timeout", "0").queryService().queryTimeout()).isZero();
    }

    @Test
    void healthFlagsInGoDurationSyntax() {
        TabletConfig c = parseWith("--health_check_interval", "500ms", "-heartbeat_interval=250ms",
                "--degraded_threshold", "10s", "--unhealthy-threshold", "1h30m",
                "--queryserver-config-schema-reload-time", "5m");
        assertThat(c.health()).isEqualTo(HealthConfig.defaults().withHealthCheckInterval(Duration.ofMillis(500))
                .withHeartbeatInterval(Duration.ofMillis(250))
                .withThresholds(Duration.ofSeconds(10), Duration.ofMinutes(90)));
        assertThat(c.health().mysqlTimeout()).isEqualTo(HealthConfig.DEFAULT_MYSQL_TIMEOUT);
        assertThat(c.schemaReloadTime()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void outOfRangeLimitsAreUsageErrorsNamingTheFlag() {
        assertThat(failureWith("--health-check-interval", "5x")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("'5x' is not a duration");
        assertThat(failureWith("--health-check-interval", "0s")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("--health_check_interval").contains("must be positive");
        assertThat(failureWith("--degraded-threshold", "3h")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("degraded threshold").contains("must be below the unhealthy threshold");
        assertThat(failureWith("--queryserver-config-txpool-timeout", "100ms")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("--queryserver-config-txpool-timeout must be at least 250ms");
        assertThat(failureWith("--queryserver-config-pool-size", "0")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("--queryserver-config-pool-size must be at least 1");
    }

    @Test
    void configFileProvidesDefaultsAndFlagsWin() throws Exception {
        Path config = Files.writeString(tmp.resolve("tablet.properties"), """
                tablet_path=zone1-101
                init-keyspace=commerce
                init_shard=0
                init_tablet_type=rdonly
                topo_implementation=grpc
                topo_global_server_address=topo1:15990
                tablet-hostname=tab2
                queryserver-config-pool-size=24
                queryserver_config_transaction_timeout=45s
                health_check_interval=10s
                init_tags=rack:r7
                """);
        TabletConfig c = parse("--config", config.toString(), "-init_tablet_type", "replica", "--port", "8101");
        TabletIdentity id = c.identity();
        assertThat(id.alias()).isEqualTo(TabletAlias.newBuilder().setCell("zone1").setUid(101).build());
        assertThat(id.keyspace()).isEqualTo("commerce");
        assertThat(id.initType()).as("the command line wins").isEqualTo(TabletType.REPLICA);
        assertThat(id.hostname()).isEqualTo("tab2");
        assertThat(id.httpPort()).isEqualTo(8101);
        assertThat(id.grpcPort()).isEqualTo(16101);
        assertThat(id.tags()).isEqualTo(Map.of("rack", "r7"));
        assertThat(c.topoAddress()).isEqualTo("grpc://topo1:15990");
        assertThat(c.queryService().poolSize()).isEqualTo(24);
        assertThat(c.queryService().transactionTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.health().healthCheckInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void misspelledConfigFileKeyIsAnError() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.properties"), "init_keyspce=commerce\n");
        assertThat(failureWith("--config", bad.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("cannot use config file").contains("init-keyspce");
        assertThat(failureWith("--config", tmp.resolve("missing.properties").toString()))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("missing.properties");
    }

    // Required flags and unknown flags fail while picocli parses, before call(), so the real command is safe here.

    @Test
    void missingTabletPathIsAUsageError() {
        assertThat(runner.run(new TabletMain(), "--init-keyspace", "commerce", "--init-shard", "0",
                "--topo-address", "grpc://h:15990")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("Missing required option: '--tablet-path=CELL-UID'")
                .contains("Usage: tessera-tablet");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void missingKeyspaceAndShardAreUsageErrors() {
        assertThat(runner.run(new TabletMain(), "--tablet-path", "zone1-100", "--topo-address", "grpc://h:15990"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("--init-keyspace=KEYSPACE").contains("--init-shard=SHARD");
    }

    @Test
    void unknownFlagIsAUsageError() {
        List<String> args = new ArrayList<>(REQUIRED);
        args.add("-no_such_flag=1");
        assertThat(runner.run(new TabletMain(), args.toArray(String[]::new))).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("Unknown option: '--no-such-flag=1'").contains("Usage: tessera-tablet");
    }

    @Test
    void badAliasIsAUsageError() {
        assertThat(failure("--tablet-path", "zone1-abc", "--init-keyspace", "ks", "--init-shard", "0",
                "--topo-address", "grpc://h:15990")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("invalid tablet alias 'zone1-abc': uid 'abc' is not a number")
                .contains("Usage: tessera-tablet");
        assertThat(failure("--tablet-path", "100", "--init-keyspace", "ks", "--init-shard", "0",
                "--topo-address", "grpc://h:15990")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("invalid tablet alias '100': expected <cell>-<uid>, e.g. zone1-100");
    }

    @Test
    void badShardIsAUsageError() {
        assertThat(failure("--tablet-path", "zone1-100", "--init-keyspace", "ks", "--init-shard", "80-40",
                "--topo-address", "grpc://h:15990")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("invalid shard name '80-40'");
    }

    @Test
    void topologyFlagsAreRequiredAndMustNotConflict() {
        assertThat(failure("--tablet-path", "zone1-100", "--init-keyspace", "ks", "--init-shard", "0"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("--topo-address is required");
        assertThat(failureWith("--topo_implementation", "etcd2", "--topo_global_server_address", "h:2379"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("not both");
        assertThat(failure("--tablet-path", "zone1-100", "--init-keyspace", "ks", "--init-shard", "0",
                "--topo_implementation", "zk2", "--topo_global_server_address", "h:2181"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("unknown --topo_implementation 'zk2'");
    }

    /** A snapshot of the usage text, so flag changes are deliberate (DESIGN.md §7). */
    @Test
    void helpText() {
        assertThat(runner.run(new TabletMain(), "--help")).isEqualTo(ExitCodes.OK);
        assertThat(err.toString()).isEmpty();
        // Compared line by line without trailing blanks, which the text block below cannot hold.
        assertThat(out.toString().lines().map(String::stripTrailing).toList()).isEqualTo(HELP.lines().toList());
    }

    private static final String HELP = """
            Usage: tessera-tablet [-h] [--bind-address=ADDR] [--config=FILE]
                                  [--data-root=DIR] [--db-app-password=PASSWORD]
                                  [--db-app-user=USER] [--db-credentials-file=FILE]
                                  [--db-dba-password=PASSWORD] [--db-dba-user=USER]
                                  [--db-host=HOST] [--db-port=PORT]
                                  [--db-repl-password=PASSWORD] [--db-repl-user=USER]
                                  [--db-socket=FILE] [--degraded-threshold=DURATION]
                                  [--grpc-port=PORT] [--health-check-interval=DURATION]
                                  [--heartbeat-interval=DURATION]
                                  [--init-db-name-override=DB] --init-keyspace=KEYSPACE
                                  --init-shard=SHARD [--init-tablet-type=TYPE]
                                  [--multiplex-port=PORT] [--mycnf-server-id=ID]
                                  [--mysql-port=PORT] [--mysqld-path=FILE] [--port=PORT]
                                  [--queryserver-config-idle-timeout=DURATION]
                                  [--queryserver-config-max-result-size=ROWS]
                                  [--queryserver-config-pool-size=N]
                                  [--queryserver-config-query-pool-timeout=DURATION]
                                  [--queryserver-config-query-timeout=DURATION]
                                  [--queryserver-config-schema-reload-time=DURATION]
                                  [--queryserver-config-stream-buffer-size=BYTES]
                                  [--queryserver-config-stream-pool-size=N]
                                  [--queryserver-config-stream-pool-timeout=DURATION]
                                  [--queryserver-config-transaction-cap=N]
                                  [--queryserver-config-transaction-timeout=DURATION]
                                  [--queryserver-config-txpool-timeout=DURATION]
                                  [--queryserver-native-pool-size=N]
                                  [--queryserver-native-prepared-statements=N]
                                  [--tablet-hostname=HOST] --tablet-path=CELL-UID
                                  [--topo-address=ADDR] [--topo-global-root=PATH]
                                  [--topo-global-server-address=HOST:PORT[,HOST:PORT]]
                                  [--topo-implementation=IMPL]
                                  [--unhealthy-threshold=DURATION] [--init-tags=KEY:VALUE[,
                                  KEY:VALUE][,KEY:VALUE[,KEY:VALUE]...]]...
            Serves one MySQL as a Tessera tablet: query service and tablet manager over
            gRPC, health, schema, and a status page over HTTP. Runs its own mysqld
            (managed) unless --db-host or --db-socket names one it does not own (external).
              -h, --help                 Print the flags and exit.
                  --config=FILE          Properties file (key=value, keys are flag names in
                                           either spelling) whose values are defaults for
                                           flags not given on the command line.
                  --tablet-path=CELL-UID The tablet alias, e.g. zone1-100.
                  --init-keyspace=KEYSPACE
                                         The tablet's keyspace.
                  --init-shard=SHARD     The tablet's shard, e.g. 0 or -80.
                  --init-tablet-type=TYPE
                                         replica, rdonly or spare (default: replica); a
                                           tablet becomes primary only through a reparent.
                  --init-db-name-override=DB
                                         Serve this database instead of vt_<keyspace>.
                  --init-tags=KEY:VALUE[,KEY:VALUE][,KEY:VALUE[,KEY:VALUE]...]
                                         Labels stored in the tablet record.
                  --port=PORT            HTTP port: /debug/status, /healthz, /metrics
                                           (default: 15000 + uid).
                  --grpc-port=PORT       gRPC port: Query and TabletManager services
                                           (default: 16000 + uid).
                  --multiplex-port=PORT  Port of the framed multiplex stream that gates
                                           send plain Executes on (a lighter transport than
                                           gRPC for the same messages; published in the
                                           tablet record). 0: any free port; -1: none,
                                           gates use gRPC streams (default: 0).
                  --bind-address=ADDR    Address the HTTP, gRPC and multiplex ports listen
                                           on (default: all interfaces).
                  --tablet-hostname=HOST The host name other processes reach this tablet at
                                           (default: this machine's name).
                  --topo-address=ADDR    The topology: etcd://host:2379[,host:2379]/root or
                                           grpc://host:15990 (a tessera-topo).
                  --topo-implementation=IMPL
                                         Vitess form: etcd2 (or etcd) or grpc; with
                                           --topo-global-server-address.
                  --topo-global-server-address=HOST:PORT[,HOST:PORT]
                                         Vitess form: the topology servers.
                  --topo-global-root=PATH
                                         Vitess form: the key prefix in etcd (default:
                                           /tessera).
                  --data-root=DIR        Where managed tablets keep their mysqld (vt_<uid>/
                                           below it; default: $VTDATAROOT, else ~/.
                                           tessera/data).
                  --mysql-port=PORT      Port of the managed mysqld (default: 17000 + uid).
                  --mysqld-path=FILE     The mysqld/mariadbd binary of managed mode
                                           (default: mariadbd or mysqld on PATH or in
                                           /usr/sbin).
                  --db-host=HOST         External mode: host of a mysqld Tessera does not
                                           run.
                  --db-port=PORT         External mode: port of that mysqld (default: 3306).
                  --db-socket=FILE       External mode: unix socket of that mysqld.
                  --mycnf-server-id=ID   External mode: the server_id the mysqld must have.
                  --db-dba-user=USER     Administrative user (default: vt_dba).
                  --db-dba-password=PASSWORD
                                         Its password.
                  --db-app-user=USER     User for application queries (default: vt_app).
                  --db-app-password=PASSWORD
                                         Its password.
                  --db-repl-user=USER    User replicas connect with (default: vt_repl).
                  --db-repl-password=PASSWORD
                                         Its password.
                  --db-credentials-file=FILE
                                         JSON {"user": ["password"]}; its passwords replace
                                           the flags' for the users it lists.
                  --queryserver-config-pool-size=N
                                         Connections for ordinary queries (default: 16).
                  --queryserver-config-stream-pool-size=N
                                         Connections for streamed queries (default: 200).
                  --queryserver-config-transaction-cap=N
                                         Most transactions open at once (default: 20).
                  --queryserver-config-txpool-timeout=DURATION
                                         How long Begin waits for a free transaction slot
                                           (default: 1s).
                  --queryserver-config-query-timeout=DURATION
                                         Statements running longer are killed on mysqld; 0
                                           means never (default: 30s).
                  --queryserver-config-transaction-timeout=DURATION
                                         Transactions open longer are rolled back; 0 means
                                           never (default: 30s).
                  --queryserver-config-max-result-size=ROWS
                                         Most rows a non-streamed query returns (default:
                                           10000).
                  --queryserver-config-idle-timeout=DURATION
                                         Pooled and reserved connections unused this long
                                           are closed; 0 means never (default: 30m).
                  --queryserver-config-query-pool-timeout=DURATION
                                         How long a query waits for a pooled connection; 0
                                           means the query timeout (default: 0).
                  --queryserver-config-stream-pool-timeout=DURATION
                                         How long a streamed query waits for a connection;
                                           0 means the query timeout (default: 0).
                  --queryserver-config-stream-buffer-size=BYTES
                                         Most value bytes in one streamed message (default:
                                           32768).
                  --queryserver-native-pool-size=N
                                         Native connections to mysqld for plain Executes
                                           run on the gRPC event loops, spread over the
                                           loops; 0 runs every statement through the JDBC
                                           pools (default: 16).
                  --queryserver-native-prepared-statements=N
                                         Server-side prepared statements each native
                                           connection keeps on mysqld for SELECTs sent with
                                           bind variables (a client's prepared statements),
                                           so mysqld parses each once per connection; 0
                                           sends every statement as text (default: 64).
                  --health-check-interval=DURATION
                                         How often health is checked and pushed to
                                           StreamHealth (default: 20s).
                  --heartbeat-interval=DURATION
                                         How often a primary writes, and a replica reads,
                                           the heartbeat that measures lag (default: 1s).
                  --degraded-threshold=DURATION
                                         Lag above which a replica is reported degraded
                                           (default: 30s).
                  --unhealthy-threshold=DURATION
                                         Lag above which a replica stops serving (default:
                                           2h).
                  --queryserver-config-schema-reload-time=DURATION
                                         How often the schema is reloaded (default: 30m).

            Exit codes:
              0     --help printed the flags.
              1     Bad flags, or the tablet could not start (the reason is on stderr).
              143   Stopped by SIGTERM after a clean shutdown.
            """;
}
