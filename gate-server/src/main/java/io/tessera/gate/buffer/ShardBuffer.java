package io.tessera.gate.buffer;

import io.tessera.proto.topodata.TabletAlias;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The failover state of one shard: which tablet gets its PRIMARY traffic, the failover under way if any, and when
 * the last one ended. Not thread-safe: the {@link FailoverBuffer} calls it under its lock.
 */
final class ShardBuffer {
    record Key(String keyspace, String shard) {}

    /** One failover: from its start to the moment the shard has a primary again, or gives up. */
    static final class Failover {
        final long startNanos;
        /** The primary that stopped serving. */
        final TabletAlias failedPrimary;
        /** The shard was seen without a primary since the failover began (so the old one may come back). */
        boolean primaryGone;
        /** The requests waiting, in arrival order. */
        final Deque<FailoverBuffer.Entry> waiting = new ArrayDeque<>();

        Failover(long startNanos, TabletAlias failedPrimary, boolean primaryGone) {
            this.startNanos = startNanos;
            this.failedPrimary = failedPrimary;
            this.primaryGone = primaryGone;
        }
    }

    private final Key key;
    private TabletAlias primary;
    private TabletAlias lastPrimary;
    private Failover failover;
    private boolean hadFailover;
    private long lastEndNanos;

    ShardBuffer(Key key) {
        this.key = key;
    }

    Key key() {
        return key;
    }

    /** The tablet the gate routes the shard's PRIMARY traffic to now, or null. */
    TabletAlias primary() {
        return primary;
    }

    /** The last tablet that was the shard's routed primary, or null if it never had one. */
    TabletAlias lastPrimary() {
        return lastPrimary;
    }

    void primary(TabletAlias value) {
        primary = value;
        if (value != null) {
            lastPrimary = value;
        }
    }

    boolean failingOver() {
        return failover != null;
    }

    Failover failover() {
        return failover;
    }

    /** Whether a new failover may start now: the previous one, if any, ended at least {@code minGap} ago. */
    boolean mayStartFailover(long now, Duration minGap) {
        return !hadFailover || now - lastEndNanos >= minGap.toNanos();
    }

    void startFailover(long now, TabletAlias failed, boolean primaryGone) {
        failover = new Failover(now, failed, primaryGone);
    }

    /** Ends the failover under way and returns it, or null if there was none. */
    Failover endFailover(long now) {
        Failover f = failover;
        if (f != null) {
            failover = null;
            hadFailover = true;
            lastEndNanos = now;
        }
        return f;
    }
}
