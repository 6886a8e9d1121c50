package io.tessera.ctl.format;

import io.tessera.ctl.cli.Values;
import io.tessera.proto.topodata.Tablet;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.topo.topoproto.TabletTypes;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One tablet on one line, as {@code ListAllTablets} and {@code GetTablets --format awk} print it:
 * {@code alias keyspace shard type host:grpcport mysqlhost:mysqlport [tags]}, with the type in lower case and the
 * tags as {@code [k1:v1 k2:v2]} sorted by key. An empty keyspace or shard prints as {@code <null>}, as in Vitess.
 */
public final class TabletLine {
    /** Orders tablets by cell, then uid. */
    public static final Comparator<TabletAlias> ALIAS_ORDER = Comparator.comparing(TabletAlias::getCell)
            .thenComparing(a -> Integer.toUnsignedLong(a.getUid()));

    private TabletLine() {}

    public static String of(Tablet t) {
        return String.join(" ",
                Values.aliasString(t.getAlias()),
                orNull(t.getKeyspace()),
                orNull(t.getShard()),
                type(t),
                hostPort(t.getHostname(), t.getPortMapOrDefault("grpc", 0)),
                hostPort(t.getMysqlHostname(), t.getMysqlPort()),
                tags(t.getTagsMap()));
    }

    /** The tablets sorted by alias, one line each. */
    public static List<String> lines(List<Tablet> tablets) {
        return tablets.stream()
                .sorted(Comparator.comparing(Tablet::getAlias, ALIAS_ORDER))
                .map(TabletLine::of)
                .toList();
    }

    static String type(Tablet t) {
        return switch (t.getType()) {
            case UNRECOGNIZED -> "unknown(" + t.getTypeValue() + ")";
            default -> TabletTypes.name(t.getType());
        };
    }

    static String hostPort(String host, int port) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return h + ":" + port;
    }

    static String tags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(" ", "[", "]"));
    }

    private static String orNull(String s) {
        return s.isEmpty() ? "<null>" : s;
    }
}
