package io.tessera.tablet.health;

/** A subscriber's registration with the {@link HealthStreamer}; closing it ends the subscriber's stream. */
public interface HealthSubscription extends AutoCloseable {
    /** Unsubscribes and completes the stream. Closing twice does nothing. */
    @Override
    void close();
}
