package io.tessera.topo.topoproto;

import io.tessera.proto.topodata.TabletAlias;

/** The text form of tablet aliases: {@code <cell>-<uid padded to 10 digits>}, e.g. {@code zone1-0000000100}. */
public final class TabletAliases {
    private TabletAliases() {}

    /** Formats an alias as Vitess does: {@code zone1-0000000100}. */
    public static String format(TabletAlias alias) {
        return alias.getCell() + "-" + String.format("%010d", Integer.toUnsignedLong(alias.getUid()));
    }

    /**
     * Parses {@code <cell>-<uid>}; the uid may be padded or not ({@code zone1-100} = {@code zone1-0000000100}).
     *
     * @throws IllegalArgumentException with a message showing the expected form
     */
    public static TabletAlias parse(String text) {
        int dash = text == null ? -1 : text.lastIndexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw new IllegalArgumentException("invalid tablet alias '" + text + "': expected <cell>-<uid>, e.g. zone1-100");
        }
        String cell = text.substring(0, dash);
        String uidText = text.substring(dash + 1);
        // Digits only: Long.parseLong alone would also take a sign ("zone1-+1").
        long uid;
        try {
            if (!uidText.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException(uidText);
            }
            uid = Long.parseLong(uidText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid tablet alias '" + text + "': uid '" + uidText + "' is not a number");
        }
        if (uid < 0 || uid > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("invalid tablet alias '" + text + "': uid out of range");
        }
        return TabletAlias.newBuilder().setCell(cell).setUid((int) uid).build();
    }
}
