package io.tessera.tablet.queryservice;

/** Stops work on mysqld from outside the connection doing it. */
interface MysqlKiller {
    /** Stops the statement running on connection {@code threadId}; the connection stays usable. */
    void killQuery(long threadId);

    /** Closes connection {@code threadId} on the server, rolling back its transaction. */
    void killConnection(long threadId);
}
