package io.tessera.ctld.reparent;

import io.tessera.ctld.CtldException;
import java.time.Duration;

/** Converts the requests' {@code vttime.Duration}s. */
final class Durations {
    private Durations() {}

    static Duration of(io.tessera.proto.vttime.Duration d) {
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    /** The request's timeout, or {@code fallback} when it is unset or zero; negative is refused. */
    static Duration orDefault(boolean set, io.tessera.proto.vttime.Duration d, Duration fallback, String name) {
        if (!set) {
            return fallback;
        }
        Duration value = of(d);
        if (value.isNegative()) {
            throw CtldException.invalidArgument(name + " must not be negative, got " + value);
        }
        return value.isZero() ? fallback : value;
    }
}
