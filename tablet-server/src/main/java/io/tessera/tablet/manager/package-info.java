/**
 * The tablet manager: the tablet's control plane. {@link io.tessera.tablet.manager.TabletManager} carries out the
 * {@code TabletManager} RPCs (type changes, replication control, the steps of reparents) on the tablet's MySQL
 * and topology record, and tells the query service what it decided through a
 * {@link io.tessera.tablet.manager.TabletStateListener}. Build it with
 * {@link io.tessera.tablet.manager.TabletManagerBuilder}; the client side and the gRPC adapter are in
 * {@code io.tessera.tabletmanager}. docs/tablet-manager.md describes each call.
 */
package io.tessera.tablet.manager;
