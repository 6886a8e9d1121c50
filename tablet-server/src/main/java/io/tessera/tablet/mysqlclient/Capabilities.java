package io.tessera.tablet.mysqlclient;

/** The capability and status flags this client uses ({@code CLIENT_*}, {@code SERVER_*}). */
final class Capabilities {
    /** CLIENT_LONG_PASSWORD to MySQL; MariaDB reads it as CLIENT_MYSQL: set, the extended capabilities are absent. */
    static final long CLIENT_MYSQL = 1L;
    static final long FOUND_ROWS = 1L << 1;
    static final long LONG_FLAG = 1L << 2;
    static final long CONNECT_WITH_DB = 1L << 3;
    static final long IGNORE_SPACE = 1L << 8;
    static final long PROTOCOL_41 = 1L << 9;
    static final long TRANSACTIONS = 1L << 13;
    static final long SECURE_CONNECTION = 1L << 15;
    static final long MULTI_RESULTS = 1L << 17;
    static final long PS_MULTI_RESULTS = 1L << 18;
    static final long PLUGIN_AUTH = 1L << 19;
    static final long DEPRECATE_EOF = 1L << 24;
    /**
     * MariaDB's MARIADB_CLIENT_CACHE_METADATA (an extended capability, bit 4 of the upper 32): a column count is
     * followed by a "metadata follows" byte, and mysqld leaves out a prepared statement's column definitions when
     * they are those it last sent for the statement.
     */
    static final long MARIADB_CACHE_METADATA = 1L << 36;

    static final int SERVER_STATUS_AUTOCOMMIT = 0x0002;
    static final int SERVER_MORE_RESULTS_EXISTS = 0x0008;

    private Capabilities() {}
}
