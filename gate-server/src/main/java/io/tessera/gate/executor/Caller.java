package io.tessera.gate.executor;

import io.tessera.proto.query.VTGateCallerID;
import io.tessera.proto.vtrpc.CallerID;
import java.util.List;
import java.util.Objects;

/**
 * Who runs a statement, as the gate authenticated them: sent to tablets as the immediate caller id (user name and
 * groups) and as the effective caller's principal. The two messages are made once, with the caller, rather than for
 * every statement it runs; make a caller with {@link #Caller(String, List)}.
 *
 * @param effectiveCallerId the effective caller id tablets get: the user name as principal
 * @param immediateCallerId the immediate caller id tablets get: the user name and groups
 */
public record Caller(String username, List<String> groups, CallerID effectiveCallerId,
        VTGateCallerID immediateCallerId) {
    public Caller {
        Objects.requireNonNull(username, "username");
        groups = List.copyOf(groups);
        Objects.requireNonNull(effectiveCallerId, "effectiveCallerId");
        Objects.requireNonNull(immediateCallerId, "immediateCallerId");
    }

    /** The caller {@code username} in {@code groups}. */
    public Caller(String username, List<String> groups) {
        this(username, groups, CallerID.newBuilder().setPrincipal(username).build(),
                VTGateCallerID.newBuilder().setUsername(username).addAllGroups(groups).build());
    }
}
