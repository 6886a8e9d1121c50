package io.tessera.tablet.queryservice;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Times the statements one event loop runs, with one timer for all of them. A timer per statement cost the loop a
 * scheduled task to insert into and take out of its queue on every statement, though almost none ever fires: the
 * deadlines are seconds away and the statements take a fraction of a millisecond. Here arming and disarming are an
 * append and a swap-remove in a list, and the one timer is set for the earliest deadline armed. When it goes off it
 * fires the deadlines that have passed and sets itself for the earliest left; a statement that finished before its
 * deadline is simply gone from the list by then. As the statements of a loop mostly have the same timeout, a new
 * deadline is almost never earlier than the timer already set, so the timer is set about once per timeout.
 *
 * <p>Everything runs on the loop; a deadline disarmed from another thread is taken out by a task on the loop (it
 * may then still fire, which the deadline's own lock makes harmless once the statement has finished).
 */
final class LoopDeadlineSweep {
    private final EventLoop loop;
    private final List<QueryDeadlines.Deadline> armed = new ArrayList<>();
    /** The timer, if set, and when it goes off. */
    private ScheduledFuture<?> timer;
    private long timerDueNanos;

    LoopDeadlineSweep(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** Arms {@code d} to fire when {@link System#nanoTime()} reaches {@code dueNanos}. */
    void arm(QueryDeadlines.Deadline d, long dueNanos) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> arm(d, dueNanos));
            return;
        }
        d.dueNanos = dueNanos;
        d.slot = armed.size();
        armed.add(d);
        if (timer == null || dueNanos - timerDueNanos < 0) {
            setTimer(dueNanos);
        }
    }

    /** Disarms {@code d}; it does nothing if {@code d} fired or was disarmed already. */
    void disarm(QueryDeadlines.Deadline d) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> disarm(d));
            return;
        }
        int slot = d.slot;
        if (slot < 0) {
            return;
        }
        QueryDeadlines.Deadline last = armed.removeLast();
        if (last != d) {
            armed.set(slot, last);
            last.slot = slot;
        }
        d.slot = -1;
    }

    /** How many deadlines are armed (for tests; call on the loop). */
    int armed() {
        return armed.size();
    }

    private void setTimer(long dueNanos) {
        if (timer != null) {
            timer.cancel(false);
        }
        timerDueNanos = dueNanos;
        timer = loop.schedule(this::sweep, Math.max(0, dueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void sweep() {
        timer = null;
        long now = System.nanoTime();
        long earliest = 0;
        boolean any = false;
        for (int i = armed.size() - 1; i >= 0; i--) {
            QueryDeadlines.Deadline d = armed.get(i);
            if (d.dueNanos - now <= 0) {
                disarm(d);
                d.fireElsewhere();
            } else if (!any || d.dueNanos - earliest < 0) {
                earliest = d.dueNanos;
                any = true;
            }
        }
        if (any) {
            setTimer(earliest);
        }
    }
}
