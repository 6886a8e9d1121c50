package io.tessera.gate.executor;

import io.tessera.proto.query.ExecuteOptions;
import io.tessera.proto.query.VTGateCallerID;
import io.tessera.proto.vtgate.Session;
import io.tessera.proto.vtrpc.CallerID;
import java.util.Objects;

/**
 * One statement's call state: its session, who runs it, and its deadline. The session is only ever touched by the
 * thread that runs the statement.
 */
final class CallContext {
    private final Session.Builder session;
    private final Caller caller;
    private final Deadline deadline;
    private String keyspace = "";

    CallContext(Session.Builder session, Caller caller, Deadline deadline) {
        this.session = Objects.requireNonNull(session, "session");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    Session.Builder session() {
        return session;
    }

    Caller caller() {
        return caller;
    }

    CallerID effectiveCallerId() {
        return caller.effectiveCallerId();
    }

    VTGateCallerID immediateCallerId() {
        return caller.immediateCallerId();
    }

    Deadline deadline() {
        return deadline;
    }

    /** The keyspace the statement went to, once known (for metrics and logs); empty before. */
    String keyspace() {
        return keyspace;
    }

    void keyspace(String keyspace) {
        this.keyspace = keyspace;
    }

    /** The options of the session, with the time left when the statement has a deadline. */
    ExecuteOptions options() {
        ExecuteOptions base = session.getOptions();
        if (!deadline.isSet()) {
            return base;
        }
        return base.toBuilder().setAuthoritativeTimeout(deadline.remainingMillisAtLeastOne()).build();
    }
}
