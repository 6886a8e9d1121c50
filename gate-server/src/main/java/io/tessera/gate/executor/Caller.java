package io.tessera.gate.executor;

import java.util.List;

/**
 * Who runs a statement, as the gate authenticated them: sent to tablets as the immediate caller id (user name and
 * groups) and as the effective caller's principal.
 */
public record Caller(String username, List<String> groups) {
    public Caller {
        groups = List.copyOf(groups);
    }
}
