package io.tessera.tablet.manager;

/**
 * Told by the tablet manager what the query service should do. The tablet's {@code main} connects it to the query
 * service, which converges on each state it is given.
 *
 * <p>The manager calls it synchronously, in order, from the call that made the change (while holding its action
 * lock), so the query service has switched by the time a reparent step returns. In particular, after
 * {@code DemotePrimary} has returned the query service has been told to stop taking writes. An exception thrown
 * here fails the call that made the change.
 */
@FunctionalInterface
public interface TabletStateListener {
    /** A listener that ignores every state, for a tablet without a query service (and for tests). */
    TabletStateListener NONE = state -> { };

    /** The query service should now behave as {@code state} says. */
    void stateChanged(ServingState state);
}
