/**
 * The tablet manager's client side: {@link io.tessera.tabletmanager.TabletManagerClient}, the one interface that
 * the tablet's real manager, the gRPC client ({@link io.tessera.tabletmanager.TabletManagerClients}) and test
 * fakes implement; the gRPC service adapter ({@link io.tessera.tabletmanager.TabletManagerGrpcService}); the
 * error that crosses between them ({@link io.tessera.tabletmanager.TabletManagerException}); and the keyspace
 * durability policies ({@link io.tessera.tabletmanager.DurabilityPolicy}) that decide semi-sync flags.
 */
package io.tessera.tabletmanager;
