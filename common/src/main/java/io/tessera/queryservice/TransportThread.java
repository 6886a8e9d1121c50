package io.tessera.queryservice;

import io.grpc.netty.shaded.io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The transport thread (a Netty event loop) that delivered a call, so that the call's answers are written from it:
 * the writes of one loop iteration then leave in one flush, instead of each answer from a worker waking the loop.
 *
 * @param loop the event loop, or null when the transport has none (in-process), in which case answers are written
 *     from wherever they are ready
 * @param thread the loop's thread
 */
record TransportThread(Executor loop, Thread thread) {
    /**
     * The event loop running this code, if any: a server on unshaded Netty (the tablet's, which shares its loops
     * with its connections to mysqld) or on gRPC's shaded copy (tests' servers).
     */
    static TransportThread current() {
        Executor loop = io.netty.util.internal.ThreadExecutorMap.currentExecutor();
        return new TransportThread(loop != null ? loop : ThreadExecutorMap.currentExecutor(), Thread.currentThread());
    }

    /**
     * Runs {@code task} on the loop once it has done what it is doing now (on the loop itself: after the rest of the
     * ready I/O of this pass), or at once if there is no loop or it no longer takes tasks.
     */
    void later(Runnable task) {
        if (loop != null) {
            try {
                loop.execute(task);
                return;
            } catch (RejectedExecutionException e) {
                // The loop is shutting down; run it here, gRPC fails or drops what it must.
            }
        }
        task.run();
    }

    /** Runs {@code answer} on the loop: at once when already there (or there is none), else as a task of it. */
    void run(Runnable answer) {
        if (loop != null && Thread.currentThread() != thread) {
            try {
                loop.execute(answer);
                return;
            } catch (RejectedExecutionException e) {
                // The loop is shutting down; answer from here, gRPC fails or drops it if it must.
            }
        }
        answer.run();
    }
}
