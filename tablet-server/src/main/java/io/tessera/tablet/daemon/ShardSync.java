package io.tessera.tablet.daemon;

import io.tessera.proto.topodata.Shard;
import io.tessera.tablet.manager.TabletManager;
import io.tessera.topo.ProtoWatch;
import io.tessera.topo.TopoException;
import io.tessera.topo.TopoServer;
import io.tessera.topo.Versioned;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the tablet's shard record so that a primary learns at once when another tablet was promoted with a newer
 * term (an emergency reparent while this tablet was cut off) and steps down instead of taking writes as a second
 * primary. A watch that breaks is started again after a short pause.
 */
final class ShardSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardSync.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final TopoServer topo;
    private final String keyspace;
    private final String shard;
    private final TabletManager manager;
    private final ScheduledExecutorService scheduler;
    private ProtoWatch<Shard> watch;
    private boolean closed;

    ShardSync(TopoServer topo, String keyspace, String shard, TabletManager manager,
            ScheduledExecutorService scheduler) {
        this.topo = topo;
        this.keyspace = keyspace;
        this.shard = shard;
        this.manager = manager;
        this.scheduler = scheduler;
    }

    /** Starts watching; failures to start are retried in the background. */
    synchronized void start() {
        if (closed) {
            return;
        }
        try {
            watch = topo.watchShard(keyspace, shard, new ProtoWatch.Listener<>() {
                @Override
                public void onChange(Versioned<Shard> value) {
                    check(value.value());
                }

                @Override
                public void onEnd(TopoException error) {
                    log.info("watch on shard {}/{} ended ({}); watching again in {}", keyspace, shard,
                            error == null ? "record deleted" : error.getMessage(), RETRY);
                    retryLater();
                }
            });
            check(watch.initial().value());
        } catch (TopoException | RuntimeException e) {
            log.warn("cannot watch shard {}/{}: {}; trying again in {}", keyspace, shard, e.getMessage(), RETRY);
            retryLater();
        }
    }

    private void check(Shard record) {
        // The step-down takes the manager's action lock, which must not be waited for on the watch's thread.
        scheduler.execute(() -> {
            try {
                manager.stepDownIfSuperseded(record);
            } catch (RuntimeException e) {
                // For example the action lock was busy with a long reparent step: look again shortly.
                log.warn("could not check shard {}/{} for a newer primary: {}; checking again in {}", keyspace,
                        shard, e.getMessage(), RETRY);
                try {
                    scheduler.schedule(() -> check(record), RETRY.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // shutting down
                }
            }
        });
    }

    private void retryLater() {
        try {
            scheduler.schedule(this::start, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watch != null) {
            watch.close();
        }
    }
}
