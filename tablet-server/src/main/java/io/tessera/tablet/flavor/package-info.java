/**
 * The flavor layer: what differs between MariaDB and MySQL in replication.
 *
 * <p>{@link io.tessera.tablet.flavor.GtidPosition} and its three kinds model replication positions, with
 * {@link io.tessera.tablet.flavor.Positions} for their {@code "<flavor>/<gtid set>"} RPC form and
 * {@link io.tessera.tablet.flavor.MostAdvanced} for choosing a promotion candidate.
 * {@link io.tessera.tablet.flavor.Flavor} produces the SQL that controls replication and parses what the server
 * reports into {@link io.tessera.tablet.flavor.ReplicationStatus} and
 * {@link io.tessera.tablet.flavor.PrimaryStatus}, which {@link io.tessera.tablet.flavor.ReplicationProtos} turns
 * into the {@code replicationdata} messages. Nothing here opens a connection: callers run the statements.
 */
package io.tessera.tablet.flavor;
