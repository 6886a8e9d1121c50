package io.tessera.tablet.flavor;

/**
 * A server plugin that provides semi-synchronous replication on MySQL, where it is not built in.
 *
 * @param name the plugin name, for example {@code rpl_semi_sync_source}
 * @param library the shared library that holds it, for example {@code semisync_source.so}
 */
public record SemiSyncPlugin(String name, String library) {

    /**
     * A query that returns one row with the plugin's status ({@code ACTIVE} when usable) if it is installed, and
     * no row otherwise. Installing a plugin twice is an error, so check first.
     */
    public String statusQuery() {
        return "SELECT PLUGIN_STATUS FROM information_schema.PLUGINS WHERE PLUGIN_NAME = " + SqlStrings.quote(name);
    }

    /** The statement that loads the plugin; it stays loaded across restarts. */
    public String installStatement() {
        return "INSTALL PLUGIN " + name + " SONAME " + SqlStrings.quote(library);
    }
}
