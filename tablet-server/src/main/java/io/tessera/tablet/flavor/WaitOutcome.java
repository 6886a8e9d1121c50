package io.tessera.tablet.flavor;

/** The result of waiting for a replica to apply a position; see {@link Flavor#waitForPositionQuery}. */
public enum WaitOutcome {
    /** The server has applied the position. */
    REACHED,
    /** The timeout passed first. */
    TIMED_OUT
}
