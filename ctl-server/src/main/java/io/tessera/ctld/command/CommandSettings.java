package io.tessera.ctld.command;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings the commands share.
 *
 * @param tabletFanoutTimeout how long a command that calls many tablets at once (ShardReplicationPositions,
 *     RefreshStateByShard, ReloadSchemaShard, ApplySchema) waits for all of them before reporting the ones that did
 *     not answer
 */
public record CommandSettings(Duration tabletFanoutTimeout) {
    /** One minute, the default of {@code --action_timeout}. */
    public static final CommandSettings DEFAULT = new CommandSettings(Duration.ofMinutes(1));

    public CommandSettings {
        Objects.requireNonNull(tabletFanoutTimeout, "tabletFanoutTimeout");
        if (tabletFanoutTimeout.isNegative() || tabletFanoutTimeout.isZero()) {
            throw new IllegalArgumentException("tabletFanoutTimeout must be positive, got " + tabletFanoutTimeout);
        }
    }
}
