package io.tessera.topo.remote;

import java.time.Duration;

/**
 * How a {@link RemoteTopoConn} talks to its server.
 *
 * @param callTimeout the deadline of each call; a lock call gets its wait timeout on top, and a watch waits this
 *     long for its initial value
 */
public record RemoteTopoOptions(Duration callTimeout) {
    /** A 15 s deadline per call. */
    public static final RemoteTopoOptions DEFAULT = new RemoteTopoOptions(Duration.ofSeconds(15));

    public RemoteTopoOptions {
        if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("call timeout must be positive, got " + callTimeout);
        }
    }
}
