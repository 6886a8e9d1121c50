/**
 * The tablet's hand on its MySQL server.
 *
 * <p>{@link io.tessera.tablet.mysqlctl.MysqlDaemon} is what the rest of the tablet sees: lifecycle, a liveness
 * probe, where the server listens, and JDBC connection factories for the tablet's roles (dba, app, repl).
 * {@link io.tessera.tablet.mysqlctl.ManagedMysqld} runs a MariaDB server that the tablet owns: it lays out the
 * tablet directory, copies a template datadir, writes my.cnf, starts and stops mysqld and creates the role users
 * and databases on first start. {@link io.tessera.tablet.mysqlctl.ExternalMysqld} attaches to a server somebody
 * else runs and refuses to start when that server is not configured for GTID row-based replication.
 *
 * <p>User-facing flags and the directory layout are described in {@code docs/tablet-mysqld.md}.
 */
package io.tessera.tablet.mysqlctl;
