package io.tessera.gate.mysql;

/** Numbers of the MySQL client/server protocol: capability flags, status flags, commands and packet markers. */
final class Protocol {
    private Protocol() {}

    /** The largest payload one packet carries; a payload this long or longer continues in the next packet. */
    static final int MAX_CHUNK = 0xFFFFFF;

    // Capability flags.
    static final int CLIENT_LONG_PASSWORD = 1;
    static final int CLIENT_FOUND_ROWS = 1 << 1;
    static final int CLIENT_LONG_FLAG = 1 << 2;
    static final int CLIENT_CONNECT_WITH_DB = 1 << 3;
    static final int CLIENT_PROTOCOL_41 = 1 << 9;
    static final int CLIENT_SSL = 1 << 11;
    static final int CLIENT_TRANSACTIONS = 1 << 13;
    static final int CLIENT_SECURE_CONNECTION = 1 << 15;
    static final int CLIENT_MULTI_STATEMENTS = 1 << 16;
    static final int CLIENT_MULTI_RESULTS = 1 << 17;
    static final int CLIENT_PS_MULTI_RESULTS = 1 << 18;
    static final int CLIENT_PLUGIN_AUTH = 1 << 19;
    static final int CLIENT_CONNECT_ATTRS = 1 << 20;
    static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21;
    static final int CLIENT_SESSION_TRACK = 1 << 23;
    static final int CLIENT_DEPRECATE_EOF = 1 << 24;

    /**
     * What the gate offers; {@link #CLIENT_SSL} is added when TLS is configured. {@link #CLIENT_LONG_PASSWORD} is
     * left out as MariaDB leaves it out: the bit (MariaDB calls it CLIENT_MYSQL) tells MariaDB clients that the
     * greeting carries no extended capabilities, and no client of the last twenty years needs it otherwise.
     */
    static final int SERVER_CAPABILITIES = CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG
            | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION
            | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS | CLIENT_PS_MULTI_RESULTS | CLIENT_PLUGIN_AUTH
            | CLIENT_CONNECT_ATTRS | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_SESSION_TRACK
            | CLIENT_DEPRECATE_EOF;

    // MariaDB's extended capabilities: the greeting's last 4 reserved bytes and the handshake response's last 4
    // filler bytes, read only when the other side leaves CLIENT_LONG_PASSWORD (CLIENT_MYSQL) clear.
    /**
     * MARIADB_CLIENT_CACHE_METADATA: every column count carries a "metadata follows" byte, and a prepared
     * statement's result leaves its column definitions out when they are those the client last received for it.
     */
    static final int MARIADB_CLIENT_CACHE_METADATA = 1 << 4;

    /** The extended capabilities the gate offers. */
    static final int SERVER_EXTENDED_CAPABILITIES = MARIADB_CLIENT_CACHE_METADATA;

    // Status flags of OK and EOF packets.
    static final int SERVER_STATUS_IN_TRANS = 1;
    static final int SERVER_STATUS_AUTOCOMMIT = 1 << 1;
    static final int SERVER_MORE_RESULTS_EXISTS = 1 << 3;
    static final int SERVER_SESSION_STATE_CHANGED = 1 << 14;

    // Commands.
    static final int COM_QUIT = 0x01;
    static final int COM_INIT_DB = 0x02;
    static final int COM_QUERY = 0x03;
    static final int COM_FIELD_LIST = 0x04;
    static final int COM_STATISTICS = 0x09;
    static final int COM_PING = 0x0e;
    static final int COM_CHANGE_USER = 0x11;
    static final int COM_STMT_PREPARE = 0x16;
    static final int COM_STMT_EXECUTE = 0x17;
    static final int COM_STMT_SEND_LONG_DATA = 0x18;
    static final int COM_STMT_CLOSE = 0x19;
    static final int COM_STMT_RESET = 0x1a;
    static final int COM_SET_OPTION = 0x1b;
    static final int COM_STMT_FETCH = 0x1c;
    static final int COM_RESET_CONNECTION = 0x1f;

    // COM_SET_OPTION values.
    static final int MYSQL_OPTION_MULTI_STATEMENTS_ON = 0;
    static final int MYSQL_OPTION_MULTI_STATEMENTS_OFF = 1;

    // First bytes of server packets.
    static final int OK_HEADER = 0x00;
    static final int AUTH_MORE_DATA = 0x01;
    static final int EOF_HEADER = 0xfe;
    static final int AUTH_SWITCH_HEADER = 0xfe;
    static final int ERR_HEADER = 0xff;
    static final int NULL_VALUE = 0xfb;

    // caching_sha2_password "more data" answers.
    static final int SHA2_FAST_AUTH_SUCCESS = 0x03;
    static final int SHA2_PERFORM_FULL_AUTH = 0x04;

    /** utf8mb4_general_ci: the connection collation the gate announces and gives text columns by default. */
    static final int COLLATION_UTF8MB4_GENERAL_CI = 45;
    /** The binary collation of numbers, dates and binary strings. */
    static final int COLLATION_BINARY = 63;

    /** The payload length of an SSL request (capabilities, max packet, collation, 23 filler bytes). */
    static final int SSL_REQUEST_LENGTH = 32;
}
