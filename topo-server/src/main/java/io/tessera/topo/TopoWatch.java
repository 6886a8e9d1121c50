package io.tessera.topo;

/**
 * A running watch on one file. Closing it cancels the watch.
 */
public interface TopoWatch extends AutoCloseable {

    /** The file's value when the watch started; every {@link WatchEvent.Changed} that follows is newer. */
    VersionedData initial();

    /**
     * Stops the watch. After this returns no further event is delivered, except one whose delivery had already
     * begun on the watch's delivery thread. Idempotent.
     */
    void cancel();

    @Override
    default void close() {
        cancel();
    }
}
