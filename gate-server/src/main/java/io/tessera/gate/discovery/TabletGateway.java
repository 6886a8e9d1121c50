package io.tessera.gate.discovery;

import io.tessera.common.errors.TesseraException;
import io.tessera.proto.query.Target;
import io.tessera.proto.topodata.TabletAlias;
import io.tessera.queryservice.AsyncExecute;
import io.tessera.queryservice.QueryService;
import java.util.List;
import java.util.Set;

/**
 * The gate's way to tablets. As a {@link QueryService} it routes each request by its {@code Target} (keyspace,
 * shard, tablet type) to a healthy serving tablet chosen by the health check: for PRIMARY, the tablet with the
 * newest primary term (waiting in the failover buffer while a planned reparent is under way, when buffering is on);
 * for REPLICA and RDONLY, one of the tablets in rotation (spreading load), retrying once on another tablet when
 * the chosen one says it is not serving or cannot be reached.
 *
 * <p>Requests that name a {@code transaction_id} or {@code reserved_id} must reach the tablet that holds it: send
 * them to {@link #tablet(TabletAlias)} with the alias the opening call returned, never to the routing methods.
 */
public interface TabletGateway extends QueryService, AutoCloseable {
    /**
     * The query service of one known tablet, for calls pinned to it. Throws a
     * {@link io.tessera.common.errors.TesseraException} of kind NOT_SERVING when the gate no longer knows that tablet.
     */
    QueryService tablet(TabletAlias alias);

    /**
     * For callers that must not block (the gate's event loops): the tablet a routed {@link #execute} to
     * {@code target} would be sent to now, counted as routed there. Null when routing would have to wait (a
     * failover is being buffered) or no tablet in rotation can take a call without blocking; the caller then uses
     * {@link #execute}. A caller whose call fails with an error for which {@link #mayRouteAgain} holds sends the
     * request through {@link #execute} too, which retries or buffers it as routing does.
     */
    default RoutedTablet routeNow(Target target) {
        return null;
    }

    /**
     * For callers that must not block: the client of a tablet the gateway follows, for calls pinned to it (a
     * transaction's statements), answering on the caller's event loop where it has a channel there; null when the
     * gateway does not follow that tablet (the caller then uses {@link #tablet}, which reports it).
     */
    default AsyncExecute tabletNow(TabletAlias alias) {
        return null;
    }

    /**
     * Whether a routed call to {@code target} that failed with {@code error} did not run and would be sent again
     * by the routing methods (another tablet, or the new primary after a failover).
     */
    default boolean mayRouteAgain(Target target, TesseraException error) {
        return false;
    }

    /** Every tablet the health check follows, with its last health report, for status pages and tests. */
    List<TabletHealth> tablets();

    /**
     * The keyspaces with at least one known tablet in the watched cells or a SrvKeyspace there. The set returned is
     * never changed afterwards (a change gives a new set), so callers may tell "unchanged" by identity.
     */
    Set<String> keyspaces();

    /** The shards of {@code keyspace} known in the watched cells, sorted; empty for an unknown keyspace. */
    List<String> shards(String keyspace);

    /** Stops watching and health streams, and closes every tablet connection. */
    @Override
    void close();
}
