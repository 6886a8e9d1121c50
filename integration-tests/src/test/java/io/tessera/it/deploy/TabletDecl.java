package io.tessera.it.deploy;

/**
 * A tablet a deployment file starts.
 *
 * @param uid the tablet's uid (100 for {@code zone1-100})
 * @param cell its cell
 * @param keyspace its keyspace
 * @param shard its shard
 * @param type the type it starts as ({@code replica}, {@code rdonly})
 * @param where where it is declared, for messages
 */
record TabletDecl(long uid, String cell, String keyspace, String shard, String type, String where) {

    /** The alias as the topology writes it, {@code zone1-0000000100}. */
    String alias() {
        return "%s-%010d".formatted(cell, uid);
    }

    /** Parses {@code zone1-100} or {@code zone1-0000000100}. */
    static TabletDecl of(String tabletPath, String keyspace, String shard, String type, String where) {
        int dash = tabletPath.lastIndexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException(where + ": --tablet-path " + tabletPath + " is not <cell>-<uid>");
        }
        return new TabletDecl(Long.parseLong(tabletPath.substring(dash + 1)), tabletPath.substring(0, dash),
                keyspace, shard, type, where);
    }
}
