/**
 * Replication positions shared by the tablet and the control daemon: GTID sets of MariaDB
 * ({@code domain-server-sequence} lists) and MySQL ({@code uuid:1-10} sets) behind one {@link
 * io.tessera.replication.GtidPosition} type, their Vitess text encoding ({@code MariaDB/0-100-7}), and the choice
 * of the most advanced position among several, which reparents need.
 */
package io.tessera.replication;
