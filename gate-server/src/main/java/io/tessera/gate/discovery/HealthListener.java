package io.tessera.gate.discovery;

import java.util.Optional;

/**
 * Hears what the {@link HealthCheck} learns. Calls arrive in the order the changes happened, one at a time, while
 * the health check holds its lock: a listener must return quickly, must not block, and must not call back into the
 * health check. Both methods do nothing unless overridden.
 */
public interface HealthListener {
    /**
     * A tablet was added ({@code previous} is null), changed (a report, a broken or silent stream, a change of
     * rotation) or removed ({@code current} is null).
     */
    default void tabletChanged(TabletHealth previous, TabletHealth current) {}

    /**
     * The tablet the gate sends PRIMARY traffic of {@code keyspace}/{@code shard} to changed: another tablet took
     * over (a newer primary term), the shard has none in rotation now (empty), or it has one again.
     */
    default void primaryChanged(String keyspace, String shard, Optional<TabletHealth> primary) {}
}
