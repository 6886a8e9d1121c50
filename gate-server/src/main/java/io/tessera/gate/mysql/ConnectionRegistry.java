package io.tessera.gate.mysql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The server's live sessions: for the connection limit and count, and for closing them all at shutdown. */
final class ConnectionRegistry {
    private final Set<ClientSession> sessions = new LinkedHashSet<>();
    private boolean closed;

    /** Whether a new connection became a session. */
    enum Admission { ADMITTED, FULL, CLOSING }

    /** Adds {@code session} unless the server is closing or already has {@code max} sessions (0 = no limit). */
    synchronized Admission tryAdd(ClientSession session, int max) {
        if (closed) {
            return Admission.CLOSING;
        }
        if (max > 0 && sessions.size() >= max) {
            return Admission.FULL;
        }
        sessions.add(session);
        return Admission.ADMITTED;
    }

    synchronized void remove(ClientSession session) {
        sessions.remove(session);
    }

    synchronized int size() {
        return sessions.size();
    }

    /** Refuses new sessions from now on and returns those still open. */
    synchronized List<ClientSession> close() {
        closed = true;
        return new ArrayList<>(sessions);
    }
}
