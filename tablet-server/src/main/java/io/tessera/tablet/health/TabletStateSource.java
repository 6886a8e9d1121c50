package io.tessera.tablet.health;

/**
 * Where the health check learns what the tablet means to be: its target, whether it intends to serve, and when its
 * primary term started. The tablet's state manager implements it; the check calls it once per run, from its own
 * thread, so an implementation must be thread-safe and must not block.
 */
@FunctionalInterface
public interface TabletStateSource {
    /** The tablet's state as of now. */
    TabletState current();
}
