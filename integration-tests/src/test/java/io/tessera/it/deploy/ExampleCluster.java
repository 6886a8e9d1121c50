package io.tessera.it.deploy;

import com.google.protobuf.Message;
import io.tessera.proto.vtctldata.ApplySchemaRequest;
import io.tessera.proto.vtctldata.CreateKeyspaceRequest;
import io.tessera.proto.vtctldata.InitShardPrimaryRequest;
import io.tessera.proto.vtctldata.SetKeyspaceDurabilityPolicyRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The example cluster every deployment of the repository builds, as ./deploy/local/up.sh does on one machine: cell
 * zone1; keyspace commerce unsharded with tablets 100, 101 (replica) and 102 (rdonly), 100 elected primary;
 * keyspace customer with shards -80 (300, 301) and 80- (400, 401), 300 and 400 elected primaries; keyspaces with
 * the semi_sync durability policy; the schema product in commerce, customer and corder in customer.
 */
final class ExampleCluster {
    /** Tablet uid to keyspace/shard and the type it starts as. */
    static final Map<Long, String> TABLETS = Map.of(100L, "commerce/0 replica", 101L, "commerce/0 replica",
            102L, "commerce/0 rdonly", 300L, "customer/-80 replica", 301L, "customer/-80 replica",
            400L, "customer/80- replica", 401L, "customer/80- replica");
    static final Map<String, Long> PRIMARIES = Map.of("commerce/0", 100L, "customer/-80", 300L,
            "customer/80-", 400L);
    static final Map<String, Set<String>> TABLES = Map.of("commerce", Set.of("product"),
            "customer", Set.of("customer", "corder"));
    private static final Pattern CREATE_TABLE =
            Pattern.compile("(?i)CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?`?(\\w+)`?");

    private ExampleCluster() {}

    /** What differs from the example cluster in one deployment's tablets and init commands. */
    static List<String> problems(String deployment, Findings findings) {
        List<String> problems = new ArrayList<>();
        Map<String, TabletDecl> byAlias = new TreeMap<>();
        for (TabletDecl tablet : findings.tablets) {
            TabletDecl other = byAlias.putIfAbsent(tablet.alias(), tablet);
            if (other != null) {
                problems.add(deployment + ": tablet " + tablet.alias() + " is declared twice: " + other.where()
                        + " and " + tablet.where());
            }
        }
        Map<Long, String> declared = new TreeMap<>();
        for (TabletDecl tablet : byAlias.values()) {
            if (!tablet.cell().equals("zone1")) {
                problems.add(deployment + ": tablet " + tablet.alias() + " is not in cell zone1 (" + tablet.where() + ")");
            }
            declared.put(tablet.uid(), tablet.keyspace() + "/" + tablet.shard() + " " + tablet.type());
        }
        if (!declared.equals(new TreeMap<>(TABLETS))) {
            problems.add(deployment + ": the tablets are " + declared + ", not the example cluster's "
                    + new TreeMap<>(TABLETS));
        }

        Map<String, Long> primaries = new TreeMap<>();
        Set<String> keyspaces = new TreeSet<>();
        Map<String, String> durability = new TreeMap<>();
        Map<String, Set<String>> tables = new TreeMap<>();
        for (Message request : requests(findings)) {
            switch (request) {
                case InitShardPrimaryRequest r -> primaries.put(r.getKeyspace() + "/" + r.getShard(),
                        Integer.toUnsignedLong(r.getPrimaryElectTabletAlias().getUid()));
                case CreateKeyspaceRequest r -> keyspaces.add(r.getName());
                case SetKeyspaceDurabilityPolicyRequest r -> durability.put(r.getKeyspace(), r.getDurabilityPolicy());
                case ApplySchemaRequest r -> {
                    for (String sql : r.getSqlList()) {
                        var m = CREATE_TABLE.matcher(sql);
                        while (m.find()) {
                            tables.computeIfAbsent(r.getKeyspace(), k -> new TreeSet<>()).add(m.group(1));
                        }
                    }
                }
                default -> { }
            }
        }
        if (!primaries.equals(new TreeMap<>(PRIMARIES))) {
            problems.add(deployment + ": InitShardPrimary elects " + primaries + ", not " + new TreeMap<>(PRIMARIES));
        }
        if (!keyspaces.equals(TABLES.keySet().stream().collect(Collectors.toCollection(TreeSet::new)))) {
            problems.add(deployment + ": CreateKeyspace creates " + keyspaces + ", not " + TABLES.keySet());
        }
        for (String keyspace : TABLES.keySet()) {
            if (!"semi_sync".equals(durability.get(keyspace))) {
                problems.add(deployment + ": keyspace " + keyspace + " does not get the semi_sync durability policy");
            }
        }
        Map<String, Set<String>> expectedTables = new TreeMap<>(TABLES);
        if (!tables.equals(expectedTables)) {
            problems.add(deployment + ": ApplySchema creates " + tables + ", not " + expectedTables);
        }
        return problems;
    }

    private static List<Message> requests(Findings findings) {
        return findings.ctlCommands.stream().flatMap(c -> c.requests().stream()).toList();
    }
}
