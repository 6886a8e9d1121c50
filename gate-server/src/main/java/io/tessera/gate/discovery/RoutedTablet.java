package io.tessera.gate.discovery;

import io.tessera.proto.topodata.TabletAlias;
import io.tessera.queryservice.AsyncExecute;

/**
 * The tablet a routed call was sent to without blocking ({@link TabletGateway#routeNow}).
 *
 * @param alias the tablet
 * @param service its query service, for calls that must not block the caller
 */
public record RoutedTablet(TabletAlias alias, AsyncExecute service) {}
