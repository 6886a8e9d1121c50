package io.tessera.ctl.cli;

import io.tessera.proto.topodata.TabletAlias;
import io.tessera.proto.topodata.TabletType;
import io.tessera.proto.vttime.Duration;
import io.tessera.topo.topoproto.TabletAliases;
import io.tessera.topo.topoproto.TabletTypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parsers for the values commands take: tablet aliases, keyspace/shard names, tablet types, durations. */
public final class Values {
    private Values() {}

    /** A keyspace and shard, as typed {@code commerce/0} or {@code customer/-80}. */
    public record KeyspaceShard(String keyspace, String shard) {
        @Override
        public String toString() {
            return keyspace + "/" + shard;
        }
    }

    /**
     * Parses {@code <cell>-<uid>} (the uid in decimal, padded or not), as Vitess does: the cell is everything
     * before the last dash.
     */
    public static TabletAlias alias(String text) throws UsageException {
        try {
            return TabletAliases.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("malformed tablet alias \"" + text
                    + "\": expected <cell>-<uid> with a numeric uid below 2^32, e.g. zone1-0000000100");
        }
    }

    /** Several aliases. */
    public static List<TabletAlias> aliases(List<String> texts) throws UsageException {
        List<TabletAlias> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(alias(t));
        }
        return out;
    }

    /** The canonical form of an alias: {@code zone1-0000000100}. */
    public static String aliasString(TabletAlias alias) {
        return TabletAliases.format(alias);
    }

    /** Parses {@code keyspace/shard}; both parts must be present. */
    public static KeyspaceShard keyspaceShard(String text) throws UsageException {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new UsageException("malformed keyspace/shard \"" + text
                    + "\": expected <keyspace>/<shard>, e.g. commerce/0 or customer/-80");
        }
        return new KeyspaceShard(text.substring(0, slash), text.substring(slash + 1));
    }

    /** Parses a tablet type in any case; {@code master} and {@code batch} are the old names. */
    public static TabletType tabletType(String text) throws UsageException {
        try {
            return TabletTypes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown tablet type \"" + text + "\": expected one of "
                    + Arrays.stream(TabletType.values())
                            .filter(t -> t != TabletType.UNRECOGNIZED && t != TabletType.UNKNOWN)
                            .map(t -> t.name().toLowerCase(Locale.ROOT))
                            .distinct()
                            .collect(Collectors.joining(", ")));
        }
    }

    /** A Java duration as it travels in RPCs. */
    public static Duration duration(java.time.Duration d) {
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    /** {@code true} or {@code false} as a positional argument (Go's spellings). */
    public static boolean bool(String what, String text) throws UsageException {
        return switch (text) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new UsageException(what + " must be true or false, not \"" + text + "\"");
        };
    }
}
