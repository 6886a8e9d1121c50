package io.tessera.topo.etcd;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchResponse;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoWatch;
import io.tessera.topo.Version;
import io.tessera.topo.VersionedData;
import io.tessera.topo.WatchEvent;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch on one file, fed by one etcd watch stream and delivered on one thread of its own.
 *
 * <p>jetcd calls {@link #onNext} on a shared network thread that must never block, so events are queued here
 * and handed to the listener by the delivery thread, in the order etcd sent them. A listener that falls more
 * than {@code maxPending} changes behind ends the watch with {@link WatchEvent.Failed}: dropping changes
 * silently would break the promise that every change is seen.
 *
 * <p>jetcd would quietly re-create a broken stream; this class instead ends the watch on the first stream error
 * (lost connection, compaction, cancellation by the server) and reports it, so the caller re-reads and re-watches
 * knowing something may have been missed.
 */
final class EtcdWatch implements TopoWatch, Watch.Listener {
    private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);

    /** Wakes the delivery thread after {@link #cancel()}; never delivered because cancel is checked first. */
    private static final WatchEvent WAKE_UP = new WatchEvent.Deleted();

    private final String path;
    private final VersionedData initial;
    private final Consumer<WatchEvent> listener;
    private final int maxPending;
    private final EtcdCalls calls;
    private final Runnable onFinished;
    private final LinkedBlockingQueue<WatchEvent> queue = new LinkedBlockingQueue<>();
    /** Set once the last event (Deleted or Failed) is queued, or on cancel: nothing more is queued. */
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Thread deliveryThread;
    private volatile boolean cancelled;
    private volatile Watch.Watcher watcher;

    EtcdWatch(String path, VersionedData initial, Consumer<WatchEvent> listener, int maxPending, EtcdCalls calls,
            Runnable onFinished) {
        this.path = path;
        this.initial = initial;
        this.listener = listener;
        this.maxPending = maxPending;
        this.calls = calls;
        this.onFinished = onFinished;
        this.deliveryThread = Thread.ofPlatform()
                .name("etcd-watch " + path)
                .daemon(true)
                .unstarted(this::deliver);
    }

    /** Starts delivery and attaches the etcd stream that feeds it. */
    void start(Watch watchClient, io.etcd.jetcd.ByteSequence key, long fromRevision) {
        deliveryThread.start();
        Watch.Watcher w = watchClient.watch(key,
                io.etcd.jetcd.options.WatchOption.builder().withRevision(fromRevision).build(), this);
        watcher = w;
        // The stream may have ended (or the watch been cancelled) before jetcd handed back the watcher.
        if (ended.get()) {
            w.close();
        }
    }

    @Override
    public VersionedData initial() {
        return initial;
    }

    /** True once nothing more will be queued: the last event is queued, or the watch was cancelled. */
    boolean ended() {
        return ended.get();
    }

    @Override
    public void cancel() {
        cancelled = true;
        end();
        queue.offer(WAKE_UP);
        finish();
    }

    @Override
    public void onNext(WatchResponse response) {
        for (io.etcd.jetcd.watch.WatchEvent event : response.getEvents()) {
            if (ended.get()) {
                return;
            }
            KeyValue kv = event.getKeyValue();
            switch (event.getEventType()) {
                case PUT -> enqueue(new WatchEvent.Changed(
                        new VersionedData(kv.getValue().getBytes(), new Version(kv.getModRevision()))));
                case DELETE -> endWith(new WatchEvent.Deleted());
                default -> endWith(failed("etcd sent an event of unknown type " + event.getEventType(), null));
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        TopoException e = calls.failure(error, "watch", path);
        endWith(new WatchEvent.Failed(e));
    }

    @Override
    public void onCompleted() {
        if (!cancelled) {
            endWith(failed("etcd closed the watch stream", null));
        }
    }

    private void enqueue(WatchEvent event) {
        if (queue.size() >= maxPending) {
            endWith(failed("the listener fell more than " + maxPending + " changes behind", null));
            return;
        }
        queue.offer(event);
    }

    private void endWith(WatchEvent last) {
        if (ended.compareAndSet(false, true)) {
            queue.offer(last);
            closeStream();
        }
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            closeStream();
        }
    }

    private void closeStream() {
        Watch.Watcher w = watcher;
        if (w != null) {
            w.close();
        }
    }

    private WatchEvent.Failed failed(String why, Throwable cause) {
        return new WatchEvent.Failed(new TopoException(TopoException.Code.UNAVAILABLE, path,
                "watch on '" + path + "' at etcd " + calls.endpoints() + " ended: " + why, cause));
    }

    private void deliver() {
        try {
            while (true) {
                WatchEvent event = queue.take();
                if (cancelled) {
                    return;
                }
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    // A listener bug must not stop later events from being delivered.
                    log.warn("watch listener for '{}' threw; delivery continues", path, e);
                }
                if (!(event instanceof WatchEvent.Changed)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finish();
        }
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            onFinished.run();
        }
    }
}
