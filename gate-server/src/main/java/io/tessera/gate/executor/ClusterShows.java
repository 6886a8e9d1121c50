package io.tessera.gate.executor;

import io.tessera.gate.discovery.TabletGateway;
import io.tessera.gate.discovery.TabletHealth;
import io.tessera.gate.sql.Token;
import io.tessera.proto.query.Field;
import io.tessera.proto.query.MySqlFlag;
import io.tessera.proto.query.QueryResult;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.Tablet;
import io.tessera.queryservice.CompactRows;
import io.tessera.topo.topoproto.TabletAliases;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The operator statements a Vitess gate answers about the cluster, with Vitess's columns, from what this gate sees:
 * the tablets its health check follows and the keyspaces and shards of its watched cells.
 *
 * <ul>
 *   <li>{@code SHOW VITESS_TABLETS [LIKE 'host']}: Cell, Keyspace, Shard, TabletType, State ({@code SERVING} or
 *       {@code NOT_SERVING}), Alias, Hostname, PrimaryTermStartTime (RFC 3339, UTC, for primaries; empty for the
 *       others). The pattern matches the host name, as in Vitess.
 *   <li>{@code SHOW VITESS_SHARDS [LIKE 'ks/shard']}: one column, Shards, {@code keyspace/shard}.
 *   <li>{@code SHOW VITESS_KEYSPACES} or {@code SHOW KEYSPACES [LIKE 'name']}: the keyspaces, in a column named
 *       Database (unlike SHOW DATABASES, without MySQL's system schemas).
 *   <li>{@code SHOW VITESS_TARGET}: the session's target string, in a column named Target.
 * </ul>
 */
final class ClusterShows {
    /** Which statement. */
    enum What {
        TABLETS, SHARDS, KEYSPACES, TARGET;

        /** The statement {@code SHOW <word>} names, or null if {@code word} is none of them. */
        static What named(Token word) {
            if (word.isWord("VITESS_TABLETS")) {
                return TABLETS;
            }
            if (word.isWord("VITESS_SHARDS")) {
                return SHARDS;
            }
            if (word.isWord("VITESS_KEYSPACES") || word.isWord("KEYSPACES")) {
                return KEYSPACES;
            }
            if (word.isWord("VITESS_TARGET")) {
                return TARGET;
            }
            return null;
        }
    }

    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssX")
            .withZone(ZoneOffset.UTC);
    private static final Comparator<TabletHealth> TABLET_ORDER = Comparator
            .comparing((TabletHealth h) -> h.tablet().getAlias().getCell())
            .thenComparing(h -> target(h).getKeyspace())
            .thenComparing(h -> target(h).getShard())
            .thenComparing(h -> target(h).getTabletTypeValue())
            .thenComparing(h -> Integer.toUnsignedLong(h.tablet().getAlias().getUid()));

    private ClusterShows() {}

    /** The result of {@code what} with the optional {@code LIKE} pattern, for a session whose target is given. */
    static QueryResult run(What what, String likePattern, TabletGateway gateway, String sessionTarget) {
        Pattern like = likePattern == null ? null : GateResults.likePattern(likePattern);
        return switch (what) {
            case TABLETS -> tablets(gateway.tablets(), like);
            case SHARDS -> shards(gateway, like);
            case KEYSPACES -> keyspaces(gateway, like);
            case TARGET -> result(List.of("Target"), List.of(List.of(sessionTarget)));
        };
    }

    private static QueryResult tablets(List<TabletHealth> tablets, Pattern like) {
        List<TabletHealth> sorted = new ArrayList<>(tablets);
        sorted.sort(TABLET_ORDER);
        List<List<String>> rows = new ArrayList<>(sorted.size());
        for (TabletHealth h : sorted) {
            Tablet tablet = h.tablet();
            if (like != null && !like.matcher(tablet.getHostname()).matches()) {
                continue;
            }
            Target target = target(h);
            String termStart = h.primaryTermStartSeconds() > 0
                    ? RFC_3339.format(Instant.ofEpochSecond(h.primaryTermStartSeconds())) : "";
            rows.add(List.of(tablet.getAlias().getCell(), target.getKeyspace(), target.getShard(),
                    target.getTabletType().name(), h.serving() ? "SERVING" : "NOT_SERVING",
                    TabletAliases.format(tablet.getAlias()), tablet.getHostname(), termStart));
        }
        return result(List.of("Cell", "Keyspace", "Shard", "TabletType", "State", "Alias", "Hostname",
                "PrimaryTermStartTime"), rows);
    }

    private static QueryResult shards(TabletGateway gateway, Pattern like) {
        List<List<String>> rows = new ArrayList<>();
        for (String keyspace : new TreeSet<>(gateway.keyspaces())) {
            for (String shard : gateway.shards(keyspace)) {
                String name = keyspace + "/" + shard;
                if (like == null || like.matcher(name).matches()) {
                    rows.add(List.of(name));
                }
            }
        }
        return result(List.of("Shards"), rows);
    }

    private static QueryResult keyspaces(TabletGateway gateway, Pattern like) {
        List<List<String>> rows = new ArrayList<>();
        for (String keyspace : new TreeSet<>(gateway.keyspaces())) {
            if (like == null || like.matcher(keyspace).matches()) {
                rows.add(List.of(keyspace));
            }
        }
        return result(List.of("Database"), rows);
    }

    /**
     * The target the tablet reported serving; before its first report, the one its topology record names (a tablet
     * the gate has just discovered is listed all the same, as not serving).
     */
    private static Target target(TabletHealth h) {
        Target reported = h.target();
        if (reported != null && !reported.getKeyspace().isEmpty()) {
            return reported;
        }
        Tablet t = h.tablet();
        return Target.newBuilder().setKeyspace(t.getKeyspace()).setShard(t.getShard()).setTabletType(t.getType())
                .build();
    }

    private static QueryResult result(List<String> columns, List<List<String>> rows) {
        QueryResult.Builder out = QueryResult.newBuilder();
        for (String c : columns) {
            Field f = GateResults.text(c);
            out.addFields(f.toBuilder().setFlags(f.getFlags() | MySqlFlag.NOT_NULL_FLAG_VALUE));
        }
        for (List<String> row : rows) {
            out.addRows(CompactRows.ofStrings(row.toArray(String[]::new)));
        }
        return out.build();
    }
}
