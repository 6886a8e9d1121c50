package io.tessera.tablet.manager;

import io.grpc.Context;
import io.grpc.Deadline;
import io.tessera.tabletmanager.TabletManagerException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long the current call may still wait: the deadline the caller gave (carried by the gRPC {@link Context},
 * also in-process), or the manager's default wait when the caller gave none.
 */
final class CallDeadline {
    private CallDeadline() {}

    /**
     * The time left before the call's deadline, or {@code fallback} without one.
     *
     * @param what the step about to wait, for the message
     * @throws TabletManagerException {@code DEADLINE_EXCEEDED} if the deadline has already passed
     */
    static Duration remaining(Duration fallback, String what) {
        Deadline deadline = Context.current().getDeadline();
        if (deadline == null) {
            return fallback;
        }
        long millis = deadline.timeRemaining(TimeUnit.MILLISECONDS);
        if (millis <= 0) {
            throw TabletManagerException.deadlineExceeded("the call's deadline passed before " + what);
        }
        return Duration.ofMillis(millis);
    }
}
