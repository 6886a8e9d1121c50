package io.tessera.gate.executor;

import io.grpc.Context;
import io.tessera.common.errors.MysqlErrors;
import io.tessera.common.errors.TesseraException;

/**
 * The statement one session is running, so that {@code KILL QUERY} (and {@code KILL CONNECTION}, which ends it too)
 * can interrupt it. Each statement runs in a cancellable gRPC {@link Context} of its own; the tablet calls made in
 * it are cancelled with it (a unary call by gRPC, a request on a multiplexed stream by a cancel sent after it), and a
 * tablet whose call is cancelled kills the statement on mysqld. Commit, rollback and release are made outside it
 * (see {@link TabletCalls}): ending them halfway would leave the client unsure of what happened.
 *
 * <p>{@link #begin} and {@link #end} are called by the session's thread; {@link #interrupt} by any thread.
 */
final class RunningStatement {
    /** The cause a statement's context is cancelled with by KILL, telling it from any other cancellation. */
    private static final Throwable KILLED = new Killed();

    private volatile Context.CancellableContext current;

    /** The context of a statement that starts now, current until {@link #end}: attach it where the statement runs. */
    Context.CancellableContext begin() {
        // Forked, not a child of whatever context is current: gRPC leaves a listener behind on a cancellable parent
        // each time a child stops listening, which a long-lived parent would pile up.
        Context.CancellableContext context = Context.current().fork().withCancellation();
        current = context;
        return context;
    }

    /** The statement of {@code context} is over: a KILL that comes later finds nothing to interrupt. */
    void end(Context.CancellableContext context) {
        if (current == context) {
            current = null;
        }
    }

    /**
     * Interrupts the statement running now, if any; one that is not running (between statements, or already
     * answered) is not affected, as in MySQL.
     */
    void interrupt() {
        Context.CancellableContext context = current;
        if (context != null) {
            context.cancel(KILLED);
        }
    }

    /** Whether the statement of {@code context} was interrupted by {@link #interrupt}. */
    static boolean interrupted(Context.CancellableContext context) {
        return context.isCancelled() && context.cancellationCause() == KILLED;
    }

    /** The error an interrupted statement ends with, MySQL's (ER_QUERY_INTERRUPTED). */
    static TesseraException interruptedError() {
        return TesseraException.mysql(MysqlErrors.ER_QUERY_INTERRUPTED, "70100", "Query execution was interrupted",
                null);
    }

    /** {@link #KILLED}: a marker, made once, without a stack. */
    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Killed() {
            super("interrupted by KILL", null, false, false);
        }
    }
}
