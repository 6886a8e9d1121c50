/**
 * The tablet side of the query service ({@link io.tessera.tablet.queryservice.TabletQueryService}): target and
 * serving-state checks against the tablet manager's {@link io.tessera.tablet.queryservice.TabletServingState},
 * statement classification without a full parse, bind variables, HikariCP pools sized by vttablet's flags
 * ({@link io.tessera.tablet.queryservice.QueryServiceFlags}), transactions with a timeout, query timeouts enforced
 * by killing the statement on mysqld, and results in compact rows, whole or streamed in bounded memory.
 */
package io.tessera.tablet.queryservice;
