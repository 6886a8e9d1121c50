package io.tessera.gate.executor;

import io.tessera.common.errors.TesseraException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open MySQL protocol sessions of one gate by connection id, for {@code KILL}: who each belongs to, how to
 * close it and the statement it is running. Sessions add themselves when they open and remove themselves when they
 * close.
 */
final class LiveSessions {
    /** One open session: the user it runs as now, how to close its connection, its running statement. */
    private record Live(String user, Runnable disconnect, RunningStatement running) {}

    private final Map<Long, Live> sessions = new ConcurrentHashMap<>();

    /** Records (or, after COM_CHANGE_USER, updates) the session of {@code connectionId}. */
    void put(long connectionId, String user, Runnable disconnect, RunningStatement running) {
        sessions.put(connectionId, new Live(Objects.requireNonNull(user, "user"),
                Objects.requireNonNull(disconnect, "disconnect"), Objects.requireNonNull(running, "running")));
    }

    void remove(long connectionId) {
        sessions.remove(connectionId);
    }

    /**
     * {@code KILL CONNECTION connectionId} by {@code user}: closes that session's connection, which rolls back its
     * transaction and releases its reserved connections as a client's disconnect does, and interrupts the statement
     * it is running so that happens now. MySQL's rules: a user kills their own sessions only.
     *
     * @throws TesseraException 1094 (unknown thread id) if no such session is open, 1095 (not owner of thread) if it
     *     belongs to another user
     */
    void kill(long connectionId, String user) {
        Live live = owned(connectionId, user);
        live.disconnect().run();
        live.running().interrupt();
    }

    /**
     * {@code KILL QUERY connectionId} by {@code user}: interrupts the statement that session is running, if any
     * (the session goes on; the statement fails with 1317). The same rules as {@link #kill}.
     */
    void killQuery(long connectionId, String user) {
        owned(connectionId, user).running().interrupt();
    }

    private Live owned(long connectionId, String user) {
        Live live = sessions.get(connectionId);
        if (live == null) {
            throw TesseraException.mysql(1094, "HY000", "Unknown thread id: " + Long.toUnsignedString(connectionId),
                    null);
        }
        if (!live.user().equals(user)) {
            throw TesseraException.mysql(1095, "HY000", "You are not owner of thread "
                    + Long.toUnsignedString(connectionId), null);
        }
        return live;
    }
}
