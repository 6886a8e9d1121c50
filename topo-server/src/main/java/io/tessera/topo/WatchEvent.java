package io.tessera.topo;

/**
 * What a watch reports after its initial value. The closed set: a new value, the file's deletion, or a failure.
 * {@link Deleted} and {@link Failed} are always the last event of a watch.
 */
public sealed interface WatchEvent {

    /** The file was written; {@code data} is the value and version of that write. */
    record Changed(VersionedData data) implements WatchEvent {}

    /** The file was deleted. The watch ends. */
    record Deleted() implements WatchEvent {}

    /**
     * The watch broke (the backend went away, or the watcher fell too far behind to be given every change).
     * The watch ends; the caller may watch again and gets the current value as the new initial value.
     */
    record Failed(TopoException error) implements WatchEvent {}
}
