package io.tessera.topo.topoproto;

import io.tessera.proto.topodata.TabletType;
import java.util.Locale;

/** Tablet type names as users type them, including the historical aliases MASTER and BATCH. */
public final class TabletTypes {
    private TabletTypes() {}

    /**
     * Parses a tablet type name, case-insensitively: {@code primary} or {@code master}, {@code replica},
     * {@code rdonly} or {@code batch}, {@code spare}, {@code experimental}, {@code backup}, {@code restore},
     * {@code drained}.
     *
     * @throws IllegalArgumentException naming the accepted types
     */
    public static TabletType parse(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        // The descriptor knows the aliases (MASTER, BATCH); the Java enum's valueOf does not.
        var value = TabletType.getDescriptor().findValueByName(n);
        if (value != null && value.getNumber() != TabletType.UNKNOWN_VALUE) {
            return TabletType.valueOf(value);
        }
        throw new IllegalArgumentException("unknown tablet type '" + name
                + "': expected primary (master), replica, rdonly (batch), spare, experimental, backup, restore or drained");
    }

    /** The canonical lower-case name ({@code primary}, never {@code master}). */
    public static String name(TabletType type) {
        return switch (type) {
            case PRIMARY -> "primary";
            case RDONLY -> "rdonly";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    /** True for the types that serve queries: primary, replica and rdonly. */
    public static boolean isServing(TabletType type) {
        return type == TabletType.PRIMARY || type == TabletType.REPLICA || type == TabletType.RDONLY;
    }
}
