package io.tessera.ctld.reparent;

import io.tessera.proto.logutil.Event;
import io.tessera.proto.logutil.Level;
import io.tessera.proto.vttime.Time;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lines a reparent reports to its caller, one per step, as Vitess's {@code logutil.Event}s; each line also goes
 * to the daemon's log. Safe to use from the parallel per-tablet steps.
 */
final class StepLog {
    private static final Logger log = LoggerFactory.getLogger(StepLog.class);

    private final String prefix;
    private final List<Event> events = new ArrayList<>();

    StepLog(String action, String keyspace, String shard) {
        this.prefix = action + " " + keyspace + "/" + shard + ": ";
    }

    void info(String line) {
        add(Level.INFO, line);
        log.info("{}{}", prefix, line);
    }

    void warn(String line) {
        add(Level.WARNING, line);
        log.warn("{}{}", prefix, line);
    }

    void error(String line) {
        add(Level.ERROR, line);
        log.error("{}{}", prefix, line);
    }

    /** Everything logged so far, in order. */
    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    private synchronized void add(Level level, String line) {
        Instant now = Instant.now();
        events.add(Event.newBuilder().setLevel(level).setValue(line)
                .setTime(Time.newBuilder().setSeconds(now.getEpochSecond()).setNanoseconds(now.getNano())).build());
    }
}
