package io.tessera.gate.executor;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The planner's cache: plans by statement text, at most {@code maxSize} of them, shared by the event loops.
 *
 * <p>A hit is one hash lookup and, the first time since the last eviction, one write of a flag: the plan cache is
 * read for every statement, and an exact least-recently-used order would cost each read a write to a shared
 * structure. Eviction is a second chance instead (CLOCK): when the cache grows past its size, one thread walks the
 * entries, removing those not used since the walk before and clearing the flag of the others, until a tenth of the
 * size is free again. Plans used again and again (a client's prepared statements) survive; one-off texts go first.
 */
final class PlanCache {
    private final int maxSize;
    private final int keepAfterEviction;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ReentrantLock evicting = new ReentrantLock();

    private static final class Entry {
        final Plan plan;
        /** Used since the last eviction walk passed it (racy on purpose: a lost write only costs a second chance). */
        boolean used;

        Entry(Plan plan) {
            this.plan = plan;
        }
    }

    /** @param maxSize the most plans kept (0: none, every statement is planned afresh) */
    PlanCache(int maxSize) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("plan cache size must not be negative: " + maxSize);
        }
        this.maxSize = maxSize;
        this.keepAfterEviction = maxSize - Math.max(1, maxSize / 10);
    }

    /** The plan cached for {@code sql}, or null. */
    Plan get(String sql) {
        Entry e = entries.get(sql);
        if (e == null) {
            return null;
        }
        if (!e.used) {
            e.used = true;
        }
        return e.plan;
    }

    /** Caches {@code plan} for {@code sql}, evicting others if the cache is then over its size. */
    void put(String sql, Plan plan) {
        if (maxSize == 0) {
            return;
        }
        entries.put(sql, new Entry(plan));
        if (entries.size() > maxSize) {
            evict();
        }
    }

    /** Empties the cache. */
    void clear() {
        entries.clear();
    }

    /** How many plans are cached. */
    int size() {
        return entries.size();
    }

    private void evict() {
        // One walk at a time; the others go on, and the cache may briefly hold a few plans over its size.
        if (!evicting.tryLock()) {
            return;
        }
        try {
            // Two rounds at most: the first clears the flags of the plans it spares, so the second finds them unused.
            for (int round = 0; round < 2 && entries.size() > keepAfterEviction; round++) {
                Iterator<Entry> it = entries.values().iterator();
                while (it.hasNext() && entries.size() > keepAfterEviction) {
                    Entry e = it.next();
                    if (e.used) {
                        e.used = false;
                    } else {
                        it.remove();
                    }
                }
            }
        } finally {
            evicting.unlock();
        }
    }
}
