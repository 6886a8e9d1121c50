package io.tessera.it.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a directory of Kubernetes manifests by reading them, since no cluster runs here: every ConfigMap, Secret,
 * key and file they refer to exists (kustomization resources, mounted keys, files the daemons read), every Tessera
 * command line is one its program accepts (including the values of its {@code --config} properties file), ports
 * agree (containerPorts, probes and Services' targetPorts are ports the selected containers listen on), selectors
 * select, names are valid, and the tablet StatefulSets give each pod a tablet whose uid its MariaDB shares.
 */
final class KubernetesCheck {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job");
    /** How a tablet pod's containers derive its uid from the pod's name (tablet-commerce-0-2 → base + 2). */
    static final String UID_EXPRESSION = "$((TABLET_UID_BASE + ${HOSTNAME##*-}))";

    private final Path dir;
    private final Path scratch;
    private final Findings findings = new Findings();
    private final Map<String, Map<String, String>> configMaps = new HashMap<>();
    private final Map<String, Map<String, String>> secrets = new HashMap<>();
    private final List<Map<String, Object>> services = new ArrayList<>();
    private final List<Pod> pods = new ArrayList<>();

    /** A workload's pod template as the checks need it. */
    private record Pod(String workload, Map<String, Object> labels, Map<String, Integer> namedPorts,
                       Set<Integer> listening, Set<Daemon> daemons) {}

    /** A container of a pod template as the checks need it. */
    private record Container(String name, Map<String, String> env, List<String> command, ContainerFiles files,
                             Map<String, Integer> declaredPorts, Set<Integer> listening,
                             List<DaemonCommandLine> daemons) {}

    private KubernetesCheck(Path dir, Path scratch) {
        this.dir = dir;
        this.scratch = scratch;
    }

    static Findings check(Path dir, Path scratch) {
        KubernetesCheck check = new KubernetesCheck(dir, scratch);
        try {
            check.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return check.findings;
    }

    private void run() throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList()) {
                for (Object doc : Yamls.documents(Files.readString(file))) {
                    Map<String, Object> object = new LinkedHashMap<>(Yamls.map(doc));
                    object.put("__file", file.getFileName().toString());
                    objects.add(object);
                }
            }
        }
        for (Map<String, Object> object : objects) {
            index(object);
        }
        for (Map<String, Object> object : objects) {
            if (WORKLOADS.contains(Yamls.string(object.get("kind")))) {
                workload(object);
            }
        }
        for (Map<String, Object> service : services) {
            service(service);
        }
        requireServicePort(Daemon.GATE, 15306);
        requireServicePort(Daemon.CTLD, 15000);
        requireServicePort(Daemon.CTLD, 15999);
    }

    private void index(Map<String, Object> object) {
        String kind = Yamls.string(object.get("kind"));
        String name = Yamls.string(Yamls.at(object, "metadata", "name"));
        String where = object.get("__file") + " " + kind + " " + name;
        if ("Kustomization".equals(kind)) {
            for (String resource : Yamls.strings(object.get("resources"))) {
                if (!Files.exists(dir.resolve(resource))) {
                    problem(object.get("__file") + " lists resource " + resource + ", which does not exist");
                }
            }
            return;
        }
        if (kind == null || object.get("apiVersion") == null || name == null) {
            problem(object.get("__file") + " has an object without apiVersion, kind or metadata.name");
            return;
        }
        if (!DNS_LABEL.matcher(name).matches()) {
            problem(where + ": the name is not a valid DNS label");
        }
        checkLabels(where, Yamls.map(Yamls.at(object, "metadata", "labels")));
        switch (kind) {
            case "ConfigMap" -> configMaps.put(name, strings(Yamls.map(object.get("data"))));
            case "Secret" -> {
                Map<String, String> data = new TreeMap<>(strings(Yamls.map(object.get("stringData"))));
                Yamls.map(object.get("data")).forEach((key, value) -> data.put(key,
                        new String(Base64.getDecoder().decode(String.valueOf(value)), StandardCharsets.UTF_8)));
                secrets.put(name, data);
            }
            case "Service" -> services.add(object);
            default -> { }
        }
    }

    private void workload(Map<String, Object> object) {
        String kind = Yamls.string(object.get("kind"));
        String name = Yamls.string(Yamls.at(object, "metadata", "name"));
        String where = object.get("__file") + " " + kind + " " + name;
        Map<String, Object> template = Yamls.map(Yamls.at(object, "spec", "template"));
        Map<String, Object> labels = Yamls.map(Yamls.at(template, "metadata", "labels"));
        checkLabels(where + " pod template", labels);
        Map<String, Object> matchLabels = Yamls.map(Yamls.at(object, "spec", "selector", "matchLabels"));
        if (!kind.equals("Job") && (matchLabels.isEmpty() || !selects(matchLabels, labels))) {
            problem(where + ": spec.selector.matchLabels does not select its own pod template");
        }
        Map<String, Object> podSpec = Yamls.map(template.get("spec"));
        Set<String> claims = new TreeSet<>();
        for (Object claim : Yamls.list(Yamls.at(object, "spec", "volumeClaimTemplates"))) {
            claims.add(Yamls.string(Yamls.at(claim, "metadata", "name")));
        }
        Map<String, Map<String, Object>> volumes = new HashMap<>();
        for (Object volume : Yamls.list(podSpec.get("volumes"))) {
            volumes.put(Yamls.string(Yamls.at(volume, "name")), Yamls.map(volume));
        }

        List<Container> containers = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            for (Object c : Yamls.list(podSpec.get(field))) {
                containers.add(container(where, Yamls.map(c), volumes, claims));
            }
        }
        Map<String, Integer> namedPorts = new HashMap<>();
        Set<Integer> listening = new TreeSet<>();
        Set<Daemon> daemons = new TreeSet<>();
        for (Container container : containers) {
            namedPorts.putAll(container.declaredPorts());
            listening.addAll(container.listening());
            container.daemons().forEach(line -> daemons.add(line.daemon()));
        }
        pods.add(new Pod(where, labels, namedPorts, listening, daemons));

        if (kind.equals("StatefulSet")) {
            statefulSet(object, where, labels);
            List<Container> tablets = containers.stream()
                    .filter(c -> c.daemons().stream().anyMatch(d -> d.daemon() == Daemon.TABLET)).toList();
            if (!tablets.isEmpty()) {
                tablets(object, where, tablets, containers);
            }
        }
    }

    /**
     * One container: the files its mounts give it, the Tessera command lines it runs (checked), and the ports it
     * listens on (its daemons', or for another image the containerPorts it declares), which its containerPorts and
     * probes must match.
     */
    private Container container(String workload, Map<String, Object> container,
            Map<String, Map<String, Object>> volumes, Set<String> claims) {
        String name = Yamls.string(container.get("name"));
        String at = workload + " container " + name;
        ContainerFiles files = mounts(at, Yamls.list(container.get("volumeMounts")), volumes, claims);
        List<String> command = new ArrayList<>(Yamls.strings(container.get("command")));
        command.addAll(Yamls.strings(container.get("args")));
        if (String.valueOf(container.get("image")).startsWith("mariadb:")) {
            findings.problems.addAll(MariadbContainer.problems(at, command, files));
        }

        Map<String, Integer> daemonPorts = new LinkedHashMap<>();
        List<DaemonCommandLine> daemons = new ArrayList<>();
        for (Invocation invocation : Invocation.ofContainer(at, command, files)) {
            findings.add(invocation, scratch).ifPresent(line -> {
                daemonPorts.putAll(line.ports(findings.problems));
                daemons.add(line);
            });
        }
        Map<String, Integer> declared = new LinkedHashMap<>();
        for (Object port : Yamls.list(container.get("ports"))) {
            int number = Integer.parseInt(Yamls.string(Yamls.at(port, "containerPort")));
            String portName = Yamls.string(Yamls.at(port, "name"));
            declared.put(portName == null ? Integer.toString(number) : portName, number);
            if (!daemonPorts.isEmpty() && !daemonPorts.containsValue(number)) {
                problem(at + " declares containerPort " + number + ", which its daemon does not listen on (it "
                        + "listens on " + daemonPorts + ")");
            }
        }
        Set<Integer> listening = new TreeSet<>(daemonPorts.isEmpty() ? declared.values() : daemonPorts.values());
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            for (String action : List.of("httpGet", "tcpSocket", "grpc")) {
                Object port = Yamls.at(container, probe, action, "port");
                Integer number = port == null ? null : resolvePort(port, declared);
                if (port != null && (number == null || !listening.contains(number))) {
                    problem(at + " " + probe + " probes port " + port + ", which the container does not listen on ("
                            + listening + ")");
                }
            }
        }
        return new Container(name, env(container), command, files, declared, listening, daemons);
    }

    private void statefulSet(Map<String, Object> object, String where, Map<String, Object> labels) {
        String serviceName = Yamls.string(Yamls.at(object, "spec", "serviceName"));
        Map<String, Object> governing = services.stream()
                .filter(s -> Yamls.string(Yamls.at(s, "metadata", "name")).equals(serviceName))
                .findFirst().orElse(null);
        if (governing == null) {
            problem(where + ": serviceName " + serviceName + " is not a Service of these manifests");
        } else if (!"None".equals(Yamls.string(Yamls.at(governing, "spec", "clusterIP")))
                || !selects(Yamls.map(Yamls.at(governing, "spec", "selector")), labels)) {
            problem(where + ": its serviceName " + serviceName + " must be a headless Service selecting its pods");
        }
    }

    /**
     * The tablets of a tablet StatefulSet: pod {@code <name>-<ordinal>} runs tablet {@code TABLET_UID_BASE +
     * ordinal} of type word {@code ordinal} of {@code TABLET_TYPES}, and its MariaDB container takes the same
     * number as its server_id.
     */
    private void tablets(Map<String, Object> object, String where, List<Container> tablets, List<Container> all) {
        if (tablets.size() != 1 || tablets.getFirst().daemons().size() != 1) {
            problem(where + ": a tablet pod runs exactly one tablet");
            return;
        }
        Container tablet = tablets.getFirst();
        DaemonCommandLine line = tablet.daemons().getFirst();
        Map<String, String> env = tablet.env();
        String script = String.join("\n", tablet.files().scripts().values()) + String.join(" ", tablet.command());
        List<String> types = List.of(env.getOrDefault("TABLET_TYPES", "").split("\\s+"));
        int replicas = Integer.parseInt(String.valueOf(Yamls.at(object, "spec", "replicas")));
        if (types.size() != replicas) {
            problem(where + ": replicas " + replicas + " must equal the number of TABLET_TYPES, " + types);
        }
        String path = line.value("tablet-path").orElse("");
        boolean derived = script.contains("uid=" + UID_EXPRESSION) && path.endsWith("-$uid")
                && line.value("mycnf-server-id").orElse("").equals("$uid")
                && line.value("init-keyspace").orElse("").equals("$KEYSPACE")
                && line.value("init-shard").orElse("").equals("$SHARD");
        if (!derived) {
            problem(where + ": the tablet must take uid=" + UID_EXPRESSION + " as --tablet-path <cell>-$uid and "
                    + "--mycnf-server-id $uid, and --init-keyspace $KEYSPACE --init-shard $SHARD");
            return;
        }
        String serviceName = Yamls.string(Yamls.at(object, "spec", "serviceName"));
        if (!script.contains("." + serviceName + ".")) {
            problem(where + ": the tablet's host name must be the pod's name under its Service " + serviceName);
        }
        long base = Long.parseLong(env.getOrDefault("TABLET_UID_BASE", "-1"));
        String cell = path.substring(0, path.length() - "-$uid".length());
        for (int ordinal = 0; ordinal < types.size(); ordinal++) {
            findings.tablets.add(new TabletDecl(base + ordinal, cell, env.get("KEYSPACE"), env.get("SHARD"),
                    types.get(ordinal), where + " pod " + ordinal));
        }
        boolean mariadbShares = all.stream().anyMatch(c -> c != tablet
                && String.join(" ", c.command()).contains("--server-id=" + UID_EXPRESSION)
                && Long.toString(base).equals(c.env().get("TABLET_UID_BASE"))
                && ("vt_" + env.get("KEYSPACE")).equals(c.env().get("TESSERA_DB_NAME")));
        if (!mariadbShares) {
            problem(where + ": a MariaDB container must run with --server-id=" + UID_EXPRESSION + ", the same "
                    + "TABLET_UID_BASE and TESSERA_DB_NAME vt_<KEYSPACE>");
        }
    }

    /** A Service must select pods, and each of its ports must reach a port they listen on. */
    private void service(Map<String, Object> service) {
        String where = service.get("__file") + " Service " + Yamls.string(Yamls.at(service, "metadata", "name"));
        Map<String, Object> selector = Yamls.map(Yamls.at(service, "spec", "selector"));
        List<Pod> selected = pods.stream().filter(p -> selects(selector, p.labels())).toList();
        if (selected.isEmpty()) {
            problem(where + ": its selector " + selector + " selects no pod template");
            return;
        }
        for (Object port : Yamls.list(Yamls.at(service, "spec", "ports"))) {
            Object target = Yamls.at(port, "targetPort");
            Object effective = target == null ? Yamls.at(port, "port") : target;
            for (Pod pod : selected) {
                Integer number = resolvePort(effective, pod.namedPorts());
                if (number == null || !pod.listening().contains(number)) {
                    problem(where + ": port " + Yamls.at(port, "port") + " targets " + effective + ", which "
                            + pod.workload() + " does not listen on (" + pod.listening() + ")");
                }
            }
        }
    }

    private void requireServicePort(Daemon daemon, int port) {
        boolean found = services.stream().anyMatch(service -> {
            Map<String, Object> selector = Yamls.map(Yamls.at(service, "spec", "selector"));
            boolean selectsDaemon = pods.stream().anyMatch(p -> p.daemons().contains(daemon) && selects(selector,
                    p.labels()));
            return selectsDaemon && Yamls.list(Yamls.at(service, "spec", "ports")).stream()
                    .anyMatch(p -> String.valueOf(port).equals(Yamls.string(Yamls.at(p, "port"))));
        });
        if (!found) {
            problem("no Service exposes port " + port + " of " + daemon.program());
        }
    }

    /** The files a container sees through its ConfigMap and Secret mounts; a missing one is a problem. */
    private ContainerFiles mounts(String where, List<Object> volumeMounts, Map<String, Map<String, Object>> volumes,
            Set<String> claims) {
        Map<String, String> files = new TreeMap<>();
        for (Object mount : volumeMounts) {
            String name = Yamls.string(Yamls.at(mount, "name"));
            String mountPath = Yamls.string(Yamls.at(mount, "mountPath"));
            String subPath = Yamls.string(Yamls.at(mount, "subPath"));
            Map<String, Object> volume = volumes.get(name);
            if (volume == null) {
                if (!claims.contains(name)) {
                    problem(where + " mounts volume " + name + ", which the pod does not define");
                }
                continue;
            }
            Map<String, String> projected = projected(where, volume);
            if (projected == null) {
                continue;
            }
            if (subPath != null) {
                if (!projected.containsKey(subPath)) {
                    problem(where + " mounts " + subPath + " of volume " + name + ", which it does not hold");
                } else {
                    files.put(mountPath, projected.get(subPath));
                }
            } else {
                projected.forEach((path, text) -> files.put(mountPath + "/" + path, text));
            }
        }
        return new ContainerFiles(files);
    }

    /** The files of a ConfigMap or Secret volume by path (its items, or every key); null for other volumes. */
    private Map<String, String> projected(String where, Map<String, Object> volume) {
        String configMap = Yamls.string(Yamls.at(volume, "configMap", "name"));
        String secret = Yamls.string(Yamls.at(volume, "secret", "secretName"));
        if (configMap == null && secret == null) {
            return null;
        }
        Map<String, String> data = configMap != null ? configMaps.get(configMap) : secrets.get(secret);
        String source = configMap != null ? "ConfigMap " + configMap : "Secret " + secret;
        if (data == null) {
            problem(where + " mounts " + source + ", which these manifests do not define");
            return null;
        }
        List<Object> items = Yamls.list(Yamls.at(volume, configMap != null ? "configMap" : "secret", "items"));
        if (items.isEmpty()) {
            return data;
        }
        Map<String, String> files = new TreeMap<>();
        for (Object item : items) {
            String key = Yamls.string(Yamls.at(item, "key"));
            if (!data.containsKey(key)) {
                problem(where + " mounts key " + key + " of " + source + ", which has no such key");
            } else {
                files.put(Yamls.string(Yamls.at(item, "path")), data.get(key));
            }
        }
        return files;
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new HashMap<>();
        for (Object var : Yamls.list(container.get("env"))) {
            Object value = Yamls.at(var, "value");
            env.put(Yamls.string(Yamls.at(var, "name")), value == null ? "<from " + Yamls.at(var, "valueFrom") + ">"
                    : String.valueOf(value));
        }
        return env;
    }

    private static Integer resolvePort(Object port, Map<String, Integer> named) {
        String text = String.valueOf(port);
        return text.matches("\\d+") ? Integer.valueOf(text) : named.get(text);
    }

    private static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        return !selector.isEmpty() && selector.entrySet().stream()
                .allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey()))));
    }

    private void checkLabels(String where, Map<String, Object> labels) {
        labels.forEach((key, value) -> {
            if (!LABEL_VALUE.matcher(String.valueOf(value)).matches()) {
                problem(where + ": label " + key + "=" + value + " is not a valid label value");
            }
        });
    }

    private static Map<String, String> strings(Map<String, Object> data) {
        Map<String, String> out = new TreeMap<>();
        data.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private void problem(String message) {
        findings.problems.add("deploy/kubernetes: " + message);
    }
}
