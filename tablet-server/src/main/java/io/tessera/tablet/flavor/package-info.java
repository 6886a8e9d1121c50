/**
 * The flavor layer: what differs between MariaDB and MySQL in replication.
 *
 * <p>Replication positions themselves ({@link io.tessera.replication.GtidPosition}, their RPC form and the choice of
 * the most advanced) live in {@code io.tessera.replication} in the common module, which the control daemon shares.
 * {@link io.tessera.tablet.flavor.Flavor} produces the SQL that controls replication and parses what the server
 * reports into {@link io.tessera.tablet.flavor.ReplicationStatus} and
 * {@link io.tessera.tablet.flavor.PrimaryStatus}, which {@link io.tessera.tablet.flavor.ReplicationProtos} turns
 * into the {@code replicationdata} messages. Nothing here opens a connection: callers run the statements.
 */
package io.tessera.tablet.flavor;
