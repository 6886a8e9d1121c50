package io.tessera.gate.mysql;

import io.tessera.proto.query.Field;
import java.util.List;

/**
 * Whether two lists hold the very same column-definition objects. Definitions are immutable and the executor hands
 * out the same objects for results that look alike, so identity stands for "already sent" or "already encoded" at
 * the cost of a few reference comparisons; comparing contents would cost about what encoding them does.
 */
final class FieldIdentity {
    private FieldIdentity() {}

    static boolean sameObjects(List<Field> a, List<Field> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
