package io.tessera.ctl.command;

/** The headings of {@code tessera-ctl help}, in the order printed. */
public enum Group {
    KEYSPACES("Keyspaces"),
    SHARDS("Shards"),
    TABLETS("Tablets"),
    REPARENT("Replication/Reparent"),
    SCHEMA("Schema"),
    VSCHEMA("VSchema/Serving graph"),
    TOPOLOGY("Topology");

    private final String title;

    Group(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
