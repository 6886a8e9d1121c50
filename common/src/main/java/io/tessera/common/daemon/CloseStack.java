package io.tessera.common.daemon;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a daemon started, to be stopped in reverse order. Each daemon pushes its components as it starts them; if a
 * later one fails to start, or at shutdown, {@link #close()} stops everything already started, newest first, so a
 * component never outlives what it depends on. A component that fails to stop is logged and the rest still stop.
 */
public final class CloseStack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CloseStack.class);

    private final String daemon;
    private final Deque<AutoCloseable> stack = new ArrayDeque<>();
    private boolean closed;

    /** A stack for the daemon named {@code daemon} (used in log lines). */
    public CloseStack(String daemon) {
        this.daemon = Objects.requireNonNull(daemon, "daemon");
    }

    /** Remembers {@code component} to be closed before everything pushed earlier; returns it. */
    public synchronized <T extends AutoCloseable> T push(T component) {
        if (closed) {
            throw new IllegalStateException(daemon + " is stopping; nothing more can start");
        }
        stack.push(Objects.requireNonNull(component, "component"));
        return component;
    }

    /** Closes every component, newest first; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!stack.isEmpty()) {
            try {
                stack.pop().close();
            } catch (Exception e) {
                log.warn("error while stopping {}: {}", daemon, e.toString());
            }
        }
    }
}
