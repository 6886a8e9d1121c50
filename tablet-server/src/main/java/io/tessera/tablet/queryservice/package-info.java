/**
 * The tablet side of the query service: {@link io.tessera.tablet.queryservice.TabletQueryService} runs the gate's
 * statements on the tablet's mysqld, behind the {@link io.tessera.queryservice.QueryService} interface.
 *
 * <h2>Wiring</h2>
 * The tablet's main builds a {@link io.tessera.tablet.queryservice.QueryServiceConfig} from
 * {@link io.tessera.tablet.queryservice.QueryServiceFlags} (vttablet's {@code --queryserver-config-*} names and
 * defaults), passes the tablet manager's {@link io.tessera.tablet.queryservice.TabletServingState} (or drives a
 * {@link io.tessera.tablet.queryservice.SettableServingState}), the mysqld's app and dba connectors and the tablet
 * alias, and serves the result with {@link io.tessera.queryservice.QueryServiceGrpcAdapter}. Whenever the tablet stops
 * serving its type (type change, demotion, a tablet control disabling it), it calls
 * {@link io.tessera.tablet.queryservice.TabletQueryService#closeAllSessions}; on shutdown it closes the service.
 *
 * <h2>Held connections</h2>
 * Transactions and reserved connections are both a transaction-pool connection held under an id between calls
 * ({@code HeldConnection}); {@code HeldConnections} owns what they share: the pool (the transaction cap bounds
 * both), one call at a time per id, what a failed statement did to the connection, the transaction and idle
 * timeouts, and closing everything at once. {@code TransactionEngine} adds Begin/Commit/Rollback on top,
 * {@code ReservedConnections} reserving and releasing. One id names one connection: a transaction on a reserved
 * connection has the reservation's id.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Bind variables are substituted into the SQL text as literals (as Vitess does), not sent as prepared
 *       statements: no extra round trip, and the text protocol returns every value as MySQL's own text, which
 *       becomes the compact row without decoding. Literals are written so they mean the same with or without
 *       {@code NO_BACKSLASH_ESCAPES} (see {@link io.tessera.tablet.queryservice.BindVariables}).</li>
 *   <li>Rows and column definitions are read from MariaDB Connector/J's result internals (the text-protocol row
 *       packets and the column definition packets), through handles made once and checked at start; JDBC alone
 *       exposes neither the collation id nor the values' wire text.</li>
 *   <li>A statement past its timeout is stopped on mysqld with {@code KILL QUERY} from a dba connection, not just
 *       abandoned by the client; a transaction past its timeout is rolled back, or its connection killed if a
 *       statement is running.</li>
 *   <li>Transaction ids start at the tablet's start time in nanoseconds, so ids never repeat across restarts.</li>
 *   <li>Connections reach the pool again only in a known state: transaction connections after a successful
 *       COMMIT/ROLLBACK and without session changes (SET, USE, pre-queries), stream connections only after a
 *       complete stream. Anything else is closed.</li>
 *   <li>Statements that would change a pooled session (SET, USE, savepoints) are refused outside a transaction
 *       or reserved connection, and BEGIN/COMMIT/ROLLBACK statements always: transactions go through Begin,
 *       Commit and Rollback.</li>
 *   <li>A reserved connection is never returned to the pool: Release, the idle timeout and
 *       {@code closeAllSessions} close it, so the session state on it (variables, temporary tables, table and
 *       named locks) dies with it. The pool opens a fresh connection in its place.</li>
 *   <li>A session opened while the tablet stopped serving is checked again once it exists, and closed if the
 *       tablet no longer serves, so none outlives {@code closeAllSessions}.</li>
 * </ul>
 */
package io.tessera.tablet.queryservice;
