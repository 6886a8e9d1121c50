package io.tessera.gate.buffer;

/**
 * A buffered request's turn to be retried once its failover is over. The buffer lets only a few buffered requests
 * retry at a time, in the order they arrived, so that the new primary is not hit by the whole backlog at once: close
 * the slot as soon as the retry is done (successful or not) to let the next one go. Closing twice is harmless.
 */
public interface DrainSlot extends AutoCloseable {
    /** A slot that holds nothing back: for a request that can go on at once. */
    DrainSlot NONE = () -> {};

    @Override
    void close();
}
