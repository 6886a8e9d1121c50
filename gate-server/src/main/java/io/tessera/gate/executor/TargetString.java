package io.tessera.gate.executor;

import io.tessera.common.errors.ErrorKind;
import io.tessera.common.errors.TesseraException;
import io.tessera.proto.topodata.TabletType;
import java.util.Locale;
import java.util.Objects;

/**
 * A target as clients write it in the database name, in {@code USE} and in {@code Session.target_string}:
 * {@code ks}, {@code ks@primary}, {@code ks@replica}, {@code ks@rdonly} (the old names {@code master} and
 * {@code batch} are accepted), {@code ks:0} or {@code ks/0} (one shard, routed as is), {@code ks:-80@replica},
 * {@code @replica} (no keyspace: with {@code USE}, keep the current keyspace and change the tablet type), or the
 * empty string (no target).
 *
 * @param keyspace the keyspace, empty for none
 * @param shard the shard, empty when the target does not name one
 * @param tabletType the tablet type, {@link TabletType#UNKNOWN} when the target does not name one
 */
public record TargetString(String keyspace, String shard, TabletType tabletType) {
    /** No target at all. */
    public static final TargetString NONE = new TargetString("", "", TabletType.UNKNOWN);

    public TargetString {
        Objects.requireNonNull(keyspace, "keyspace");
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(tabletType, "tabletType");
        if (tabletType == TabletType.UNRECOGNIZED) {
            throw new IllegalArgumentException("tabletType must be a known type");
        }
    }

    /**
     * Reads a target string.
     *
     * @throws TesseraException UNKNOWN_DATABASE (1049) for a string that is not a target (an unknown tablet type,
     *     an empty keyspace before a shard, key-range targets, which need VSchema routing)
     */
    public static TargetString parse(String target) {
        Objects.requireNonNull(target, "target");
        String s = target.strip();
        if (s.isEmpty()) {
            return NONE;
        }
        TabletType type = TabletType.UNKNOWN;
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            type = tabletType(s.substring(at + 1), target);
            s = s.substring(0, at);
        }
        String shard = "";
        int sep = indexOfShardSeparator(s);
        if (sep >= 0) {
            shard = s.substring(sep + 1);
            s = s.substring(0, sep);
            if (shard.isEmpty() || s.isEmpty()) {
                throw TesseraException.of(ErrorKind.UNKNOWN_DATABASE, target);
            }
        }
        if (s.indexOf('[') >= 0 || s.indexOf(']') >= 0 || s.indexOf('@') >= 0) {
            throw TesseraException.of(ErrorKind.UNKNOWN_DATABASE, target);
        }
        return new TargetString(s, shard, type);
    }

    /** The canonical text of this target: {@code ks[:shard][@type]}, with the type in lower case. */
    public String format() {
        StringBuilder out = new StringBuilder(keyspace);
        if (!shard.isEmpty()) {
            out.append(':').append(shard);
        }
        if (tabletType != TabletType.UNKNOWN) {
            out.append('@').append(typeName(tabletType));
        }
        return out.toString();
    }

    /** True if this is the empty target. */
    public boolean isEmpty() {
        return keyspace.isEmpty() && shard.isEmpty() && tabletType == TabletType.UNKNOWN;
    }

    /**
     * The session's target after {@code USE this} when the session's target was {@code current}: a target without
     * a keyspace ({@code @replica}) keeps the current keyspace and shard and changes only the tablet type.
     */
    public TargetString appliedTo(TargetString current) {
        if (keyspace.isEmpty() && shard.isEmpty()) {
            return new TargetString(current.keyspace(), current.shard(), tabletType);
        }
        return this;
    }

    /** {@code primary}, {@code replica}, {@code rdonly}... as targets spell tablet types. */
    public static String typeName(TabletType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static TabletType tabletType(String name, String target) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "primary", "master" -> TabletType.PRIMARY;
            case "replica" -> TabletType.REPLICA;
            case "rdonly", "batch" -> TabletType.RDONLY;
            default -> throw TesseraException.of(ErrorKind.UNKNOWN_DATABASE, target);
        };
    }

    /** {@code ks:shard} or {@code ks/shard}. */
    private static int indexOfShardSeparator(String s) {
        int colon = s.indexOf(':');
        return colon >= 0 ? colon : s.indexOf('/');
    }
}
