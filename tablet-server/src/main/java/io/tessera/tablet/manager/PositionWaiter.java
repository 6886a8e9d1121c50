package io.tessera.tablet.manager;

import io.tessera.replication.GtidPosition;

import io.tessera.tablet.flavor.WaitOutcome;
import io.tessera.tabletmanager.TabletManagerException;
import java.time.Duration;

/**
 * Waits for the server to apply a position, then checks it really holds those transactions: MariaDB's wait
 * compares sequence numbers only, and would call a server that applied a different transaction with the same
 * number (one that diverged) caught up. Promoting such a server would lose the write it lacks.
 */
final class PositionWaiter {
    private final MysqlAdmin mysql;
    private final String alias;

    PositionWaiter(MysqlAdmin mysql, String alias) {
        this.mysql = mysql;
        this.alias = alias;
    }

    /**
     * @throws TabletManagerException {@code DEADLINE_EXCEEDED} if the position is not reached within
     *     {@code timeout}; {@code FAILED_PRECONDITION} if the server diverged from it
     */
    void waitFor(GtidPosition position, Duration timeout) {
        if (position.isEmpty()) {
            return;
        }
        if (mysql.waitForPosition(position, timeout) == WaitOutcome.TIMED_OUT) {
            throw TabletManagerException.deadlineExceeded("tablet " + alias + " did not reach position '" + position
                    + "' within " + timeout.toMillis() + " ms; it is at '" + mysql.executedPosition() + "'; "
                    + mysql.describeReplication());
        }
        GtidPosition executed = mysql.executedPosition();
        if (!executed.contains(position)) {
            throw TabletManagerException.failedPrecondition("tablet " + alias + " is at '" + executed + "', which has "
                    + "the sequence numbers of '" + position + "' but not the same transactions: it has diverged "
                    + "from that server");
        }
    }
}
