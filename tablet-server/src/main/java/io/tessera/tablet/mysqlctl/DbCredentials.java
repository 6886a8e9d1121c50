package io.tessera.tablet.mysqlctl;

import java.util.Objects;

/**
 * The MySQL accounts a tablet uses, one per role, with Vitess's names as defaults.
 *
 * @param dba administrative work and replication control ({@code vt_dba}); in managed mode it holds ALL
 *     privileges WITH GRANT OPTION and may connect from localhost only
 * @param app queries from the gate ({@code vt_app}); an explicit privilege list without SUPER, READ_ONLY ADMIN
 *     or ALL, so {@code read_only=ON} refuses its writes
 * @param repl what replicas use to connect to this server ({@code vt_repl}); REPLICATION SLAVE, REPLICATION
 *     SLAVE ADMIN and BINLOG MONITOR only
 */
public record DbCredentials(DbUser dba, DbUser app, DbUser repl) {
    /** Vitess's default dba user name. */
    public static final String DEFAULT_DBA_USER = "vt_dba";
    /** Vitess's default app user name. */
    public static final String DEFAULT_APP_USER = "vt_app";
    /** Vitess's default replication user name. */
    public static final String DEFAULT_REPL_USER = "vt_repl";

    public DbCredentials {
        Objects.requireNonNull(dba, "dba");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(repl, "repl");
    }

    /** The Vitess user names with empty passwords, as a fresh Vitess tablet uses them. */
    public static DbCredentials defaults() {
        return new DbCredentials(new DbUser(DEFAULT_DBA_USER, ""), new DbUser(DEFAULT_APP_USER, ""),
                new DbUser(DEFAULT_REPL_USER, ""));
    }

    /** The Vitess user names, every one with the same password: handy in tests. */
    public static DbCredentials withPassword(String password) {
        return new DbCredentials(new DbUser(DEFAULT_DBA_USER, password), new DbUser(DEFAULT_APP_USER, password),
                new DbUser(DEFAULT_REPL_USER, password));
    }
}
