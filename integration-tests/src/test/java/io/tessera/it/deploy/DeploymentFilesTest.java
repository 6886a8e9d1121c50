package io.tessera.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker-compose file and the Kubernetes manifests under deploy/, checked by reading them (no Docker engine or
 * cluster runs here): every YAML file parses, every file they name exists, every Tessera command line is one its
 * program accepts (checked against the daemons' own flag definitions, those {@code --help} prints), ports agree,
 * and both build the example cluster. The last tests feed the same checks broken files, so they are seen to fail.
 */
class DeploymentFilesTest {
    private static final Path DOCKER = Repo.home().resolve("deploy/docker");
    private static final Path KUBERNETES = Repo.home().resolve("deploy/kubernetes");

    @TempDir Path tmp;

    @Test
    void everyYamlFileUnderDeployParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Stream.concat(Files.walk(DOCKER), Files.walk(KUBERNETES))) {
            files = walk.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList();
        }
        assertThat(files).extracting(f -> f.getFileName().toString())
                .contains("docker-compose.yml", "kustomization.yaml", "tablets.yaml");
        for (Path file : files) {
            assertThat(Yamls.documents(Files.readString(file))).as("documents of %s", file).isNotEmpty();
        }
    }

    @Test
    void composeFileRunsTheExampleCluster() {
        Findings findings = ComposeCheck.check(DOCKER.resolve("docker-compose.yml"), tmp);
        List<String> problems = new ArrayList<>(findings.problems);
        problems.addAll(ExampleCluster.problems("docker-compose.yml", findings));

        assertThat(problems).as("problems in deploy/docker/docker-compose.yml").isEmpty();
        assertThat(findings.runs(Daemon.GATE)).hasSize(1);
        assertThat(findings.runs(Daemon.GATE).getFirst().value("mysql-auth-server-impl")).contains("none");
        assertThat(findings.runs(Daemon.CTLD)).hasSize(1);
        assertThat(findings.runs(Daemon.TABLET)).hasSize(7);
        assertThat(findings.runs(Daemon.TABLET)).allSatisfy(t -> assertThat(t.value("db-host")).isPresent());
    }

    @Test
    void kubernetesManifestsRunTheExampleCluster() {
        Findings findings = KubernetesCheck.check(KUBERNETES, tmp);
        List<String> problems = new ArrayList<>(findings.problems);
        problems.addAll(ExampleCluster.problems("deploy/kubernetes", findings));

        assertThat(problems).as("problems in deploy/kubernetes").isEmpty();
        assertThat(findings.runs(Daemon.GATE)).hasSize(1);
        assertThat(findings.runs(Daemon.CTLD)).hasSize(1);
        assertThat(findings.runs(Daemon.TABLET)).hasSize(3);
        assertThat(findings.tablets).hasSize(7);
    }

    /**
     * The Kubernetes ConfigMaps carry the docker files (and the local cluster's schema, which compose mounts)
     * verbatim, so the deployments cannot drift apart.
     */
    @Test
    void kubernetesConfigMapsCopyTheDockerFiles() throws IOException {
        Map<String, Map<String, String>> copies = Map.of(
                "mariadb-config.yaml", Map.of("tessera.cnf", "mariadb/tessera.cnf",
                        "tessera-init.sh", "mariadb/tessera-init.sh"),
                "init-job.yaml", Map.of("init-cluster.sh", "init/init-cluster.sh",
                        "commerce.sql", "../local/schema/commerce.sql", "customer.sql", "../local/schema/customer.sql"));
        for (var file : copies.entrySet()) {
            Map<String, Object> configMap = Yamls.documents(Files.readString(KUBERNETES.resolve(file.getKey())))
                    .stream().map(Yamls::map).filter(d -> "ConfigMap".equals(d.get("kind"))).findFirst().orElseThrow();
            for (var key : file.getValue().entrySet()) {
                assertThat(Yamls.string(Yamls.at(configMap, "data", key.getKey())))
                        .as("key %s of the ConfigMap in deploy/kubernetes/%s must be deploy/docker/%s verbatim",
                                key.getKey(), file.getKey(), key.getValue())
                        .isEqualTo(Files.readString(DOCKER.resolve(key.getValue()).normalize()));
            }
        }
    }

    /** The MariaDB init script takes each user's password from the file the tablets read. */
    @Test
    void credentialsFileNamesEveryTabletUser() throws IOException {
        Map<String, Object> credentials = Yamls.map(Yamls.documents(
                Files.readString(DOCKER.resolve("credentials/db-credentials.json"))).getFirst());
        assertThat(credentials).containsOnlyKeys("vt_dba", "vt_app", "vt_repl");
        credentials.values().forEach(passwords -> assertThat(Yamls.strings(passwords)).isNotEmpty()
                .allSatisfy(p -> assertThat(p).isNotBlank().doesNotContain("'", "\\", "\"")));
        assertThat(Files.readString(DOCKER.resolve("mariadb/tessera-init.sh")))
                .contains("tessera_password vt_dba", "tessera_password vt_app", "tessera_password vt_repl");
    }

    @Test
    void brokenComposeFileIsReported() throws IOException {
        Files.createDirectories(tmp.resolve("mariadb"));
        Files.writeString(tmp.resolve("mariadb/tessera.cnf"), "[mariadbd]\nlog_bin=binlog\nbinlog_format=STATEMENT\n");
        Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(tmp.resolve("ctx/Dockerfile"), "FROM x AS build\nCOPY --from=build /a /b\nCOPY missing.txt \\\n  /x\n");
        Path compose = tmp.resolve("docker-compose.yml");
        Files.writeString(compose, """
                services:
                  etcd:
                    image: quay.io/coreos/etcd:v3.5.17
                    command: [etcd, --listen-client-urls, "http://0.0.0.0:2379"]
                  gate:
                    image: tessera:latest
                    build: {context: ctx}
                    command: [tessera-gate, --topo-address, "etcd://etcd:2379/t", --mysql_server_port, "15306",
                              --no-such-flag, x, --port, "15001"]
                    ports: ["15306:15306", "15002:15002"]
                  ctld:
                    image: tessera:latest
                    command: [tessera-ctld, --topo-address, "etcd://etcd:2380/t", --grpc-port, "15999"]
                    ports: ["15306:15999", "15000:15000"]
                  mariadb-100:
                    image: mariadb:10.11
                    command: ["--server-id=101"]
                    volumes: [./mariadb/tessera.cnf:/etc/mysql/conf.d/tessera.cnf, ./mariadb/missing.sh:/x.sh, data:/d]
                  tablet-100:
                    image: tessera:latest
                    command: [tessera-tablet, --topo-address, "etcd://etcd:2379/t", --tablet-path, zone1-100,
                              --init-keyspace, commerce, --init-shard, "0", --tablet-hostname, tablet-100,
                              --port, "15100", --db-host, mariadb-100, --mycnf-server-id, "100"]
                    healthcheck: {test: [CMD, curl, "http://localhost:16100/healthz"]}
                    depends_on: [mariadb-999]
                  tablet-101:
                    image: tessera:latest
                    command: [tessera-tablet, --topo-address, "etcd://etcd:2379/t", --tablet-path, zone1-0000000100,
                              --init-keyspace, commerce, --init-shard, "0", --tablet-hostname, tablet-101,
                              --port, "15101", --grpc-port, "16101", --db-host, mariadb-100]
                """);
        Findings findings = ComposeCheck.check(compose, tmp);
        List<String> problems = new ArrayList<>(findings.problems);
        problems.addAll(ExampleCluster.problems("compose", findings));

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("tessera-gate has no flag --no-such-flag"))
                .anySatisfy(p -> assertThat(p).contains("both publish host port 15306"))
                .anySatisfy(p -> assertThat(p).contains("publishes port 15002, which its daemon does not listen on"))
                .anySatisfy(p -> assertThat(p).contains("./mariadb/missing.sh, which does not exist"))
                .anySatisfy(p -> assertThat(p).contains("mounts volume data, which the top-level volumes do not"))
                .anySatisfy(p -> assertThat(p).contains("sets binlog_format=ROW"))
                .anySatisfy(p -> assertThat(p).contains("nothing in /docker-entrypoint-initdb.d/"))
                .anySatisfy(p -> assertThat(p).contains("must run with --server-id=100"))
                .anySatisfy(p -> assertThat(p).contains("must give --grpc-port explicitly"))
                .anySatisfy(p -> assertThat(p).contains("health check probes port 16100"))
                .anySatisfy(p -> assertThat(p).contains("depends on mariadb-999, which is not a service"))
                .anySatisfy(p -> assertThat(p).contains("--topo-address port 2380"))
                .anySatisfy(p -> assertThat(p).contains("--mycnf-server-id must be the tablet's uid, 100"))
                .anySatisfy(p -> assertThat(p).contains("tablet zone1-0000000100 is declared twice"))
                .anySatisfy(p -> assertThat(p).contains("InitShardPrimary elects {}"));
    }

    @Test
    void brokenKubernetesManifestsAreReported() throws IOException {
        Files.writeString(tmp.resolve("gate.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: config}
                data:
                  gate.properties: |
                    topo_address=etcd://etcd:2379/t
                    mysql_server_port=15306
                    no_such_key=1
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: Gate_1, labels: {app: gate}}
                spec:
                  selector: {matchLabels: {app: gate}}
                  template:
                    metadata: {labels: {app: gate}}
                    spec:
                      containers:
                        - name: gate
                          image: tessera:latest
                          command: [tessera-gate]
                          args: [--config, /etc/tessera/gate.properties, --grpc-port, "15991", --port, "15001",
                                 --mysql_auth_server_static_file, /etc/tessera/auth/users.json]
                          ports: [{name: mysql, containerPort: 3306}]
                          readinessProbe: {httpGet: {path: /healthz, port: http}}
                          volumeMounts:
                            - {name: config, mountPath: /etc/tessera/gate.properties, subPath: gate.properties}
                            - {name: users, mountPath: /etc/tessera/auth}
                      volumes:
                        - {name: config, configMap: {name: config}}
                        - {name: users, secret: {secretName: missing}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: gate}
                spec:
                  selector: {app: gate}
                  ports: [{name: mysql, port: 15306, targetPort: 15307}]
                """);
        List<String> problems = KubernetesCheck.check(tmp, tmp).problems;

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("key no_such_key of --config"))
                .anySatisfy(p -> assertThat(p).contains("name is not a valid DNS label"))
                .anySatisfy(p -> assertThat(p).contains("declares containerPort 3306, which its daemon does not"))
                .anySatisfy(p -> assertThat(p).contains("readinessProbe probes port http"))
                .anySatisfy(p -> assertThat(p).contains("mounts Secret missing, which these manifests do not define"))
                .anySatisfy(p -> assertThat(p).contains("port 15306 targets 15307"))
                .anySatisfy(p -> assertThat(p).contains(
                        "reads --mysql-auth-server-static-file /etc/tessera/auth/users.json, which no mount provides"))
                .anySatisfy(p -> assertThat(p).contains("no Service exposes port 15999 of tessera-ctld"));
    }

    @Test
    void ctlCommandLinesAreParsedAsTesseraCtlWould() {
        ContainerFiles files = new ContainerFiles(Map.of("/schema/a.sql", "CREATE TABLE t (id INT PRIMARY KEY)"));
        List<String> problems = new ArrayList<>();
        List<String> commands = List.of(
                "tessera-ctl --server \"$CTLD\" InitShardPrimary commerce/0 zone1-100",
                "tessera-ctl --server x:1 InitShardPrimary commerce/0",
                "tessera-ctl --serve x:1 GetKeyspaces",
                "tessera-ctl NoSuchCommand",
                "tessera-ctl ApplySchema --sql-file /schema/missing.sql commerce",
                "tessera-ctl ApplySchema --sql-file /schema/a.sql commerce",
                "tessera-ctl PingTablet \"$alias\" --no-such-flag");
        List<CtlCommandLine> lines = new ArrayList<>();
        for (String command : commands) {
            Invocation invocation = Invocation.in("test", ShellWords.commands(command).getFirst(), files).orElseThrow();
            CtlCommandLine line = CtlCommandLine.check(invocation, tmp);
            lines.add(line);
            problems.addAll(line.problems());
        }

        assertThat(lines.get(0).problems()).isEmpty();
        assertThat(lines.get(0).requests()).hasSize(1);
        assertThat(lines.get(5).problems()).isEmpty();
        assertThat(problems).hasSize(5)
                .anySatisfy(p -> assertThat(p).contains("InitShardPrimary"))
                .anySatisfy(p -> assertThat(p).contains("has no global flag --serve"))
                .anySatisfy(p -> assertThat(p).contains("unknown command NoSuchCommand"))
                .anySatisfy(p -> assertThat(p).contains("reads /schema/missing.sql, which no mount provides"))
                .anySatisfy(p -> assertThat(p).contains("--no-such-flag"));
    }

    @Test
    void shellWordsSplitScriptsAsTheShellDoes() {
        String script = """
                # a comment with tessera-gate --x
                until tessera-ctl --server "$CTLD" GetKeyspaces >/dev/null 2>&1; do sleep 2; done
                exec tessera-tablet --tablet-path "zone1-$uid" \\
                  --init-shard '-80' --db-host "$HOSTNAME.svc" x\\ y
                uid=$((TABLET_UID_BASE + ${HOSTNAME##*-})) && echo "a \\"quoted\\" $(tessera-ctl help)"
                """;
        assertThat(ShellWords.commands(script)).containsExactly(
                List.of("until", "tessera-ctl", "--server", "$CTLD", "GetKeyspaces", ">/dev/null", "2>&1"),
                List.of("do", "sleep", "2"),
                List.of("done"),
                List.of("exec", "tessera-tablet", "--tablet-path", "zone1-$uid", "--init-shard", "-80", "--db-host",
                        "$HOSTNAME.svc", "x y"),
                List.of("uid="),
                List.of("TABLET_UID_BASE", "+", "${HOSTNAME##*-}"),
                List.of("echo", "a \"quoted\" $(tessera-ctl help)"));
    }
}
