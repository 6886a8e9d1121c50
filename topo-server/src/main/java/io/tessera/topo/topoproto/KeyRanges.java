package io.tessera.topo.topoproto;

import com.google.protobuf.ByteString;
import io.tessera.proto.topodata.KeyRange;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Key ranges and the shard names that spell them. A range is half-open, {@code [start, end)}, over keyspace ids
 * compared as unsigned bytes; an empty start is minus infinity and an empty end plus infinity. A shard name is
 * {@code <start hex>-<end hex>} ({@code -80}, {@code 80-}, {@code 40-80}); {@code 0} and {@code -} name the whole range.
 */
public final class KeyRanges {
    private static final HexFormat HEX = HexFormat.of();

    /** The whole keyspace: both bounds open. */
    public static final KeyRange FULL = KeyRange.getDefaultInstance();

    private KeyRanges() {}

    /** True if {@code shard} names a key range (as opposed to a plain name such as {@code 0}). */
    public static boolean isKeyRangeName(String shard) {
        return shard.contains("-");
    }

    /**
     * Parses a shard name into its key range ({@code 0} and {@code -} give the full range).
     *
     * @throws IllegalArgumentException if a bound is not even-length hex or start is not below end
     */
    public static KeyRange parseShardName(String shard) {
        if (shard == null || shard.isEmpty()) {
            throw new IllegalArgumentException("empty shard name");
        }
        if (!isKeyRangeName(shard)) {
            if (shard.equals("0")) {
                return FULL;
            }
            throw new IllegalArgumentException("invalid shard name '" + shard
                    + "': expected 0, - or <start hex>-<end hex> such as -80, 80- or 40-80");
        }
        int dash = shard.indexOf('-');
        if (shard.indexOf('-', dash + 1) >= 0) {
            throw new IllegalArgumentException("invalid shard name '" + shard + "': more than one '-'");
        }
        byte[] start = parseBound(shard, shard.substring(0, dash));
        byte[] end = parseBound(shard, shard.substring(dash + 1));
        if (start.length > 0 && end.length > 0 && compare(start, end) >= 0) {
            throw new IllegalArgumentException("invalid shard name '" + shard + "': start must be below end");
        }
        return KeyRange.newBuilder().setStart(ByteString.copyFrom(start)).setEnd(ByteString.copyFrom(end)).build();
    }

    private static byte[] parseBound(String shard, String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("invalid shard name '" + shard + "': bound '" + hex
                    + "' must have an even number of hex digits");
        }
        try {
            return HEX.parseHex(hex.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid shard name '" + shard + "': bound '" + hex + "' is not hex");
        }
    }

    /** The shard name of a key range: {@code -80}, {@code 80-}, or {@code -} for the full range. */
    public static String format(KeyRange range) {
        return HEX.formatHex(range.getStart().toByteArray()) + "-" + HEX.formatHex(range.getEnd().toByteArray());
    }

    /** True if {@code keyspaceId} lies in {@code [start, end)}. */
    public static boolean contains(KeyRange range, byte[] keyspaceId) {
        byte[] start = range.getStart().toByteArray();
        byte[] end = range.getEnd().toByteArray();
        return (start.length == 0 || compare(start, keyspaceId) <= 0)
                && (end.length == 0 || compare(keyspaceId, end) < 0);
    }

    /** True if the two ranges share at least one keyspace id. */
    public static boolean intersect(KeyRange a, KeyRange b) {
        return lessThanEnd(a.getStart().toByteArray(), b.getEnd().toByteArray())
                && lessThanEnd(b.getStart().toByteArray(), a.getEnd().toByteArray());
    }

    private static boolean lessThanEnd(byte[] start, byte[] end) {
        return end.length == 0 || compare(start, end) < 0;
    }

    /**
     * Compares keyspace ids as unsigned bytes, the shorter one right-padded with zero bytes: as bounds,
     * {@code 80} and {@code 8000} are the same point.
     */
    public static int compare(byte[] a, byte[] b) {
        int n = Math.max(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int x = i < a.length ? a[i] & 0xff : 0;
            int y = i < b.length ? b[i] & 0xff : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }
}
