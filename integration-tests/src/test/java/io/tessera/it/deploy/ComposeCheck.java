package io.tessera.it.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a docker-compose file by reading it, since no Docker engine runs here: every file it names exists (build
 * context, Dockerfile and what it copies, bind-mounted files), every Tessera command line is one its program
 * accepts (see {@link DaemonCommandLine}, {@link CtlCommandLine}), ports agree (a published or health-checked port
 * is one the service's daemon listens on, no host port is published twice), and the names services use to reach
 * each other are services: the topology address, a tablet's own host name, its MariaDB (whose server_id must be the
 * tablet's uid).
 */
final class ComposeCheck {
    private static final Pattern LOCAL_PORT = Pattern.compile("(?:localhost|127\\.0\\.0\\.1):(\\d+)");

    private final Path file;
    private final Path dir;
    private final Path scratch;
    private final Findings findings = new Findings();
    private Map<String, Object> services = Map.of();
    /** Container ports each service publishes. */
    private final Map<String, Set<Integer>> published = new HashMap<>();
    /** Dockerfiles already checked: many services share one build. */
    private final Set<Path> checkedDockerfiles = new HashSet<>();
    /** The service each daemon command line runs in. */
    private final Map<DaemonCommandLine, String> serviceOf = new IdentityHashMap<>();

    private ComposeCheck(Path file, Path scratch) {
        this.file = file;
        this.dir = file.toAbsolutePath().getParent();
        this.scratch = scratch;
    }

    /**
     * @param scratch a directory for temporary copies of mounted files
     */
    static Findings check(Path composeFile, Path scratch) {
        ComposeCheck check = new ComposeCheck(composeFile, scratch);
        try {
            check.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return check.findings;
    }

    private void run() throws IOException {
        List<Object> docs = Yamls.documents(Files.readString(file));
        Map<String, Object> root = docs.isEmpty() ? Map.of() : Yamls.map(docs.get(0));
        services = Yamls.map(root.get("services"));
        if (services.isEmpty()) {
            problem("has no services");
        }
        Set<String> namedVolumes = Yamls.map(root.get("volumes")).keySet();
        Map<Integer, String> hostPorts = new TreeMap<>();
        for (var entry : services.entrySet()) {
            service(entry.getKey(), Yamls.map(entry.getValue()), namedVolumes, hostPorts);
        }
        for (DaemonCommandLine line : findings.runs(Daemon.TABLET)) {
            tablet(line);
        }
        for (DaemonCommandLine line : findings.daemons) {
            line.value("topo-address").ifPresent(address -> topoAddress(line, address));
        }
        requirePublished(Daemon.GATE, 15306);
        requirePublished(Daemon.CTLD, 15000);
        requirePublished(Daemon.CTLD, 15999);
    }

    private void service(String name, Map<String, Object> service, Set<String> namedVolumes,
            Map<Integer, String> hostPorts) throws IOException {
        build(name, service.get("build"));
        ContainerFiles files = volumes(name, Yamls.list(service.get("volumes")), namedVolumes);

        List<String> command = new ArrayList<>(words(service.get("entrypoint")));
        command.addAll(words(service.get("command")));
        Map<String, Integer> listening = new LinkedHashMap<>();
        for (Invocation invocation : Invocation.ofContainer(where(name), command, files)) {
            findings.add(invocation, scratch).ifPresent(line -> {
                serviceOf.put(line, name);
                listening.putAll(line.ports(findings.problems));
            });
        }
        boolean runsDaemon = !listening.isEmpty();
        if (String.valueOf(service.get("image")).startsWith("mariadb:")) {
            findings.problems.addAll(MariadbContainer.problems(where(name), command, files));
        }

        Set<Integer> containerPorts = new TreeSet<>();
        for (Object spec : Yamls.list(service.get("ports"))) {
            int[] hostAndContainer = port(name, spec);
            if (hostAndContainer == null) {
                continue;
            }
            String other = hostPorts.putIfAbsent(hostAndContainer[0], name);
            if (other != null) {
                problem("services " + other + " and " + name + " both publish host port " + hostAndContainer[0]);
            }
            containerPorts.add(hostAndContainer[1]);
            if (runsDaemon && !listening.containsValue(hostAndContainer[1])) {
                problem(where(name) + " publishes port " + hostAndContainer[1] + ", which its daemon does not listen on "
                        + "(it listens on " + listening + ")");
            }
        }
        published.put(name, containerPorts);

        String healthcheck = String.join(" ", words(Yamls.at(service, "healthcheck", "test")));
        Matcher m = LOCAL_PORT.matcher(healthcheck);
        while (runsDaemon && m.find()) {
            if (!listening.containsValue(Integer.parseInt(m.group(1)))) {
                problem(where(name) + " health check probes port " + m.group(1) + ", which its daemon does not listen "
                        + "on (it listens on " + listening + ")");
            }
        }
        Object dependsOn = service.get("depends_on");
        Iterable<?> dependencies = dependsOn instanceof Map<?, ?> map ? map.keySet() : Yamls.list(dependsOn);
        for (Object dependency : dependencies) {
            if (!services.containsKey(String.valueOf(dependency))) {
                problem(where(name) + " depends on " + dependency + ", which is not a service");
            }
        }
    }

    private void build(String name, Object build) throws IOException {
        if (build == null) {
            return;
        }
        String context = build instanceof String s ? s : Yamls.string(Yamls.at(build, "context"));
        Path contextDir = dir.resolve(context == null ? "." : context).normalize();
        if (!Files.isDirectory(contextDir)) {
            problem(where(name) + " builds in " + contextDir + ", which is not a directory");
            return;
        }
        String dockerfileName = Yamls.string(Yamls.at(build, "dockerfile"));
        Path dockerfile = contextDir.resolve(dockerfileName == null ? "Dockerfile" : dockerfileName).normalize();
        if (!Files.isRegularFile(dockerfile)) {
            problem(where(name) + " builds with " + dockerfile + ", which does not exist");
            return;
        }
        if (checkedDockerfiles.add(dockerfile)) {
            findings.problems.addAll(Dockerfiles.missingSources(dockerfile, contextDir));
        }
    }

    /** Bind mounts must name existing files or directories, whose files the container then sees. */
    private ContainerFiles volumes(String name, List<Object> volumes, Set<String> namedVolumes) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (Object volume : volumes) {
            String source;
            String target;
            if (volume instanceof Map<?, ?> longSyntax) {
                source = Yamls.string(Yamls.at(longSyntax, "source"));
                target = Yamls.string(Yamls.at(longSyntax, "target"));
            } else {
                String[] parts = String.valueOf(volume).split(":");
                source = parts.length > 1 ? parts[0] : null;
                target = parts.length > 1 ? parts[1] : parts[0];
            }
            if (source == null) {
                continue;
            }
            if (!source.startsWith(".") && !source.startsWith("/")) {
                if (!namedVolumes.contains(source)) {
                    problem(where(name) + " mounts volume " + source + ", which the top-level volumes do not declare");
                }
                continue;
            }
            Path host = dir.resolve(source).normalize();
            if (Files.isRegularFile(host)) {
                files.put(target, Files.readString(host));
            } else if (Files.isDirectory(host)) {
                try (Stream<Path> walk = Files.walk(host)) {
                    for (Path p : walk.filter(Files::isRegularFile).toList()) {
                        files.put(target + "/" + host.relativize(p).toString().replace('\\', '/'), Files.readString(p));
                    }
                }
            } else {
                problem(where(name) + " mounts " + source + ", which does not exist (" + host + ")");
            }
        }
        return new ContainerFiles(files);
    }

    /** A tablet's names must lead to its own service and to its MariaDB, whose server_id is the tablet's uid. */
    private void tablet(DaemonCommandLine line) {
        String where = line.invocation().where();
        String service = serviceOf.get(line);
        String path = line.value("tablet-path").orElse("");
        TabletDecl tablet;
        try {
            tablet = TabletDecl.of(path, line.value("init-keyspace").orElse(""), line.value("init-shard").orElse(""),
                    line.value("init-tablet-type").orElse("replica"), where);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return;
        }
        findings.tablets.add(tablet);
        if (!line.value("tablet-hostname").orElse("").equals(service)) {
            problem(where + ": --tablet-hostname must be the service's name, " + service + ", for other containers to "
                    + "reach the tablet");
        }
        String dbHost = line.value("db-host").orElse("");
        Map<String, Object> db = Yamls.map(services.get(dbHost));
        if (!String.valueOf(db.get("image")).startsWith("mariadb:")) {
            problem(where + ": --db-host " + dbHost + " is not a MariaDB service");
            return;
        }
        if (!line.value("db-port").orElse("3306").equals("3306")) {
            problem(where + ": --db-port must be 3306, the port of the MariaDB image");
        }
        String uid = Long.toString(tablet.uid());
        if (!line.value("mycnf-server-id").orElse("").equals(uid)) {
            problem(where + ": --mycnf-server-id must be the tablet's uid, " + uid);
        }
        if (!words(db.get("command")).contains("--server-id=" + uid)) {
            problem("service " + dbHost + " must run with --server-id=" + uid + ", the uid of its tablet " + path);
        }
    }

    /** Each host of a topology address is a service whose command mentions the port. */
    private void topoAddress(DaemonCommandLine line, String address) {
        Matcher m = Pattern.compile("(etcd|grpc)://([^/]+)(/.*)?").matcher(address);
        if (!m.matches()) {
            problem(line.invocation().where() + ": --topo-address " + address + " is not etcd://hosts/root or grpc://host");
            return;
        }
        for (String hostPort : m.group(2).split(",")) {
            String[] parts = hostPort.split(":");
            Object target = services.get(parts[0]);
            if (target == null || parts.length != 2) {
                problem(line.invocation().where() + ": --topo-address names " + hostPort + ", which is not service:port");
            } else if (!String.join(" ", words(Yamls.at(target, "command"))).contains(":" + parts[1])) {
                problem(line.invocation().where() + ": --topo-address port " + parts[1] + " is not one service "
                        + parts[0] + " listens on");
            }
        }
    }

    private void requirePublished(Daemon daemon, int port) {
        boolean found = findings.runs(daemon).stream().anyMatch(line -> line.ports(new ArrayList<>()).containsValue(port)
                && published.getOrDefault(serviceOf.get(line), Set.of()).contains(port));
        if (!found) {
            problem("no service runs " + daemon.program() + " listening on and publishing port " + port);
        }
    }

    /** {@code "H:C"}, {@code "IP:H:C"} or the long syntax; a port without a host side is not published. */
    private int[] port(String name, Object spec) {
        try {
            if (spec instanceof Map<?, ?> longSyntax) {
                Object published = Yamls.at(longSyntax, "published");
                return published == null ? null : new int[] {Integer.parseInt(String.valueOf(published)),
                        Integer.parseInt(String.valueOf(Yamls.at(longSyntax, "target")))};
            }
            String[] parts = String.valueOf(spec).replaceAll("/(tcp|udp)$", "").split(":");
            if (parts.length < 2) {
                return null;
            }
            return new int[] {Integer.parseInt(parts[parts.length - 2]), Integer.parseInt(parts[parts.length - 1])};
        } catch (NumberFormatException e) {
            problem(where(name) + ": port " + spec + " is not host:container");
            return null;
        }
    }

    /** A command or entrypoint: a list, or a string split as the shell would split it. */
    private static List<String> words(Object command) {
        if (command instanceof String s) {
            List<List<String>> commands = ShellWords.commands(s);
            return commands.isEmpty() ? List.of() : commands.getFirst();
        }
        return Yamls.strings(command);
    }

    private String where(String service) {
        return file.getFileName() + " service " + service;
    }

    private void problem(String message) {
        findings.problems.add(message.startsWith(file.getFileName().toString()) ? message
                : file.getFileName() + ": " + message);
    }
}
