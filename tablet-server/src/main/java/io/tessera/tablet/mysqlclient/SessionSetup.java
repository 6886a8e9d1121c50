package io.tessera.tablet.mysqlclient;

/**
 * What makes a native session the same as one MariaDB Connector/J 3.5 opens for the same connector (the tablet's
 * JDBC pools), so a statement behaves the same whichever path runs it. Measured with the general query log and by
 * comparing session variables (NativeSessionTest):
 * <ul>
 *   <li>Connector/J sets CLIENT_FOUND_ROWS (unless {@code useAffectedRows=true}, which the tablet does not use), so
 *       UPDATE reports rows matched, not rows changed; and CLIENT_IGNORE_SPACE, which makes mysqld add IGNORE_SPACE
 *       to the session's sql_mode.</li>
 *   <li>The handshake collation is the server's default when that is a utf8mb4 collation, else
 *       utf8mb4_unicode_ci (224).</li>
 *   <li>After login it sends {@code set sql_mode=CONCAT(@@sql_mode,',STRICT_TRANS_TABLES'),...,NAMES utf8mb4},
 *       and {@code autocommit=1} only when the server's status says autocommit is off. Its other settings are
 *       session tracking, which this client does not ask for. It sets neither the time zone nor the isolation
 *       level with the tablet's URL.</li>
 * </ul>
 * Beyond what Connector/J asks for, the native client takes MariaDB's MARIADB_CLIENT_CACHE_METADATA when mysqld
 * offers it: a prepared statement executed again comes back without the column definitions it had last time. It
 * changes what travels, not what a statement does.
 */
final class SessionSetup {
    private static final int UTF8MB4_GENERAL_CI = 45;
    private static final int UTF8MB4_BIN = 46;
    private static final int UTF8MB4_UNICODE_CI = 224;
    private static final int LAST_UTF8MB4_UCA = 247;

    private SessionSetup() {}

    /**
     * The capabilities to ask for, given the server's, whether the connector names a database and whether to offer
     * DEPRECATE_EOF (always, but for tests of the older result framing).
     */
    static long clientCapabilities(long server, boolean withDatabase, boolean deprecateEof) {
        long wanted = Capabilities.PROTOCOL_41 | Capabilities.SECURE_CONNECTION | Capabilities.PLUGIN_AUTH
                | Capabilities.TRANSACTIONS | Capabilities.MULTI_RESULTS | Capabilities.PS_MULTI_RESULTS
                | Capabilities.LONG_FLAG | Capabilities.FOUND_ROWS | Capabilities.IGNORE_SPACE
                | Capabilities.MARIADB_CACHE_METADATA;
        if (deprecateEof) {
            wanted |= Capabilities.DEPRECATE_EOF;
        }
        if (withDatabase) {
            wanted |= Capabilities.CONNECT_WITH_DB;
        }
        return wanted & server;
    }

    /** The collation id the handshake response announces. */
    static int collation(int serverDefault) {
        boolean utf8mb4 = serverDefault == UTF8MB4_GENERAL_CI || serverDefault == UTF8MB4_BIN
                || (serverDefault >= UTF8MB4_UNICODE_CI && serverDefault <= LAST_UTF8MB4_UCA);
        return utf8mb4 ? serverDefault : UTF8MB4_UNICODE_CI;
    }

    /**
     * The statement run right after login, given the status flags of the login's OK and the session's
     * {@code sql_select_limit} (0 leaves the server's default).
     */
    static String statement(int statusFlags, long selectLimit) {
        StringBuilder sql = new StringBuilder("SET ");
        if ((statusFlags & Capabilities.SERVER_STATUS_AUTOCOMMIT) == 0) {
            sql.append("autocommit=1,");
        }
        if (selectLimit > 0) {
            sql.append("sql_select_limit=").append(selectLimit).append(',');
        }
        return sql.append("sql_mode=CONCAT(@@sql_mode,',STRICT_TRANS_TABLES'),NAMES utf8mb4").toString();
    }
}
