package io.tessera.tablet.manager;

import io.tessera.proto.vtrpc.Code;
import io.tessera.tabletmanager.TabletManagerException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs the calls that change a tablet's state one at a time, as Vitess's tablet manager does: two reparent steps
 * interleaving on one server (say, a promotion and a repointing) could leave it half of each. Fair, so calls run
 * in arrival order.
 */
final class ActionLock {
    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile String holder = "";

    /**
     * Runs {@code body} holding the lock, waiting up to {@code wait} for it.
     *
     * @throws TabletManagerException {@code ABORTED} if another action kept the lock that long, {@code CANCELED}
     *     if the thread was interrupted while waiting
     */
    <T> T run(String action, Duration wait, Supplier<T> body) {
        try {
            if (!lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TabletManagerException(Code.ABORTED, action + " waited " + wait.toMillis()
                        + " ms for the tablet, which is busy with " + describe(holder) + "; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TabletManagerException(Code.CANCELED, action + " was cancelled while waiting for "
                    + describe(holder));
        }
        try {
            holder = action;
            return body.get();
        } finally {
            holder = "";
            lock.unlock();
        }
    }

    private static String describe(String action) {
        return action.isEmpty() ? "another action" : action;
    }
}
