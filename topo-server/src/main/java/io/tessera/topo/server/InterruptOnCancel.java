package io.tessera.topo.server;

import io.grpc.Context;
import java.util.concurrent.Executor;

/**
 * Interrupts the serving thread if the call's context is cancelled (the client gave up, its deadline passed, or
 * the server is stopping) while a blocking backend operation runs, so a lock wait ends instead of outliving its
 * caller. The interrupt can only land between construction and {@link #close()}, and a pending one is cleared
 * by {@code close()}, so it never leaks into whatever the thread does next.
 */
final class InterruptOnCancel implements AutoCloseable, Context.CancellationListener {
    private static final Executor DIRECT = Runnable::run;

    private final Context context;
    private final Thread thread = Thread.currentThread();
    private boolean armed = true;
    private boolean interrupted;

    private InterruptOnCancel(Context context) {
        this.context = context;
    }

    /** Arms for the current context and thread. */
    static InterruptOnCancel arm() {
        InterruptOnCancel guard = new InterruptOnCancel(Context.current());
        guard.context.addListener(guard, DIRECT);
        return guard;
    }

    @Override
    public synchronized void cancelled(Context ctx) {
        if (armed) {
            interrupted = true;
            thread.interrupt();
        }
    }

    @Override
    public void close() {
        context.removeListener(this);
        synchronized (this) {
            armed = false;
            if (interrupted) {
                Thread.interrupted();
            }
        }
    }
}
