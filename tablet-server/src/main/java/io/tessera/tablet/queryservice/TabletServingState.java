package io.tessera.tablet.queryservice;

/**
 * Where the query service reads its tablet's state. It is read on every request, so implementations return an
 * already built value and never block; the tablet manager implements it (or drives a
 * {@link SettableServingState}).
 */
@FunctionalInterface
public interface TabletServingState {
    /** The state now. */
    ServingState current();
}
