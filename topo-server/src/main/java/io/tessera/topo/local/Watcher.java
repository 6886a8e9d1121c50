package io.tessera.topo.local;

import io.tessera.topo.TopoException;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: a bounded queue of events filled by the store (under its lock, so in revision order) and drained by
 * the watch's own delivery thread, so a slow listener delays only itself.
 */
final class Watcher implements TopoWatch {
    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);

    private final String path;
    private final VersionedData initial;
    private final Consumer<WatchEvent> listener;
    private final int capacity;
    private final Consumer<Watcher> onCancel;
    private final Consumer<Watcher> onFinish;

    // Guarded by this. The monitor is a leaf lock: nothing is called while it is held.
    private final ArrayDeque<WatchEvent> queue = new ArrayDeque<>();
    /** A final event (Deleted or Failed) is queued: nothing more is accepted. */
    private boolean ended;
    /** Cancelled or halted: nothing more is delivered. */
    private boolean stopped;

    /**
     * @param onCancel called once when the watch is cancelled, to take it out of the store's registry
     * @param onFinish called on the delivery thread when it ends, for whatever reason
     */
    Watcher(String path, VersionedData initial, Consumer<WatchEvent> listener, int capacity,
            Consumer<Watcher> onCancel, Consumer<Watcher> onFinish) {
        this.path = path;
        this.initial = initial;
        this.listener = listener;
        this.capacity = capacity;
        this.onCancel = onCancel;
        this.onFinish = onFinish;
    }

    String path() {
        return path;
    }

    void start() {
        Thread.ofVirtual().name("topo-watch " + path).start(this::deliverAll);
    }

    @Override
    public VersionedData initial() {
        return initial;
    }

    /**
     * Queues an event. A full queue ends the watch with {@code Failed} after the events already queued, so the
     * listener sees a failure rather than a gap.
     *
     * @return false once the watch takes no more events (the caller drops it from its registry)
     */
    synchronized boolean offer(WatchEvent event) {
        if (ended || stopped) {
            return false;
        }
        if (event instanceof WatchEvent.Changed && queue.size() >= capacity) {
            event = new WatchEvent.Failed(new TopoException(TopoException.Code.UNAVAILABLE, path,
                    "watch on " + path + " fell " + capacity + " events behind; watch again to resume"));
        }
        queue.add(event);
        ended = !(event instanceof WatchEvent.Changed);
        notifyAll();
        return !ended;
    }

    @Override
    public void cancel() {
        if (halt()) {
            onCancel.accept(this);
        }
    }

    /**
     * Stops delivery at once, dropping queued events, without telling the store.
     *
     * @return true the first time
     */
    synchronized boolean halt() {
        if (stopped) {
            return false;
        }
        stopped = true;
        queue.clear();
        notifyAll();
        return true;
    }

    private void deliverAll() {
        try {
            while (true) {
                WatchEvent event = next();
                if (event == null) {
                    return;
                }
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("watch listener on {} threw; the watch goes on", path, e);
                }
                if (!(event instanceof WatchEvent.Changed)) {
                    return;
                }
            }
        } finally {
            onFinish.accept(this);
        }
    }

    /**
     * The next event to deliver, or null when delivery is over. Checking and taking under one lock is what lets
     * {@link #cancel()} promise that no event starts delivery after it returns.
     */
    private synchronized WatchEvent next() {
        while (queue.isEmpty() && !stopped) {
            try {
                wait();
            } catch (InterruptedException e) {
                // Nobody interrupts delivery threads but a JVM shutting down; end quietly.
                return null;
            }
        }
        return stopped ? null : queue.poll();
    }
}
